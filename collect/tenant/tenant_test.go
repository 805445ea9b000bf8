package tenant

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/snapshot"
)

func collect(t *testing.T, c *Collector) ([]*snapshot.Recipient, snapshot.Source, error) {
	t.Helper()
	var got []*snapshot.Recipient
	src, err := c.Collect(context.Background(), snapshot.SinkFunc(func(r *snapshot.Record) error {
		got = append(got, r.Recipient)
		return nil
	}))
	return got, src, err
}

func TestSourceExportsMerge(t *testing.T) {
	got, src, err := collect(t, &Collector{Side: snapshot.SideSource, Recipients: "testdata/source-recipients.csv",
		Mailboxes: "testdata/source-mailboxes.csv", Users: "testdata/source-users.csv"})
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]*snapshot.Recipient{}
	for _, r := range got {
		by[strings.ToLower(r.PrimarySMTP)] = r
	}
	// 6 recipients, ghost only in the mailboxes, carol only in the users.
	if len(got) != 8 || src.Objects != 8 {
		t.Fatalf("got %d objects (source says %d), want 8", len(got), src.Objects)
	}
	a := by["alice@contoso.com"]
	if a == nil || a.ExchangeGUID != "11111111-1111-1111-1111-111111111111" || a.Forwarding != "alice@gmail.example" || !a.DeliverAndForward || a.Licensed != "true" {
		t.Errorf("alice not merged from the three files: %+v", a)
	}
	if !slices.Contains(a.Addresses, "SIP:alice@contoso.com") || !slices.Contains(a.Addresses, "smtp:alice@fabrikam.onmicrosoft.com") {
		t.Errorf("alice's addresses %v", a.Addresses)
	}
	if b := by["bob@contoso.com"]; b.Licensed != "false" || !b.LitigationHold || !slices.Equal(b.Delegates, []string{"alice"}) {
		t.Errorf("bob %+v", b)
	}
	if i := by["info@contoso.com"]; !slices.Equal(i.Addresses, []string{"SMTP:info@contoso.com", "smtp:info@fabrikam.onmicrosoft.com"}) {
		t.Errorf("space-joined addresses of info: %v", i.Addresses)
	}
	if s := by["sales@contoso.com"]; len(s.Addresses) != 2 {
		t.Errorf("comma-joined addresses of sales: %v", s.Addresses)
	}
	if m := by["moved@fabrikam.onmicrosoft.com"]; len(m.Addresses) != 2 || !strings.Contains(m.Addresses[1], "Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients") {
		t.Errorf("X500 address split at its spaces: %q", m.Addresses)
	}
	notes := strings.Join(src.Notes, "\n")
	if !strings.Contains(notes, "source-mailboxes.csv: 1 of 4 row(s) matched no object") || !strings.Contains(notes, "source-users.csv: 1 of 3 row(s)") {
		t.Errorf("unmatched rows not reported: %q", notes)
	}
	for _, r := range got {
		if r.Side != snapshot.SideSource {
			t.Errorf("%s on side %q", r.PrimarySMTP, r.Side)
		}
	}
}

func TestStableOrder(t *testing.T) {
	c := &Collector{Side: snapshot.SideTarget, Recipients: "testdata/target-recipients.csv"}
	a, _, _ := collect(t, c)
	b, _, _ := collect(t, c)
	var x, y []string
	for i := range a {
		x, y = append(x, a[i].Origin), append(y, b[i].Origin)
	}
	if !slices.Equal(x, y) || !slices.IsSortedFunc(a, func(p, q *snapshot.Recipient) int { return strings.Compare(p.PrimarySMTP, q.PrimarySMTP) }) {
		t.Errorf("order %v then %v", x, y)
	}
}

