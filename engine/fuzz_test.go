package engine

import (
	"bufio"
	"bytes"
	"encoding/json"
	"testing"

	"github.com/preflight-scan/preflight/checks"
	"github.com/preflight-scan/preflight/report"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/rules"
	"github.com/preflight-scan/preflight/snapshot"
)

// fuzzRecords are seed records, one of each kind, as JSON lines.
func fuzzRecords(f *testing.F) []byte {
	f.Helper()
	recs := []*snapshot.Record{
		{Source: &snapshot.Source{Name: "d.ldif", Kind: "ldif", Areas: []snapshot.Area{snapshot.AreaDirectory, snapshot.AreaClients, snapshot.AreaMailbox}, Status: snapshot.StatusOK}},
		{Dir: snapshot.NewDirObject("CN=a b,OU=x,DC=corp,DC=example,DC=com", map[string][][]byte{
			"objectclass": {[]byte("user")}, "samaccountname": {[]byte("ab")}, "userprincipalname": {[]byte("a@corp.example.com")},
			"mail": {[]byte("a@corp.example.com")}, "proxyaddresses": {[]byte("SMTP:a@corp.example.com"), []byte("smtp:a@x.example")},
			"useraccountcontrol": {[]byte("66048")}, "pwdlastset": {[]byte("134070000000000000")}, "operatingsystem": {[]byte("Windows XP")},
		})},
		{Mailbox: &snapshot.Mailbox{Identity: "a", PrimarySMTP: "a@corp.example.com", TotalBytes: 60 << 30}},
		{Folder: &snapshot.Folder{Mailbox: "a", Path: "/Inbox", Items: 200000, Bytes: 1 << 30}},
		{Client: &snapshot.ClientInstall{Host: "pc1", Product: "Microsoft Office Outlook", Version: "11.0.5510"}},
		{Fact: &snapshot.Fact{Area: snapshot.AreaNetwork, Name: "egress", Value: "2"}},
	}
	var b bytes.Buffer
	for _, r := range recs {
		line, err := json.Marshal(r)
		if err != nil {
			f.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// FuzzEngine feeds snapshot records (JSON lines, as a snapshot file holds
// them) through the engine and every check of the catalogue, under each
// profile: no record may panic a check, and the report must be a valid
// report (before, FuzzRead discarded the records it decoded).
func FuzzEngine(f *testing.F) {
	f.Add(fuzzRecords(f), uint8(0))
	f.Add([]byte(`{"dir":{"dn":"","attrs":{"objectclass":["user"],"mail":["@"],"proxyaddresses":["smtp:"]}}}`+"\n"), uint8(1))
	f.Add([]byte(`{"mailbox":{"identity":"","total_bytes":-1}}`+"\n"+`{"folder":{"mailbox":"x","path":"","items":-1}}`+"\n"), uint8(2))
	rs, err := rules.Load()
	if err != nil {
		f.Fatal(err)
	}
	profiles := rules.Profiles()
	// Compiled once per target: compiling the report schema on every exec
	// cost more than the engine run itself.
	v, err := report.NewValidator()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte, profile uint8) {
		if len(data) > 64<<10 {
			return
		}
		p := profiles[int(profile)%len(profiles)]
		run, err := New(Options{Rules: rs, Registry: checks.Default(), Env: checks.Env{Profile: p, Now: caseNow(), BandwidthMbps: float64(profile)}})
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 64<<10)
		for sc.Scan() {
			var rec snapshot.Record
			if json.Unmarshal(sc.Bytes(), &rec) != nil {
				continue
			}
			if rec.Source != nil && snapshot.CheckSource(rec.Source) != "" {
				continue // the snapshot reader refuses it before the engine sees it
			}
			if err := run.Put(&rec); err != nil {
				t.Fatal(err)
			}
		}
		rep := run.Finish(Meta{Tool: model.Tool{Name: "preflight", Version: "fuzz"}, Scan: model.Scan{ID: "fuzz", Profile: p, Phase: "pre-cutover"}})
		var out bytes.Buffer
		if err := report.WriteJSON(rep, &out); err != nil {
			t.Fatalf("write: %v", err)
		}
		if err := v.Validate(out.Bytes()); err != nil {
			t.Fatalf("the report of fuzzed records is not valid: %v", err)
		}
	})
}
