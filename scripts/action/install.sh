#!/usr/bin/env bash
# action.yml, step "install": the CLI at the action's own version. From the npm registry when that
# version is published there (no dependencies: a few seconds), else built from the action's checkout
# (a branch or an unreleased commit: npm ci and esbuild, about a minute).
# Writes `cli=<command>` to $GITHUB_OUTPUT.
set -euo pipefail
ACTION_DIR=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/../.." && pwd)}
version=$(node -p "require(process.argv[1]).version" "$ACTION_DIR/package.json")
prefix="${RUNNER_TEMP:-$(mktemp -d)}/lm-eval-lens-$version"
if npm view "lm-eval-lens@$version" version >/dev/null 2>&1; then
  echo "lm-eval-lens $version from the npm registry"
  npm install --global --prefix "$prefix" --no-audit --no-fund --loglevel=error "lm-eval-lens@$version"
  cli="$prefix/bin/lm-eval-lens"
else
  echo "lm-eval-lens $version is not on the npm registry: building it from the action's checkout"
  (cd "$ACTION_DIR" && npm ci --no-audit --no-fund --loglevel=error && node esbuild.mjs --minify)
  cli="node $ACTION_DIR/bin/lm-eval-lens.js"
fi
$cli --version
echo "cli=$cli" >>"${GITHUB_OUTPUT:-/dev/stdout}"
