package ldif

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"runtime"
	"testing"

	"github.com/preflight-scan/preflight/collect/ldif/ldifgen"
	"github.com/preflight-scan/preflight/snapshot"
)

func genInput(b testing.TB, n int) []byte {
	b.Helper()
	var buf bytes.Buffer
	if err := ldifgen.Write(&buf, ldifgen.Options{Objects: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkReader measures the parser alone over a generated export.
func BenchmarkReader(b *testing.B) {
	const n = 20000
	in := genInput(b, n)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		r := NewReader(bytes.NewReader(in), "bench.ldif")
		got := 0
		for {
			_, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			got++
		}
		if got != n+1 {
			b.Fatalf("read %d entries, want %d", got, n+1)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "objects/s")
}

// BenchmarkCollector measures parsing plus conversion to directory records.
func BenchmarkCollector(b *testing.B) {
	const n = 20000
	in := genInput(b, n)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	sink := snapshot.SinkFunc(func(*snapshot.Record) error { return nil })
	for b.Loop() {
		c := NewCollector("bench.ldif", func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(in)), nil }, nil)
		src, err := c.Collect(context.Background(), sink)
		if err != nil || src.Objects != n+1 {
			b.Fatalf("collect: %v, %d objects", err, src.Objects)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "objects/s")
}

// TestGeneratedExportParses checks that the benchmark input is valid and
// that the generator is deterministic.
func TestGeneratedExportParses(t *testing.T) {
	a, b := genInput(t, 2000), genInput(t, 2000)
	if !bytes.Equal(a, b) {
		t.Fatal("generator output differs between two runs")
	}
	c := NewCollector("gen.ldif", func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(a)), nil }, nil)
	kinds := map[snapshot.ObjectKind]int{}
	src, err := c.Collect(context.Background(), snapshot.SinkFunc(func(r *snapshot.Record) error {
		kinds[r.Dir.Kind]++
		return nil
	}))
	if err != nil || src.Status != snapshot.StatusOK || src.Objects != 2001 {
		t.Fatalf("collect: %v, %+v", err, src)
	}
	for _, k := range []snapshot.ObjectKind{snapshot.KindUser, snapshot.KindContact, snapshot.KindGroup, snapshot.KindComputer, snapshot.KindDomain} {
		if kinds[k] == 0 {
			t.Errorf("no %s objects generated", k)
		}
	}
}

// BenchmarkCollectorFile reads the LDIF file named by PREFLIGHT_BENCH_LDIF
// (go run ./cmd/gen-ldif -n 1000000 -o big.ldif) into a sink that drops
// every record: the cost of this package at scale, without the rules.
func BenchmarkCollectorFile(b *testing.B) {
	path := os.Getenv("PREFLIGHT_BENCH_LDIF")
	if path == "" {
		b.Skip("set PREFLIGHT_BENCH_LDIF to a large LDIF file")
	}
	sink := snapshot.SinkFunc(func(*snapshot.Record) error { return nil })
	var n int64
	for b.Loop() {
		c := NewCollector(path, func() (io.ReadCloser, error) { return os.Open(path) }, nil)
		src, err := c.Collect(context.Background(), sink)
		if err != nil || src.Status != snapshot.StatusOK {
			b.Fatalf("collect: %v %+v", err, src)
		}
		n += src.Objects
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "objects/s")
	b.ReportMetric(float64(ms.Sys)/(1<<20), "MiB-sys")
}
