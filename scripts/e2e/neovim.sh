#!/usr/bin/env bash
# npm run test:neovim — the language server driven by a second, independent LSP client: Neovim's
# built-in one, headless, over stdio (test/e2e/neovim/lsp-check.lua). Installs Debian's neovim if
# it is missing. Exit code = result.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
cd "$REPO"
if ! command -v nvim >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=(); else SUDO=(sudo); fi
  echo "[neovim] installing Debian neovim"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq && "${SUDO[@]}" apt-get install -y -qq --no-install-recommends neovim >/dev/null
fi
[ -f server/out/server.js ] || npm run --silent build
WORK=$(mktemp -d -t lens-nvim.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cp examples/seed-qwen1.5-4b.sh "$WORK/"
echo "[neovim] $(nvim --version | head -1), server: node $(node --version) bin/lm-eval-lens-server.js --stdio"
t0=$(date +%s%N)
set +e
LENS_SERVER_JS="$REPO/bin/lm-eval-lens-server.js" LENS_FILE="$WORK/seed-qwen1.5-4b.sh" \
  timeout 120 nvim --headless --clean -c "luafile $REPO/test/e2e/neovim/lsp-check.lua" >"$WORK/out.json" 2>"$WORK/err.txt"
rc=$?
set -e
elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
node -e '
const out = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").pop() || "{}");
for (const c of out.checks ?? []) console.log(`[neovim] ${c.ok ? "✔" : "✘"} ${c.name}${c.ok ? "" : `: ${c.detail}`}`);
if (out.line_after_fix) console.log(`[neovim] after the fix: ${out.line_after_fix.trim()}`);
' "$WORK/out.json" 2>/dev/null || { echo "[neovim] no JSON result; stdout/stderr:"; cat "$WORK/out.json" "$WORK/err.txt"; }
echo "[neovim] exit code $rc in ${elapsed_ms} ms"
exit $rc
