#!/bin/sh
# Stands in for a desktop VS Code executable in @vscode/test-electron's runTests({ vscodeExecutablePath }):
# it receives VS Code's command line and runs the same tests in code-server instead.
# code-server needs Node 24: the one setup.sh installed (env.sh exports LENS_E2E_NODE_HOME), else PATH's.
exec "${LENS_E2E_NODE_HOME:+$LENS_E2E_NODE_HOME/bin/}node" "$(dirname "$0")/run-ext-tests.mjs" "$@"
