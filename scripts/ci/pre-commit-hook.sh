#!/usr/bin/env bash
# The pre-commit hook (.pre-commit-hooks.yaml) as a Python project uses it, with Debian's pre-commit:
#   1. `pre-commit try-repo <this repo> lm-eval-lens --all-files` in a sample repository holding a
#      script vLLM refuses to start: the hook must fail and name kv-cache-too-small;
#   2. the three lines of docs/ci.md in that sample's .pre-commit-config.yaml, on a clean script:
#      the hook must pass.
# pre-commit installs this repository as an npm package (npm install from the registry, npm pack,
# whose prepack builds the CLI): the first run takes a minute or two, the second reuses it.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
log() { printf '[pre-commit hook] %s\n' "$*"; }

if ! command -v pre-commit >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=(); else SUDO=(sudo); fi
  log "apt-get install pre-commit"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq && "${SUDO[@]}" apt-get install -y -qq --no-install-recommends pre-commit >/dev/null
fi
log "$(pre-commit --version)"

WORK=$(mktemp -d -t lens-pre-commit.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export PRE_COMMIT_HOME="$WORK/cache"
SAMPLE="$WORK/sample"
mkdir -p "$SAMPLE" && cd "$SAMPLE"
git init -q
git config user.email ci@example.invalid
git config user.name ci
cp "$REPO/examples/long-context-on-l4.sh" run_eval.sh
git add run_eval.sh && git commit -qm "a launch vLLM refuses to start"

log "1. try-repo on a script whose KV cache cannot hold one sequence: the hook must fail"
set +e
pre-commit try-repo "$REPO" lm-eval-lens --all-files >"$WORK/try-repo.log" 2>&1
rc=$?
set -e
cat "$WORK/try-repo.log"
if [ "$rc" -ne 1 ] || ! grep -q 'run_eval.sh:6:16: error \[kv-cache-too-small\]' "$WORK/try-repo.log"; then
  log "FAILED: expected exit 1 with kv-cache-too-small on run_eval.sh, got exit $rc"
  exit 1
fi

log "2. the three-line .pre-commit-config.yaml on a clean script: the hook must pass"
git rm -q run_eval.sh
cp "$REPO/examples/sound-llama3-8b.sh" run_eval.sh
rev=$(git -C "$REPO" rev-parse HEAD)
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $REPO
    rev: $rev
    hooks: [{ id: lm-eval-lens }]
YAML
git add run_eval.sh .pre-commit-config.yaml && git commit -qm "a launch that fits"
pre-commit run --all-files
log "OK"
