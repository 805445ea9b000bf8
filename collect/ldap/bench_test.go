package ldap

import (
	"context"
	"runtime"
	"testing"

	"github.com/preflight-scan/preflight/snapshot"
)

// BenchmarkCollect measures the collector's own cost per object (decoding
// is the fake's, so this is record building, paging and range handling)
// and reports the peak heap, which holds the fake directory itself
// (20,000 entries) plus one page: it must not grow with b.N.
func BenchmarkCollect(b *testing.B) {
	f := smallDomain(20000, 3000)
	f.maxVal = 1500
	c := newTestCollector(f, testConfig())
	c.cfg.PageSize = 1000
	sink := snapshot.SinkFunc(func(*snapshot.Record) error { return nil })
	var peak uint64
	var ms runtime.MemStats
	n := 0
	sink2 := snapshot.SinkFunc(func(r *snapshot.Record) error {
		if n++; n%500 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		return sink.Put(r)
	})
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		src, err := c.Collect(context.Background(), sink2)
		if err != nil || src.Status != snapshot.StatusOK {
			b.Fatalf("%+v %v", src, err)
		}
	}
	b.ReportMetric(float64(20002*b.N)/b.Elapsed().Seconds(), "objects/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}
