#!/usr/bin/env bash
# The main job on a fresh machine: toolchain → dependencies → build → Docker engine and offline base image →
# a demo repository with a real Docker workspace, then exec and ssh into it.
# Usage: bash scripts/quickstart.sh [repo-dir]   (default: a demo repo under /tmp/nexus-demo)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
source scripts/toolchain.sh
bash scripts/ensure-docker.sh
pnpm install --frozen-lockfile --prefer-offline --reporter=append-only >/dev/null
pnpm exec turbo run build --output-logs=errors-only >/dev/null
nexus() { node "$root/packages/cli/bin/run.js" "$@"; }

repo="${1:-/tmp/nexus-demo}"
if [ ! -d "$repo/.git" ]; then
  mkdir -p "$repo"
  git -C "$repo" init -q -b main
  echo "# nexus demo" >"$repo/README.md"
  git -C "$repo" add README.md
  git -C "$repo" -c user.email=demo@nexus.local -c user.name=demo commit -q -m "init"
fi
cd "$repo"
# This machine cannot pull images; ensure-docker.sh made a Debian base offline. Point the project at it.
nexus config set backends.docker.base_image "${NEXUS_BASE_IMAGE:-nexus-base:bookworm}" --scope project >/dev/null

name="${NEXUS_DEMO_WORKSPACE:-demo}"
nexus workspace info "$name" >/dev/null 2>&1 || nexus workspace create "$name"
nexus workspace start "$name" >/dev/null
echo
echo "\$ nexus workspace exec $name -- sh -c 'id -un; pwd; git status --short --branch'"
nexus workspace exec "$name" -- sh -c 'id -un; pwd; git status --short --branch'
nexus workspace ssh-config >/dev/null
echo
echo "\$ ssh -F ~/.nexus/ssh_config $name.nexus 'echo hello from \$(hostname)'"
ssh -F "${NEXUS_HOME:-$HOME/.nexus}/ssh_config" "$name.nexus" 'echo hello from $(hostname)'
echo
nexus workspace list
cat <<MSG

Workspace "$name" runs in Docker over $repo/.nexus/worktrees/$name (branch nexus/$name).
  shell:     node $root/packages/cli/bin/run.js workspace ssh $name
  exec:      node $root/packages/cli/bin/run.js workspace exec $name -- <command>
  ssh/IDE:   node $root/packages/cli/bin/run.js workspace ssh-config --install   # then: ssh $name.nexus
  remove:    node $root/packages/cli/bin/run.js workspace destroy $name
MSG
