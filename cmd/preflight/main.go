// Command preflight tells an IT team, before they move mail and directory
// to Microsoft 365, what will break and what to fix.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/preflight-scan/preflight/internal/cli"
)

func main() {
	// The command line tells an interrupt from an abort (see cli.IO).
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	code := cli.Main(context.Background(), os.Args[1:], cli.IO{
		Stdin:   os.Stdin,
		Stdout:  os.Stdout,
		Stderr:  os.Stderr,
		Getenv:  os.Getenv,
		Now:     time.Now,
		Signals: sigs,
	})
	signal.Stop(sigs)
	os.Exit(code)
}
