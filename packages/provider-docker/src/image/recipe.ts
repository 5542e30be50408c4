import { createHash } from 'node:crypto'

/**
 * The workspace image recipe: sshd (key-only), git, sudo and a user with the host user's uid/gid, layered onto any
 * Debian- or Alpine-like base. Host keys are made at build time so that start only has to exec sshd.
 */
export function workspaceDockerfile(base: string): string {
  return `FROM ${base}
ARG NEXUS_UID=1000
ARG NEXUS_GID=1000
USER root
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
RUN set -e; missing=""; \\
    for tool in sshd ssh-keygen git sudo; do command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"; done; \\
    if [ -n "$missing" ]; then \\
      if command -v apt-get >/dev/null 2>&1; then \\
        export DEBIAN_FRONTEND=noninteractive; apt-get update; \\
        apt-get install -y --no-install-recommends openssh-server git sudo ca-certificates; \\
        rm -rf /var/lib/apt/lists/*; \\
      elif command -v apk >/dev/null 2>&1; then \\
        apk add --no-cache openssh-server openssh-keygen git sudo ca-certificates shadow bash; \\
      else echo "nexus: the base image lacks:$missing, and has neither apt-get nor apk to install them" >&2; exit 1; fi; \\
    fi
RUN set -e; \\
    if [ "$NEXUS_UID" = 0 ]; then user=root; root_login=prohibit-password; else \\
      group=$(getent group "$NEXUS_GID" | cut -d: -f1); \\
      if [ -z "$group" ]; then groupadd -g "$NEXUS_GID" nexus; group=nexus; fi; \\
      previous=$(getent passwd "$NEXUS_UID" | cut -d: -f1); \\
      if [ -n "$previous" ] && [ "$previous" != nexus ]; then \\
        usermod -l nexus -d /home/nexus -m -g "$group" -s /bin/bash "$previous"; \\
      elif [ -z "$previous" ]; then useradd -m -u "$NEXUS_UID" -g "$group" -s /bin/bash nexus; fi; \\
      usermod -p '*' nexus; \\
      mkdir -p /etc/sudoers.d; printf 'nexus ALL=(ALL) NOPASSWD:ALL\\n' > /etc/sudoers.d/nexus; chmod 0440 /etc/sudoers.d/nexus; \\
      user=nexus; root_login=no; \\
    fi; \\
    mkdir -p /etc/nexus /run/sshd /workspace; chmod 0755 /etc/nexus; chown "$user" /workspace; \\
    printf '%s\\n' "$user" > /etc/nexus/user; \\
    printf '%s\\n' '# nexus: interactive SSH logins start in the workspace, like exec does.' \\
      'case $- in *i*) [ "$PWD" = "$HOME" ] && cd /workspace ;; esac' > /etc/profile.d/nexus-workdir.sh; \\
    rm -f /etc/ssh/ssh_host_*; ssh-keygen -A; \\
    { printf '%s\\n' '# nexus: first value wins in sshd_config, so these come before any Include.' \\
        'PasswordAuthentication no' 'KbdInteractiveAuthentication no' 'PubkeyAuthentication yes' \\
        "PermitRootLogin $root_login" 'AuthorizedKeysFile /etc/nexus/authorized_keys' 'AllowAgentForwarding yes' \\
        'AllowTcpForwarding yes' 'PrintMotd no' 'UseDNS no'; cat /etc/ssh/sshd_config; } > /etc/ssh/sshd_config.nexus; \\
    mv /etc/ssh/sshd_config.nexus /etc/ssh/sshd_config; \\
    if [ -f /etc/pam.d/sshd ]; then \\
      sed -i 's/^session\\s\\+required\\s\\+pam_loginuid.so/session optional pam_loginuid.so/' /etc/pam.d/sshd; \\
      printf 'session required pam_env.so readenv=1 envfile=/etc/nexus/environment\\n' >> /etc/pam.d/sshd; \\
    fi
COPY nexus-entrypoint nexus-healthcheck /usr/local/bin/
RUN chmod 0755 /usr/local/bin/nexus-entrypoint /usr/local/bin/nexus-healthcheck
WORKDIR /workspace
EXPOSE 22
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 CMD ["/usr/local/bin/nexus-healthcheck"]
ENTRYPOINT ["/usr/local/bin/nexus-entrypoint"]
CMD []
`
}

/**
 * Runs as root. SSH sessions do not inherit the container's env, so the workspace env (the keys are listed in
 * NEXUS_ENV_KEYS) is written where PAM reads it for every session; then sshd takes over.
 */
export const ENTRYPOINT_SCRIPT = `#!/bin/sh
set -e
mkdir -p /run/sshd
umask 077
env_file=/etc/nexus/environment
: > "$env_file"
newline='
'
old_ifs=$IFS; IFS=','
for key in \${NEXUS_ENV_KEYS:-}; do
  value=$(printenv "$key") || continue
  case "$value" in *"$newline"*) echo "nexus: $key spans lines; SSH sessions will not see it" >&2; continue ;; esac
  printf '%s="%s"\\n' "$key" "$value" >> "$env_file"
done
IFS=$old_ifs
exec /usr/sbin/sshd -D -e
`

/** Healthy when sshd greets on port 22; with neither ssh-keyscan nor nc there is nothing to check with. */
export const HEALTHCHECK_SCRIPT = `#!/bin/sh
if command -v ssh-keyscan >/dev/null 2>&1; then
  ssh-keyscan -T 2 -p 22 127.0.0.1 2>/dev/null | grep -q . && exit 0
  exit 1
fi
if command -v nc >/dev/null 2>&1; then exec nc -z -w 2 127.0.0.1 22; fi
exit 0
`

/** Changes whenever the recipe does, so an image built by an older nexus is rebuilt even under the same version. */
export const RECIPE_DIGEST = createHash('sha256')
  .update(workspaceDockerfile('BASE'))
  .update(ENTRYPOINT_SCRIPT)
  .update(HEALTHCHECK_SCRIPT)
  .digest('hex')
  .slice(0, 12)
