// Command gen-ldif writes a large synthetic Active Directory export in
// LDIF for benchmarks.
//
// Usage:
//
//	gen-ldif -n 1000000 -o big.ldif
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/preflight-scan/preflight/collect/ldif/ldifgen"
)

func main() {
	n := flag.Int("n", 1000000, "number of directory objects")
	out := flag.String("o", "-", "output file (- for stdout)")
	seed := flag.Uint64("seed", 1, "seed; the same seed gives the same file")
	date := flag.String("date", "", "export date `YYYY-MM-DD` that password ages count back from (default: today)")
	flag.Parse()
	now := time.Now().UTC()
	if *date != "" {
		t, err := time.Parse("2006-01-02", *date)
		if err != nil {
			fmt.Fprintf(os.Stderr, "gen-ldif: -date: %v\n", err)
			os.Exit(2)
		}
		now = t
	}
	if err := run(ldifgen.Options{Objects: *n, Seed: *seed, Now: now}, *out); err != nil {
		fmt.Fprintf(os.Stderr, "gen-ldif: %v\n", err)
		os.Exit(1)
	}
}

func run(o ldifgen.Options, out string) error {
	if out == "-" {
		return write(os.Stdout, o, out)
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := write(f, o, out); err != nil {
		_ = f.Close() // the write error is the one to report
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	return nil
}

// write writes the export to w through a buffer.
func write(w io.Writer, o ldifgen.Options, out string) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	if err := ldifgen.Write(bw, o); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	return nil
}
