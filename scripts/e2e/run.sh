#!/usr/bin/env bash
# npm run test:e2e — lm-eval-lens in a real VS Code (code-server 4.139.1 = VS Code 1.139.1):
#   0. build the bundles and package the .vsix (vsce works offline)
#   A. the mocha suites of test/e2e/suite inside code-server's Node extension host (exit code = result)
#   A'. the same suites through @vscode/test-electron's runTests(): a desktop VS Code when
#      VSCODE_EXECUTABLE_PATH is set, otherwise code-shim.sh (code-server) as the executable
#   B. a Playwright smoke test of the installed .vsix, with screenshots in e2e-artifacts/
# Needs scripts/e2e/setup.sh to have run (it writes $LENS_E2E_HOME/env.sh).
# Options: --only=A|electron|B (repeatable); env LENS_E2E_GREP (mocha grep), LENS_E2E_VERBOSE=1.
set -uo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
cd "$REPO"
LENS_E2E_HOME=${LENS_E2E_HOME:-$HOME/.cache/lm-eval-lens-e2e}
ARTIFACTS="$REPO/e2e-artifacts"
only=()
for a in "$@"; do case "$a" in --only=*) only+=("${a#--only=}") ;; *) echo "unknown option $a" >&2; exit 2 ;; esac; done
wanted() { [ ${#only[@]} -eq 0 ] || [[ " ${only[*]} " == *" $1 "* ]]; }
log() { printf '\n[e2e] %s\n' "$*"; }

if [ ! -f "$LENS_E2E_HOME/env.sh" ]; then
  echo "[e2e] $LENS_E2E_HOME/env.sh not found: run scripts/e2e/setup.sh first (installs Node 24, code-server, chromium)" >&2
  exit 2
fi
# shellcheck source=/dev/null
. "$LENS_E2E_HOME/env.sh"
# code-server (its postinstall pinned it to Node 24) and the runners run on Node 24; the build and
# vsce use the project's node.
NODE24="$LENS_E2E_NODE_HOME/bin/node"

rm -rf "$ARTIFACTS" && mkdir -p "$ARTIFACTS"
results=()
overall=0
step() { # step NAME CMD...: runs, times and records one stage
  local name=$1; shift
  local t0=$SECONDS
  "$@"
  local rc=$?
  results+=("$(printf '%-34s %s  %3ss' "$name" "$([ $rc -eq 0 ] && echo PASS || echo "FAIL($rc)")" $((SECONDS - t0)))")
  [ $rc -eq 0 ] || overall=1
  return $rc
}

build() {
  npm run --silent build && npx --no-install tsc -p test/e2e \
    && npx --no-install vsce package --no-dependencies --no-gitHubIssueLinking --out "$ARTIFACTS/lm-eval-lens.vsix"
}
log "build, compile test/e2e, package"
if ! step "build + vsce package" build; then
  printf '%s\n' "${results[@]}"
  exit 1
fi

# Each run gets its own copy of examples/ as the workspace, so edits and settings never touch the repo.
fresh_workspace() {
  local ws
  ws=$(mktemp -d -t lens-e2e-ws.XXXXXX)/workspace
  mkdir -p "$ws" && cp -R "$REPO/examples/." "$ws/"
  echo "$ws"
}

# The suites' report lines are kept, so the summary can repeat what they measured (activation time).
suite_a() {
  "$NODE24" scripts/e2e/run-ext-tests.mjs "$REPO" "$REPO/test/e2e/out/suite/index.js" "$(fresh_workspace)" \
    | tee "$ARTIFACTS/suite-A.log"
  return "${PIPESTATUS[0]}"
}
if wanted A; then
  log "A: mocha suites in code-server's extension host"
  step "A  extension-host suites" suite_a
fi
suite_electron() {
  "$NODE24" scripts/e2e/run-electron.mjs "$(fresh_workspace)" | tee "$ARTIFACTS/suite-electron.log"
  return "${PIPESTATUS[0]}"
}
if wanted electron; then
  log "A': the same suites through @vscode/test-electron runTests()"
  step "A' runTests (test-electron)" suite_electron
fi
if wanted B; then
  log "B: Playwright smoke test of the installed .vsix"
  step "B  UI smoke (screenshots)" "$NODE24" scripts/e2e/ui-smoke.mjs "$ARTIFACTS/lm-eval-lens.vsix" "$(fresh_workspace)" "$ARTIFACTS"
fi

log "summary"
printf '%s\n' "${results[@]}"
for f in "$ARTIFACTS"/suite-*.log; do
  [ -f "$f" ] || continue
  grep -h -E '^ *(activation|code lens|GPU table):' "$f" | sed "s/^ */  $(basename "$f" .log | sed 's/suite-//'): /"
done
ls "$ARTIFACTS"/*.png 2>/dev/null | sed 's|^|  screenshot: |'
exit $overall
