package main

import (
	"context"
	"log/slog"
	"sync"
)

// lazyHandler is a slog.Handler that applies the attributes and groups given by With and
// WithGroup only when a record is logged.
//
// FerretDB 1.24 logs every SQL statement at debug level as `l.With(slog.Any("args", args))
// .DebugContext(...)`, twice per statement, and the standard handlers format `With` attributes
// at once, whether or not debug is enabled: every document written was quoted and escaped twice
// for nothing (18% of the server's CPU during an import; `strconv.AppendQuote` under
// `slog.(*Logger).With` in a CPU profile). With this handler a statement costs nothing to log
// unless debug is enabled.
type lazyHandler struct {
	level slog.Leveler
	once  *sync.Once
	build func() slog.Handler
	built slog.Handler
}

// newLazyHandler wraps base; level decides which records are logged.
func newLazyHandler(base slog.Handler, level slog.Leveler) *lazyHandler {
	return &lazyHandler{level: level, once: new(sync.Once), build: func() slog.Handler { return base }}
}

func (h *lazyHandler) handler() slog.Handler {
	h.once.Do(func() { h.built = h.build() })
	return h.built
}

// Enabled implements slog.Handler.
func (h *lazyHandler) Enabled(_ context.Context, level slog.Level) bool {
	return level >= h.level.Level()
}

// Handle implements slog.Handler.
func (h *lazyHandler) Handle(ctx context.Context, r slog.Record) error {
	return h.handler().Handle(ctx, r)
}

// WithAttrs implements slog.Handler.
func (h *lazyHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &lazyHandler{level: h.level, once: new(sync.Once), build: func() slog.Handler { return h.handler().WithAttrs(attrs) }}
}

// WithGroup implements slog.Handler.
func (h *lazyHandler) WithGroup(name string) slog.Handler {
	return &lazyHandler{level: h.level, once: new(sync.Once), build: func() slog.Handler { return h.handler().WithGroup(name) }}
}
