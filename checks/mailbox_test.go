package checks

import (
	"testing"

	"github.com/preflight-scan/preflight/snapshot"
)

func mbxTestUser(dn, display, smtp, guid, legacy string) *snapshot.Record {
	return &snapshot.Record{Dir: &snapshot.DirObject{DN: dn, Kind: snapshot.KindUser, Attrs: map[string][]string{
		"displayname": {display}, "mail": {smtp}, "msexchmailboxguid": {guid}, "legacyexchangedn": {legacy}, "objectguid": {"11111111-2222-3333-4444-" + guid[len(guid)-12:]},
	}}}
}

// TestOwnerJoin checks that a mailbox and a folder are named after the
// directory user by each join key.
func TestOwnerJoin(t *testing.T) {
	ix := newOwners()
	ix.observe(mbxTestUser("CN=Anna Schmidt,DC=x", "Anna Schmidt", "anna@x.com", "6f1c2a3e-0b7d-4c8e-9a10-2b3c4d5e6f70", "/o=X/cn=anna"))
	ix.observe(mbxTestUser("CN=Ben Braun,DC=x", "Ben Braun", "ben@x.com", "00000000-0000-0000-0000-000000000002", "/o=X/cn=ben"))
	ix.observe(mbxTestUser("CN=Ben Braun2,DC=x", "Ben Braun", "ben2@x.com", "00000000-0000-0000-0000-000000000003", "/o=X/cn=ben2"))
	for _, tc := range []struct {
		m    snapshot.Mailbox
		want string
	}{
		{snapshot.Mailbox{Identity: "x", MailboxGUID: "6F1C2A3E-0B7D-4C8E-9A10-2B3C4D5E6F70"}, "CN=Anna Schmidt,DC=x"},
		{snapshot.Mailbox{Identity: "y", LegacyDN: "/O=X/CN=ANNA"}, "CN=Anna Schmidt,DC=x"},
		{snapshot.Mailbox{Identity: "anna@x.com"}, "CN=Anna Schmidt,DC=x"},
		{snapshot.Mailbox{Identity: "x.com/Users/Anna Schmidt"}, "CN=Anna Schmidt,DC=x"},
		{snapshot.Mailbox{Identity: "x.com/Users/Ben Braun"}, ""}, // two users have that display name
	} {
		f, own := ix.forMailbox(&tc.m)
		if own.dn != tc.want || (tc.want != "" && f.Evidence["user_dn"] != tc.want) {
			t.Errorf("%+v joined %q, want %q", tc.m, own.dn, tc.want)
		}
	}
	ix.observe(&snapshot.Record{Mailbox: &snapshot.Mailbox{Identity: "x.com/Users/Anna S", MailboxGUID: "6f1c2a3e-0b7d-4c8e-9a10-2b3c4d5e6f70"}})
	f, own := ix.forFolder(&snapshot.Folder{Mailbox: "x.com/Users/Anna S", Path: "/Posteingang", Type: "Inbox"})
	if own.label != "Anna Schmidt" || f.Object.Name != "Anna Schmidt: /Posteingang" || f.Object.ID != `x.com/Users/Anna S\Posteingang` {
		t.Errorf("folder: %+v %+v", f.Object, own)
	}
}

func TestEstimateHours(t *testing.T) {
	c, err := newEstimate(estimateParams{ThroughputMBh: 146, ConcurrencyPerMbps: 3, MaxConcurrency: 0, GBPerLicence: 50}, Env{BandwidthMbps: 10})
	if err != nil {
		t.Fatal(err)
	}
	var out Output
	for i := 0; i < 100; i++ {
		c.Observe(&snapshot.Record{Mailbox: &snapshot.Mailbox{Identity: "m", TotalBytes: 2 * gib}}, &out)
	}
	c.Finish(&out)
	e := out.Estimate
	// 30 concurrent × 146 MB/h = 4380 MB/h, above what 10 Mbit/s carries
	// (4291.5 MB/h): 204800 MB / 4291.5 = 47.7 h.
	if e == nil || e.Concurrency != 30 || e.Hours != 47.7 || e.Licences != 100 || e.Mailboxes != 100 {
		t.Errorf("estimate %+v", e)
	}
}

func TestLicencesFor(t *testing.T) {
	per := 50 * gib
	for _, tc := range []struct {
		b     int64
		n     int64
		extra bool
	}{{0, 1, false}, {per, 1, false}, {per + 1, 2, false}, {2 * per, 2, false}, {2*per + 1, 3, true}} {
		if n, extra := licencesFor(tc.b, per); n != tc.n || extra != tc.extra {
			t.Errorf("licencesFor(%d) = %d, %v", tc.b, n, extra)
		}
	}
}
