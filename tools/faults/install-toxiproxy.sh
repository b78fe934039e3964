#!/usr/bin/env bash
# Installs Shopify's toxiproxy server, pinned, into .tools/go/bin (once; later runs reuse it).
#   bash tools/faults/install-toxiproxy.sh     prints the binary's path
# Needs Go (go install from the Go module proxy); the fault suite calls this itself.
set -Eeuo pipefail
VERSION=v2.12.0
REPO="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)"
GOBIN="$REPO/.tools/go/bin"
BINARY="$GOBIN/toxiproxy-server-$VERSION"
if [[ ! -x "$BINARY" ]]; then
  command -v go >/dev/null 2>&1 || { echo "toxiproxy: Go is needed once to install toxiproxy-server $VERSION (go install); install Go 1.22+, then retry" >&2; exit 1; }
  mkdir -p "$GOBIN"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  echo "toxiproxy: installing github.com/Shopify/toxiproxy/v2 $VERSION with go install (once)" >&2
  # Since v2.2 the server's package is cmd/server, so go install names the binary "server".
  GOBIN="$tmp" GOFLAGS=-buildvcs=false go install "github.com/Shopify/toxiproxy/v2/cmd/server@$VERSION" >&2
  mv "$tmp/server" "$BINARY"
fi
echo "$BINARY"
