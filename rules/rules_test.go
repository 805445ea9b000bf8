package rules

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"
)

// edited returns DIR-006's record with edit applied, as a one-file FS.
func edited(t *testing.T, edit func(r map[string]any)) fstest.MapFS {
	t.Helper()
	b, err := files.ReadFile("DIR-006.json")
	if err != nil {
		t.Fatal(err)
	}
	var r map[string]any
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	edit(r)
	out, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return fstest.MapFS{"DIR-006.json": {Data: out}}
}

// TestFixtures: a case's {"fixture": name} records stand for the
// fixture's records, in place.
func TestFixtures(t *testing.T) {
	rs, err := LoadFS(edited(t, func(map[string]any) {}))
	if err != nil {
		t.Fatal(err)
	}
	r := rs[0]
	if r.Fixtures != nil {
		t.Error("fixtures kept after expansion")
	}
	// "over the soft limit only": user-a-one, user-b-two+group-staff,
	// user-no-mail: four records.
	tc := r.Tests[1]
	var dns []string
	for _, raw := range tc.Records {
		var rec struct {
			Dir struct {
				DN string `json:"dn"`
			} `json:"dir"`
		}
		if err := json.Unmarshal(raw, &rec); err != nil {
			t.Fatal(err)
		}
		dns = append(dns, strings.SplitN(rec.Dir.DN, ",", 2)[0])
	}
	if got := strings.Join(dns, ";"); got != "CN=A One;CN=B Two;CN=Staff;CN=No Mail" {
		t.Errorf("%s: records %s", tc.Name, got)
	}
}

func TestBadFixtures(t *testing.T) {
	for _, tc := range []struct {
		edit func(r map[string]any)
		want string
	}{
		{func(r map[string]any) {
			r["tests"].([]any)[0].(map[string]any)["records"] = []any{map[string]any{"fixture": "user-nobody"}}
		}, `DIR-006 case "three objects are far below every limit": record 1: no fixture "user-nobody"`},
		{func(r map[string]any) {
			r["fixtures"].(map[string]any)["spare"] = []any{map[string]any{"dir": map[string]any{"dn": "CN=x"}}}
		}, `DIR-006: fixture "spare" is used by no test case`},
		{func(r map[string]any) {
			r["tests"].([]any)[0].(map[string]any)["records"] = []any{map[string]any{"fixture": "user-a-one", "dir": map[string]any{}}}
		}, `at /tests/0/records/0: additional properties 'dir' not allowed`},
		{func(r map[string]any) {
			r["tests"].([]any)[0].(map[string]any)["env"] = map[string]any{"phse": "post-cutover"}
		}, `phse`},
	} {
		_, err := LoadFS(edited(t, tc.edit))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
}

// FuzzLoad: any file in the rules directory loads or is an error naming
// the file; it never panics.
func FuzzLoad(f *testing.F) {
	b, err := files.ReadFile("DIR-006.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"fixtures": {"a": [{}]}}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		_, err := LoadFS(fstest.MapFS{"X.json": {Data: doc}})
		if err != nil && !strings.Contains(err.Error(), "X.json") {
			t.Errorf("error does not name the file: %v", err)
		}
	})
}
