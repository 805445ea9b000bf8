package migration

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/snapshot"
)

// FuzzBook: whatever the exports hold (quotes, separators, newlines,
// control characters in names and addresses), addresses.csv reads back
// as CSV with every value as it was given (DisplayName aside, which may
// gain a leading '), spilled or not; migration-batches.csv is written and
// the same records give the same bytes.
func FuzzBook(f *testing.F) {
	f.Add("Alice Adams", "alice@contoso.com", "alice", "SMTP:alice@contoso.com;smtp:a@x.onmicrosoft.com", "Bob", uint8(1))
	f.Add("=cmd|' /C calc'!A0", "\"q\"@x", "a,b", "X500:/o=A B/cn=c;d\r\ne", "", uint8(2))
	f.Add("", "", "", "", "", uint8(0))
	f.Fuzz(func(t *testing.T, display, primary, alias, addrs, delegate string, n uint8) {
		build := func(limit int) (string, string) {
			b := NewBook(t.TempDir())
			defer b.Close()
			b.rows.limit = limit
			for i := range int(n%5) + 1 {
				side := snapshot.SideSource
				if i%3 == 2 {
					side = snapshot.SideTarget
				}
				r := &snapshot.Record{Recipient: &snapshot.Recipient{Side: side, DisplayName: display, PrimarySMTP: primary, Alias: alias,
					RecipientTypeDetails: "UserMailbox", Addresses: strings.Split(addrs, ";"), Delegates: []string{delegate, alias}, Origin: "f.csv:1"}}
				if err := b.Put(r); err != nil {
					t.Fatal(err)
				}
			}
			var a, m bytes.Buffer
			if err := b.WriteAddresses(&a); err != nil {
				t.Fatal(err)
			}
			if err := b.WriteBatches(&m, BatchOptions{BandwidthMbps: 0.5, TargetDomain: "t.example"}); err != nil {
				t.Fatal(err)
			}
			return a.String(), m.String()
		}
		a1, m1 := build(chunkRows)
		a2, m2 := build(1)
		if a1 != a2 || m1 != m2 {
			t.Fatal("the same records gave different files (spilled vs in memory)")
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(a1, "\uFEFF"))).ReadAll()
		if err != nil {
			t.Fatalf("addresses.csv does not read back: %v", err)
		}
		for _, r := range rows[1:] {
			// encoding/csv turns \r\n inside a quoted field into \n.
			norm := func(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
			if r[6] != norm(primary) || r[5] != norm(alias) || r[8] != norm(strings.Join(uniqSorted(strings.Split(addrs, ";")), ";")) {
				t.Fatalf("row %q does not hold the values given", r)
			}
			if r[3] != norm(display) && r[3] != "'"+norm(display) {
				t.Fatalf("DisplayName %q, want %q", r[3], display)
			}
		}
		if _, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(m1, "\uFEFF"))).ReadAll(); err != nil {
			t.Fatalf("migration-batches.csv does not read back: %v", err)
		}
	})
}
