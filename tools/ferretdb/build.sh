#!/usr/bin/env bash
# Build the FerretDB 1.24.2 wrapper (SQLite backend) once; prints the binary's path.
# Usage: tools/ferretdb/build.sh [output-path]
# Default output: ${PHOENIX_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/phoenix-re}/ferretdb-sqlite-1.24.2
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${PHOENIX_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/phoenix-re}"
out="${1:-$cache/ferretdb-sqlite-1.24.2}"
if [ -x "$out" ]; then echo "$out"; exit 0; fi
command -v go >/dev/null || { echo "Go is needed to build FerretDB (https://go.dev/dl/)" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
cd "$here"
CGO_ENABLED=0 go build -trimpath -o "$out.tmp" .
mv "$out.tmp" "$out"
echo "$out"
