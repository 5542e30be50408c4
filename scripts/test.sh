#!/usr/bin/env bash
# The whole test suite, from a fresh clone: toolchain, dependencies, Docker engine and base image, then build,
# typecheck, lint and every package's tests (Docker tests against the real engine). Prints one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh
bash scripts/ensure-docker.sh
pnpm install --frozen-lockfile --prefer-offline --reporter=append-only >/dev/null
rm -f packages/*/.vitest-results.json
status=0
pnpm exec turbo run build typecheck lint --output-logs=errors-only || status=$?
pnpm run --silent format:check >/dev/null || { echo 'prettier: files need formatting (pnpm format)'; status=1; }
if [ "$status" = 0 ]; then
  # One package at a time: the Docker and CLI suites share the engine and this machine's 2 cores.
  pnpm exec turbo run test --concurrency=1 --continue --output-logs=full -- \
    --reporter=default --reporter=json --outputFile=.vitest-results.json || status=$?
fi
node scripts/test-summary.mjs || true
exit "$status"
