package html

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/report/reporttest"
)

// FuzzNames renders the fixture with arbitrary text as a finding's name,
// identity and message and the organisation, and checks that the page
// keeps its shape: two script elements and no more, a data block with no
// <, > or & that decodes back to the exact strings, and no markup from
// the text outside it.
func FuzzNames(f *testing.F) {
	for _, h := range reporttest.Hostile {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rep := reporttest.Report()
		rep.Scan.Organisation = s
		rep.Findings[0].Object.Name = s
		rep.Findings[0].Object.ID = s
		rep.Findings[0].Message = s
		var buf bytes.Buffer
		if err := Write(rep, &buf); err != nil {
			t.Fatal(err)
		}
		page := buf.String()
		if n := strings.Count(strings.ToLower(page), "<script"); n != 2 {
			t.Fatalf("%d script elements", n)
		}
		if n := strings.Count(strings.ToLower(page), "</script"); n != 2 {
			t.Fatalf("%d </script", n)
		}
		if strings.Contains(page, "<!--") {
			t.Fatal("a comment opened")
		}
		start := strings.Index(page, `<script type="application/json" id="findings-data">`)
		end := strings.Index(page[start:], "</script>")
		data := page[start+len(`<script type="application/json" id="findings-data">`) : start+end]
		if strings.ContainsAny(data, "<>&\u2028\u2029") {
			t.Fatal("unescaped <, >, &, U+2028 or U+2029 in the data block")
		}
		var got struct {
			Findings [][]any `json:"findings"`
		}
		if err := json.Unmarshal([]byte(data), &got); err != nil {
			t.Fatal(err)
		}
		// encoding/json shows each invalid UTF-8 byte as U+FFFD.
		b, _ := json.Marshal(s)
		var want string
		_ = json.Unmarshal(b, &want)
		if got.Findings[0][5] != want {
			t.Fatalf("name %q came back as %q", want, got.Findings[0][5])
		}
	})
}
