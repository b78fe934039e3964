#!/usr/bin/env bash
# The console's browser tests drive Debian's chromium (never a downloaded
# browser). Installs it with apt-get when it is missing; needs root (CI runs as
# root) or passwordless sudo. Idempotent: a present /usr/bin/chromium is reused.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "chromium is missing and this user cannot install it: run 'apt-get install -y chromium' as root" >&2
    exit 1
  fi
fi
echo "installing Debian's chromium for the console's browser tests (apt-get)"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
/usr/bin/chromium --version
