#!/usr/bin/env bash
# Make a Docker engine and the offline base image available, idempotently.
# - installs Debian's docker.io when no engine binary is present (needs root);
# - starts dockerd in the background when nothing answers on the socket;
# - builds the base image `nexus-base:bookworm` with debootstrap + `docker import`
#   when it is missing, because this machine cannot pull from a registry.
# Each step is skipped when its result is already there.
set -euo pipefail

BASE_IMAGE="${NEXUS_TEST_BASE_IMAGE:-nexus-base:bookworm}"
log() { printf '[ensure-docker] %s\n' "$*" >&2; }

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

if ! command -v dockerd >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    log "dockerd is not installed and this is not root: install Docker, then run again."; exit 1
  fi
  log "installing docker.io (about a minute)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq docker.io >/dev/null
fi

# git-lfs on the host: worktrees of repositories that use LFS get their files checked out (and the e2e tests
# that cover it run instead of skipping).
if ! command -v git-lfs >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    log "installing git-lfs"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq git-lfs >/dev/null 2>&1 || { apt-get update -qq >/dev/null; apt-get install -y -qq git-lfs >/dev/null; }
  else
    log "git-lfs is not installed and this is not root: LFS tests will be skipped."
  fi
fi

if ! engine_answers; then
  log "starting dockerd"
  nohup dockerd >/var/log/nexus-dockerd.log 2>&1 &
  for _ in $(seq 1 120); do engine_answers && break; sleep 0.5; done
  engine_answers || { log "dockerd did not answer within 60 s; see /var/log/nexus-dockerd.log"; exit 1; }
fi
log "engine $(docker version --format '{{.Server.Version}}') answers"

if ! docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  command -v debootstrap >/dev/null 2>&1 || {
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null; apt-get install -y -qq debootstrap >/dev/null; }
  dir=$(mktemp -d /tmp/nexus-base.XXXXXX)
  log "building $BASE_IMAGE with debootstrap (about 40 s)"
  debootstrap --variant=minbase \
    --include=openssh-server,git,sudo,ca-certificates,procps,python3,iproute2,netcat-openbsd \
    bookworm "$dir" >/tmp/nexus-debootstrap.log 2>&1 || { log "debootstrap failed; see /tmp/nexus-debootstrap.log"; exit 1; }
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
  tar -C "$dir" -c . | docker import - "$BASE_IMAGE" >/dev/null
  rm -rf "$dir"
  log "made $BASE_IMAGE"
fi
