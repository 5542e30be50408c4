#!/usr/bin/env bash
# Source this file: it makes Node >= 22 and pnpm available on PATH, installing them
# from the npm registry into $NEXUS_TOOLCHAIN_DIR when the machine lacks them.
# (The machine's Node may be 20; oclif 5, vitest 5 and cosmiconfig 10 need 22.)
NEXUS_TOOLCHAIN_DIR="${NEXUS_TOOLCHAIN_DIR:-$HOME/.cache/nexus-toolchain}"
NEXUS_NODE_SPEC="${NEXUS_NODE_SPEC:-node@22}"
NEXUS_PNPM_SPEC="${NEXUS_PNPM_SPEC:-pnpm@10.34.9}"

_nexus_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  local major; major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || return 1
  [ "${major:-0}" -ge 22 ]
}

if [ -x "$NEXUS_TOOLCHAIN_DIR/node_modules/.bin/node" ]; then
  export PATH="$NEXUS_TOOLCHAIN_DIR/node_modules/.bin:$PATH"
fi
if ! _nexus_node_ok || ! command -v pnpm >/dev/null 2>&1; then
  echo "[toolchain] installing $NEXUS_NODE_SPEC and $NEXUS_PNPM_SPEC into $NEXUS_TOOLCHAIN_DIR" >&2
  mkdir -p "$NEXUS_TOOLCHAIN_DIR"
  npm install --prefix "$NEXUS_TOOLCHAIN_DIR" --no-audit --no-fund --loglevel=error \
    "$NEXUS_NODE_SPEC" "$NEXUS_PNPM_SPEC" >&2 || return 1 2>/dev/null || exit 1
  export PATH="$NEXUS_TOOLCHAIN_DIR/node_modules/.bin:$PATH"
fi
_nexus_node_ok || { echo "[toolchain] node >= 22 is still not on PATH" >&2; return 1 2>/dev/null || exit 1; }
