// Command ferretdb-sqlite runs FerretDB 1.24 with its SQLite backend on a loopback port.
//
// The upstream `cmd/ferretdb` panics when built with `go install` because its
// build/version/version.txt is not part of the module, so this wrapper embeds the
// library instead. Usage: ferretdb-sqlite -listen 127.0.0.1:27017 -dir /path/to/data
// [-sqlite-pragma 'max_page_count(400)' ...]
//
// -sqlite-pragma (repeatable) adds a pragma that SQLite (modernc.org/sqlite) runs on every
// connection to every database file, as `_pragma=...` in the SQLite URL. Tests use
// `max_page_count(N)` to cap a database at N pages, so that SQLite answers a write past it with
// SQLITE_FULL (13, "database or disk is full") exactly as on a full disk, without privileges.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dir := flag.String("dir", "", "folder for the SQLite data files (required)")
	var pragmas pragmaList
	flag.Var(&pragmas, "sqlite-pragma", "a pragma run on every SQLite connection, as name(value); repeatable")
	flag.Parse()

	if *dir == "" {
		fmt.Fprintln(os.Stderr, "ferretdb-sqlite: -dir is required")
		os.Exit(2)
	}
	abs, err := filepath.Abs(*dir)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-sqlite: %v\n", err)
		os.Exit(2)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-sqlite: cannot create %s: %v\n", abs, err)
		os.Exit(2)
	}

	tuneGC()

	level := slog.LevelInfo
	logger := slog.New(newLazyHandler(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}), level))

	f, err := ferretdb.New(&ferretdb.Config{
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/" + pragmas.query(),
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-sqlite: %v\n", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	fmt.Fprintf(os.Stdout, "ferretdb-sqlite listening on %s, data in %s\n", *listen, abs)
	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		fmt.Fprintf(os.Stderr, "ferretdb-sqlite: %v\n", err)
		os.Exit(1)
	}
}

// tuneGC lets the heap grow to 5x the live data between collections (GOGC=400) instead of Go's
// default 2x, under a soft limit of 1 GiB, unless GOGC or GOMEMLIMIT say otherwise. FerretDB
// allocates heavily for every document it converts: with the default, garbage collection took a
// quarter of the server's CPU during an ARMLS import; with 400 the server used 24% less CPU for
// the same import, its peak resident memory 290 MB instead of 146 MB (20,000 rows, both passes,
// tests/bench/armls-import.ts). The limit makes collections more frequent only near 1 GiB.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}

	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(1 << 30)
	}
}

// pragmaList is the -sqlite-pragma values, each `name(value)` or `name` (letters, digits, _ and
// a value of letters, digits, _ and -), checked so that none can add another URL parameter.
type pragmaList []string

var pragmaPattern = regexp.MustCompile(`^[a-z_]+(\([A-Za-z0-9_-]+\))?$`)

func (p *pragmaList) String() string { return strings.Join(*p, ",") }

func (p *pragmaList) Set(value string) error {
	if !pragmaPattern.MatchString(value) {
		return fmt.Errorf("%q is not a pragma as name(value), e.g. max_page_count(400)", value)
	}
	*p = append(*p, value)
	return nil
}

// query is the pragmas as the SQLite URL's query (`?_pragma=...&...`), or "" for none.
func (p pragmaList) query() string {
	if len(p) == 0 {
		return ""
	}
	values := url.Values{"_pragma": p}
	return "?" + values.Encode()
}