func TestUnjoinedAddressesRefused(t *testing.T) {
	_, _, err := collect(t, &Collector{Side: snapshot.SideSource, Recipients: "testdata/unjoined-recipients.csv"})
	if !errors.Is(err, snapshot.ErrBadInput) {
		t.Fatalf("err %v, want bad input", err)
	}
	for _, want := range []string{"unjoined-recipients.csv:3", "column EmailAddresses", "System.Collections.Generic.List`1[System.String]", "-join ';'"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	for _, v := range []string{"Microsoft.Exchange.Data.ProxyAddressCollection", "System.Object[]", "Microsoft.Exchange.Data.MultiValuedProperty`1[System.String]"} {
		in := "\"PrimarySmtpAddress\",\"EmailAddresses\"\r\n\"a@b.c\",\"" + v + "\"\r\n"
		_, _, err := collect(t, &Collector{Side: snapshot.SideSource, Recipients: "r.csv", Open: func(string) (io.ReadCloser, error) {
			return io.NopCloser(strings.NewReader(in)), nil
		}})
		if !errors.Is(err, snapshot.ErrBadInput) {
			t.Errorf("%s: err %v, want bad input", v, err)
		}
	}
}

func TestMissingFileFailsSource(t *testing.T) {
	_, src, err := collect(t, &Collector{Side: snapshot.SideSource, Recipients: "testdata/nope.csv"})
	if err != nil || src.Status != snapshot.StatusError {
		t.Errorf("err %v status %q, want a failed source", err, src.Status)
	}
}

func TestSplitAddresses(t *testing.T) {
	for in, want := range map[string][]string{
		"SMTP:a@x.com;smtp:b@x.com":  {"SMTP:a@x.com", "smtp:b@x.com"},
		"SMTP:a@x.com, smtp:b@x.com": {"SMTP:a@x.com", "smtp:b@x.com"},
		"SMTP:a@x.com smtp:b@x.com":  {"SMTP:a@x.com", "smtp:b@x.com"},
		"a@x.com b@x.com":            {"a@x.com", "b@x.com"},
		"":                           nil,
	} {
		if got := SplitAddresses(in); !slices.Equal(got, want) {
			t.Errorf("SplitAddresses(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzRecipientRows(f *testing.F) {
	f.Add([]byte("\"Identity\",\"EmailAddresses\"\r\n\"a\",\"SMTP:a@x.com;smtp:a@t.onmicrosoft.com\"\r\n"))
	f.Add([]byte("\ufeff#TYPE x\r\nPrimarySmtpAddress;EmailAddresses;InPlaceHolds\r\na@b.c;System.Object[];\r\n"))
	f.Add([]byte("ExchangeGuid,UserPrincipalName,TotalItemSize\n{1},u@x,1.5 GB (1,610,612,736 bytes)\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		c := &Collector{Side: snapshot.SideSource, Recipients: "a.csv", Archive: "b.csv", Open: func(string) (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(in)), nil
		}}
		got, src, err := collect(t, c)
		if err != nil {
			if !errors.Is(err, snapshot.ErrBadInput) {
				t.Fatalf("error not bad input: %v", err)
			}
			return
		}
		if int64(len(got)) != src.Objects {
			t.Fatalf("%d records, source says %d", len(got), src.Objects)
		}
		for _, r := range got {
			for _, a := range r.Addresses {
				if a == "" || strings.ContainsAny(a, ";,") {
					t.Fatalf("address %q not split", a)
				}
			}
		}
	})
}

// TestArchiveStatsMatchingNoMailbox: an archive statistics row whose
// archive GUID no mailbox carries is counted as unmatched, not turned into
// a recipient of its own (the T2T rules would judge it as a mailbox).
func TestArchiveStatsMatchingNoMailbox(t *testing.T) {
	got, src, err := collect(t, &Collector{Side: snapshot.SideSource, Recipients: "testdata/source-recipients.csv",
		Mailboxes: "testdata/source-mailboxes.csv", Archive: "testdata/source-archive-stats.csv"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range got {
		if r.Archive != nil || strings.Contains(r.DisplayName, "Archive") {
			t.Errorf("the unmatched archive became a recipient: %+v", r)
		}
	}
	if notes := strings.Join(src.Notes, "\n"); !strings.Contains(notes, "source-archive-stats.csv: 1 of 1 row(s) matched no object") {
		t.Errorf("unmatched archive row not reported: %q", notes)
	}
}
