#!/usr/bin/env bash
# Build the FerretDB 1.24.2 wrapper (SQLite backend) once; prints the binary's path.
# Usage: tools/ferretdb/build.sh [output-path]
# Default output: ${PHOENIX_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/phoenix-re}/ferretdb-sqlite-1.24.2-phoenix.1
#
# FerretDB comes from the Go module proxy; sqlite-id-index.patch is applied to a copy of it
# first (see the patch for why: without it every lookup by _id scans the whole table).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${PHOENIX_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/phoenix-re}"
out="${1:-$cache/ferretdb-sqlite-1.24.2-phoenix.1}"
if [ -x "$out" ]; then echo "$out"; exit 0; fi
command -v go >/dev/null || { echo "Go is needed to build FerretDB (https://go.dev/dl/)" >&2; exit 1; }
command -v git >/dev/null || { echo "git is needed to patch FerretDB before building it" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
work="$(mktemp -d)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

cd "$here"
module_dir="$(go mod download -json github.com/FerretDB/FerretDB | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[ -d "$module_dir" ] || { echo "could not download github.com/FerretDB/FerretDB" >&2; exit 1; }
cp -R "$module_dir" "$work/ferretdb"
chmod -R u+w "$work/ferretdb"
(cd "$work/ferretdb" && git apply -p1 "$here/sqlite-id-index.patch")
grep -q "Phoenix RE patch" "$work/ferretdb/internal/backends/sqlite/metadata/metadata.go" ||
  { echo "sqlite-id-index.patch did not apply" >&2; exit 1; }

mkdir "$work/wrapper"
cp main.go go.mod go.sum "$work/wrapper/"
cd "$work/wrapper"
go mod edit -replace "github.com/FerretDB/FerretDB=$work/ferretdb"
CGO_ENABLED=0 go build -trimpath -o "$out.tmp" .
mv "$out.tmp" "$out"
echo "$out"
