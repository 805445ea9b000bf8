package cli

import (
	"context"
	"os"
	"sync/atomic"
	"syscall"
)

// The run has two cancellations. The context the command runs under is
// the interrupt: the first Ctrl-C (or a cancelled parent context) stops
// the collection, and the run goes on to report what it has, marked
// interrupted. The abort is harder: a second signal, or a SIGTERM once the
// collection is over (during evaluation and rendering), stops the run at
// once, removes every temporary output and exits non-zero with nothing
// written.

// runSignals is the abort state of a run, kept in its context.
type runSignals struct {
	abort     context.Context //nolint:containedctx // the abort is a second cancellation of the same run
	finishing atomic.Bool
}

type signalsKey struct{}

// watchSignals returns ctx cancelled at the first signal of sigs (as well
// as with its parent) and carrying the abort (see abortOf); stop releases
// the watcher. A nil sigs never aborts.
func watchSignals(parent context.Context, sigs <-chan os.Signal) (context.Context, func()) {
	abort, abortCancel := context.WithCancel(context.WithoutCancel(parent))
	ctx, cancel := context.WithCancel(parent)
	unlink := context.AfterFunc(abort, cancel)
	st := &runSignals{abort: abort}
	done := make(chan struct{})
	if sigs != nil {
		go func() {
			n := 0
			for {
				select {
				case <-done:
					return
				case sig := <-sigs:
					n++
					if n > 1 || (sig == syscall.SIGTERM && st.finishing.Load()) {
						// Cancel the run first, so that whoever sees
						// the abort also sees the run stopped (the
						// AfterFunc below runs in its own goroutine).
						cancel()
						abortCancel()
					} else {
						cancel()
					}
				}
			}
		}()
	}
	return context.WithValue(ctx, signalsKey{}, st), func() {
		close(done)
		unlink()
		cancel()
		abortCancel()
	}
}

// abortOf returns the run's abort context: done on a second signal or a
// SIGTERM while finishing. Without watchSignals it never ends.
func abortOf(ctx context.Context) context.Context {
	if st, ok := ctx.Value(signalsKey{}).(*runSignals); ok {
		return st.abort
	}
	return context.WithoutCancel(ctx)
}

// finishing marks the end of the collection: from now on a SIGTERM
// aborts rather than interrupts.
func finishing(ctx context.Context) {
	if st, ok := ctx.Value(signalsKey{}).(*runSignals); ok {
		st.finishing.Store(true)
	}
}
