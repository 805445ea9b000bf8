package migration

import (
	"fmt"
	"io"
	"math"
	"os"
	"testing"

	"github.com/preflight-scan/preflight/snapshot"
)

// BenchmarkAddresses puts b.N mail-enabled directory users (three proxy
// addresses each) into a Book and writes addresses.csv. With
// PREFLIGHT_BENCH_NOSPILL=1 every row stays in memory, for comparison.
// docs/benchmarks.md has the 1,000,000-object figures.
func BenchmarkAddresses(b *testing.B) {
	book := NewBook(b.TempDir())
	defer book.Close()
	if os.Getenv("PREFLIGHT_BENCH_NOSPILL") == "1" {
		book.rows.limit = math.MaxInt
	}
	b.ReportAllocs()
	for i := range b.N {
		n := (i * 7919) % max(b.N, 1)
		o := snapshot.NewDirObject(fmt.Sprintf("CN=User %07d,OU=Staff,DC=corp,DC=example", n), map[string][][]byte{
			"objectClass": {[]byte("user")}, "displayName": {[]byte(fmt.Sprintf("User %07d", n))},
			"mail": {[]byte(fmt.Sprintf("u%07d@contoso.com", n))}, "userPrincipalName": {[]byte(fmt.Sprintf("u%07d@corp.example", n))},
			"mailNickname":   {[]byte(fmt.Sprintf("u%07d", n))},
			"proxyAddresses": {[]byte(fmt.Sprintf("SMTP:u%07d@contoso.com", n)), []byte(fmt.Sprintf("smtp:u%07d@fabrikam.onmicrosoft.com", n)), []byte(fmt.Sprintf("smtp:user.%07d@contoso.com", n))},
		})
		if err := book.Put(&snapshot.Record{Dir: o}); err != nil {
			b.Fatal(err)
		}
	}
	if err := book.Put(&snapshot.Record{Source: &snapshot.Source{Name: "bench.ldif"}}); err != nil {
		b.Fatal(err)
	}
	if err := book.WriteAddresses(io.Discard); err != nil {
		b.Fatal(err)
	}
}
