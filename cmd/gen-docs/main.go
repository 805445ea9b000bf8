// Command gen-docs writes the generated command-line documentation into
// docs/: the flag reference (docs/flags.md) and the man pages
// (docs/man/*.1), and removes man pages of commands that no longer exist.
// Run it with make docs after changing a command or a flag; a test in
// internal/cli fails while the committed files are stale.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/preflight-scan/preflight/internal/cli"
)

func main() {
	dir := flag.String("out", "docs", "documentation `DIR`")
	flag.Parse()
	if err := write(*dir); err != nil {
		fmt.Fprintf(os.Stderr, "gen-docs: %v\n", err)
		os.Exit(1)
	}
}

func write(dir string) error {
	files, err := cli.Docs()
	if err != nil {
		return err
	}
	man := filepath.Join(dir, cli.ManDir)
	if err := os.MkdirAll(man, 0o755); err != nil {
		return err
	}
	old, err := filepath.Glob(filepath.Join(man, "*.1"))
	if err != nil {
		return err
	}
	for _, p := range old {
		rel := filepath.ToSlash(strings.TrimPrefix(p, dir+string(filepath.Separator)))
		if _, ok := files[rel]; !ok {
			if err := os.Remove(p); err != nil {
				return err
			}
			fmt.Printf("removed %s\n", p)
		}
	}
	for rel, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if cur, err := os.ReadFile(p); err == nil && string(cur) == string(b) {
			continue
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return err
		}
		fmt.Printf("wrote %s\n", p)
	}
	return nil
}
