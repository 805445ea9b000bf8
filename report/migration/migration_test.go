package migration

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/snapshot"
)

func put(t *testing.T, b *Book, recs ...*snapshot.Record) {
	t.Helper()
	for _, r := range recs {
		if err := b.Put(r); err != nil {
			t.Fatal(err)
		}
	}
}

func rows(t *testing.T, data []byte) [][]string {
	t.Helper()
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	rs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func mbx(side, primary, display string, delegates ...string) *snapshot.Record {
	local, _, _ := strings.Cut(primary, "@")
	return &snapshot.Record{Recipient: &snapshot.Recipient{Side: side, Identity: local, Alias: local, DisplayName: display,
		RecipientTypeDetails: "UserMailbox", PrimarySMTP: primary, Addresses: []string{"SMTP:" + primary, "smtp:" + local + "@src.onmicrosoft.com"},
		Delegates: delegates, Origin: "r.csv:1"}}
}

// The back-out file holds every address of every recipient, from the
// tenant exports and the directory, and says where each row came from.
func TestAddressesEverySourceAndProxy(t *testing.T) {
	b := NewBook("")
	defer b.Close()
	dir := snapshot.NewDirObject("CN=Dora,OU=Staff,DC=corp,DC=example", map[string][][]byte{
		"objectClass": {[]byte("user")}, "displayName": {[]byte("=Dora")}, "mail": {[]byte("dora@contoso.com")},
		"proxyAddresses": {[]byte("smtp:d@contoso.com"), []byte("SMTP:dora@contoso.com")}, "msExchRecipientTypeDetails": {[]byte("1")},
		"userPrincipalName": {[]byte("dora@corp.example")}, "mailNickname": {[]byte("dora")},
	})
	noMail := snapshot.NewDirObject("CN=Nomail,DC=corp,DC=example", map[string][][]byte{"objectClass": {[]byte("user")}})
	put(t, b, &snapshot.Record{Dir: dir}, &snapshot.Record{Dir: noMail}, &snapshot.Record{Source: &snapshot.Source{Name: "corp.ldif"}},
		mbx(snapshot.SideTarget, "zed@target.example", "Zed"), mbx(snapshot.SideSource, "amy@contoso.com", "Amy"))
	var buf bytes.Buffer
	if err := b.WriteAddresses(&buf); err != nil {
		t.Fatal(err)
	}
	got := rows(t, buf.Bytes())
	want := [][]string{
		addressColumns,
		{"source tenant", "r.csv:1", "UserMailbox", "Amy", "", "amy", "amy@contoso.com", "", "SMTP:amy@contoso.com;smtp:amy@src.onmicrosoft.com", "amy"},
		{"target tenant", "r.csv:1", "UserMailbox", "Zed", "", "zed", "zed@target.example", "", "SMTP:zed@target.example;smtp:zed@src.onmicrosoft.com", "zed"},
		{"directory", "corp.ldif", "UserMailbox", "'=Dora", "dora@corp.example", "dora", "dora@contoso.com", "", "SMTP:dora@contoso.com;smtp:d@contoso.com", "CN=Dora,OU=Staff,DC=corp,DC=example"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("addresses.csv:\n got %q\nwant %q", got, want)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\uFEFFSource,")) || !bytes.Contains(buf.Bytes(), []byte("\r\n")) {
		t.Error("want a UTF-8 BOM and CRLF line ends, as Export-Csv writes")
	}
}

// Sorting through temporary files gives the same bytes as sorting in
// memory, and the same input in another order gives the same file.
func TestAddressesSpillIsByteStable(t *testing.T) {
	write := func(limit int, reverse bool) string {
		b := NewBook(t.TempDir())
		defer b.Close()
		b.rows.limit = limit
		var recs []*snapshot.Record
		for i := range 1000 {
			recs = append(recs, mbx(snapshot.SideSource, fmt.Sprintf("u%04d@contoso.com", (i*7919)%1000), fmt.Sprintf("User %d", i)))
		}
		if reverse {
			for i, j := 0, len(recs)-1; i < j; i, j = i+1, j-1 {
				recs[i], recs[j] = recs[j], recs[i]
			}
		}
		put(t, b, recs...)
		var buf bytes.Buffer
		if err := b.WriteAddresses(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	mem := write(chunkRows, false)
	if got := write(64, false); got != mem {
		t.Error("spilled sort differs from the in-memory sort")
	}
	if got := write(37, true); got != mem {
		t.Error("the same records in another order give another file")
	}
	if n := strings.Count(mem, "\r\n"); n != 1001 {
		t.Errorf("%d lines, want 1001", n)
	}
}

func batches(t *testing.T, b *Book, o BatchOptions) [][]string {
	t.Helper()
	var buf bytes.Buffer
	if err := b.WriteBatches(&buf, o); err != nil {
		t.Fatal(err)
	}
	return rows(t, buf.Bytes())[1:]
}

// A delegate and the principal who names it share a wave even when the
// addresses sort them apart; waves hold at most 3 per Mbit/s.
func TestBatchesDelegatesShareAWave(t *testing.T) {
	b := NewBook("")
	defer b.Close()
	put(t, b, mbx(snapshot.SideSource, "boss@contoso.com", "Boss", "Zoe Assistant"),
		mbx(snapshot.SideSource, "a1@contoso.com", "A1"), mbx(snapshot.SideSource, "a2@contoso.com", "A2"),
		mbx(snapshot.SideSource, "zoe@contoso.com", "Zoe Assistant"),
		&snapshot.Record{Recipient: &snapshot.Recipient{Side: snapshot.SideSource, RecipientTypeDetails: "MailContact", PrimarySMTP: "c@x.example"}})
	got := batches(t, b, BatchOptions{BandwidthMbps: 1, TargetDomain: "fabrikam.onmicrosoft.com"})
	waves := map[string]string{}
	for _, r := range got {
		waves[r[1]] = r[0]
		if want := strings.Split(r[1], "@")[0] + "@fabrikam.onmicrosoft.com"; r[2] != want {
			t.Errorf("%s → %s, want %s", r[1], r[2], want)
		}
	}
	if len(got) != 4 {
		t.Fatalf("%d rows, want the 4 mailboxes (no contact): %q", len(got), got)
	}
	if waves["boss@contoso.com"] != waves["zoe@contoso.com"] {
		t.Errorf("boss in wave %s, delegate zoe in wave %s", waves["boss@contoso.com"], waves["zoe@contoso.com"])
	}
	if waves["a1@contoso.com"] != "1" || waves["a2@contoso.com"] != "1" || waves["boss@contoso.com"] != "2" {
		t.Errorf("waves %v: want a1, a2 and a free seat in wave 1, the pair in wave 2", waves)
	}
}

// Without delegate data every row says so; the mapping wins over the
// domain; no bandwidth is an error.
func TestBatchesMappingAndNoDelegationData(t *testing.T) {
	b := NewBook("")
	defer b.Close()
	put(t, b, mbx(snapshot.SideSource, "amy@contoso.com", "Amy"), mbx(snapshot.SideSource, "bo@contoso.com", "Bo"),
		mbx(snapshot.SideTarget, "x@northwind.onmicrosoft.com", "X"))
	got := batches(t, b, BatchOptions{BandwidthMbps: 0.4, Mapping: map[string]string{"amy@contoso.com": "amy.smith@northwind.com"}, MappingFile: "map.csv"})
	if got[0][2] != "amy.smith@northwind.com" || got[0][6] != "mapping map.csv" {
		t.Errorf("amy: %q", got[0])
	}
	if got[1][2] != "bo@northwind.onmicrosoft.com" || !strings.Contains(got[1][6], "onmicrosoft.com domain") {
		t.Errorf("bo: %q", got[1])
	}
	if got[0][0] != "1" || got[1][0] != "2" {
		t.Errorf("0.4 Mbit/s: one mailbox a wave, got %q", got)
	}
	for _, r := range got {
		if !strings.Contains(r[7], "no delegation data") {
			t.Errorf("row %q does not say that no delegation data was given", r)
		}
	}
	if err := b.WriteBatches(&bytes.Buffer{}, BatchOptions{}); err == nil {
		t.Error("no bandwidth: want an error")
	}
	e := NewBook("")
	defer e.Close()
	put(t, e, mbx(snapshot.SideSource, "amy@contoso.com", "Amy"))
	if err := e.WriteBatches(&bytes.Buffer{}, BatchOptions{BandwidthMbps: 1}); err == nil {
		t.Error("no target domain: want ErrNoTarget")
	}
}

// The directory's publicDelegates link a principal to its delegate.
func TestBatchesFromDirectory(t *testing.T) {
	b := NewBook("")
	defer b.Close()
	user := func(cn, mail string, extra ...string) *snapshot.Record {
		raw := map[string][][]byte{"objectClass": {[]byte("user")}, "mail": {[]byte(mail)}, "msExchMailboxGuid": {[]byte(cn)}}
		for i := 0; i+1 < len(extra); i += 2 {
			raw[extra[i]] = append(raw[extra[i]], []byte(extra[i+1]))
		}
		return &snapshot.Record{Dir: snapshot.NewDirObject("CN="+cn+",DC=corp,DC=example", raw)}
	}
	put(t, b, user("Boss", "boss@contoso.com", "publicDelegates", "CN=Zoe,DC=corp,DC=example"),
		user("Mid", "mid@contoso.com"), user("Zoe", "zoe@contoso.com"),
		user("Exec", "exec@contoso.com", "msExchDelegateListLink", "CN=Pa,DC=corp,DC=example"), user("Pa", "pa@contoso.com"))
	got := batches(t, b, BatchOptions{BandwidthMbps: 0.67, TargetDomain: "t.example"})
	waves := map[string]string{}
	groups := map[string]string{}
	for _, r := range got {
		waves[r[1]], groups[r[1]] = r[0], r[5]
	}
	if waves["boss@contoso.com"] != waves["zoe@contoso.com"] || waves["exec@contoso.com"] != waves["pa@contoso.com"] || waves["boss@contoso.com"] == waves["exec@contoso.com"] {
		t.Errorf("want boss with zoe (publicDelegates) and exec with pa (msExchDelegateListLink), two per wave: %q", got)
	}
	if groups["boss@contoso.com"] != "boss@contoso.com" || groups["zoe@contoso.com"] != "boss@contoso.com" || groups["mid@contoso.com"] != "" {
		t.Errorf("DelegateGroup: %q", got)
	}
}
