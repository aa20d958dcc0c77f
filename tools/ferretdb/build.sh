#!/usr/bin/env bash
# Build the FerretDB 1.24.2 wrapper (SQLite backend) once; prints the binary's path.
# Usage: tools/ferretdb/build.sh [output-path]
# Default output: ${PHOENIX_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/phoenix-re}/ferretdb-sqlite-1.24.2-phoenix.5
#
# FerretDB comes from the Go module proxy; our patches are applied to a copy of it first (each
# patch says why): sqlite-id-index.patch (lookups by _id and _id $in use the _id index),
# atomic-updates.patch (update, findAndModify and delete are atomic with respect to each other
# and cannot deadlock the connection pool) and batched-updates.patch (the documents one update
# statement modifies are written in one transaction) and concurrent-ddl.patch (concurrent createIndexes
# and renameCollection fail with MongoDB's codes instead of panicking). Changing a patch means a new build name
# (FERRETDB_BUILD in src/main/db/local-server.ts and the default output below).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${PHOENIX_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/phoenix-re}"
out="${1:-$cache/ferretdb-sqlite-1.24.2-phoenix.5}"
if [ -x "$out" ]; then echo "$out"; exit 0; fi
command -v go >/dev/null || { echo "Go is needed to build FerretDB (https://go.dev/dl/)" >&2; exit 1; }
command -v git >/dev/null || { echo "git is needed to patch FerretDB before building it" >&2; exit 1; }
# Progress on stderr (stdout is the binary's path): a first build takes minutes, and a terminal
# that says nothing for that long looks hung (issue #23).
step() { echo "FerretDB build ($SECONDS s): $*" >&2; }
mkdir -p "$(dirname "$out")"
work="$(mktemp -d)"
ticker=""
trap '[ -n "$ticker" ] && kill "$ticker" 2>/dev/null; chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

cd "$here"
step "downloading FerretDB from the Go module proxy..."
module_dir="$(go mod download -json github.com/FerretDB/FerretDB | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[ -d "$module_dir" ] || { echo "could not download github.com/FerretDB/FerretDB" >&2; exit 1; }
cp -R "$module_dir" "$work/ferretdb"
chmod -R u+w "$work/ferretdb"
step "applying our patches..."
for patch in sqlite-id-index.patch atomic-updates.patch batched-updates.patch concurrent-ddl.patch; do
  (cd "$work/ferretdb" && git apply -p1 "$here/$patch") || { echo "$patch did not apply" >&2; exit 1; }
done
grep -q "Phoenix RE patch" "$work/ferretdb/internal/backends/sqlite/metadata/metadata.go" ||
  { echo "sqlite-id-index.patch did not apply" >&2; exit 1; }
grep -q "lockCollection" "$work/ferretdb/internal/handler/msg_update.go" ||
  { echo "atomic-updates.patch did not apply" >&2; exit 1; }
grep -q "idWhereClause" "$work/ferretdb/internal/backends/sqlite/collection.go" ||
  { echo "sqlite-id-index.patch did not apply" >&2; exit 1; }
grep -q "updateBatchSize" "$work/ferretdb/internal/handler/common/update.go" ||
  { echo "batched-updates.patch did not apply" >&2; exit 1; }
grep -q "indexConflict" "$work/ferretdb/internal/backends/sqlite/metadata/registry.go" ||
  { echo "concurrent-ddl.patch did not apply" >&2; exit 1; }

mkdir "$work/wrapper"
cp main.go lazy_log.go go.mod go.sum "$work/wrapper/"
cd "$work/wrapper"
go mod edit -replace "github.com/FerretDB/FerretDB=$work/ferretdb"
step "compiling with Go (a few minutes the first time; it is cached afterwards)..."
( while sleep 20; do step "still compiling..."; done ) &
ticker=$!
CGO_ENABLED=0 go build -trimpath -o "$out.tmp" .
kill "$ticker" 2>/dev/null || true
ticker=""
mv "$out.tmp" "$out"
step "done: $out"
echo "$out"
