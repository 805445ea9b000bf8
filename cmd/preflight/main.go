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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], cli.IO{
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Getenv: os.Getenv,
		Now:    time.Now,
	})
	stop()
	os.Exit(code)
}
