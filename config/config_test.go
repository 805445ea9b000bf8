package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/snapshot"
)

var testFlags = Flags{
	"ldap-url": String, "bind-user": String, "bind-password-env": String, "bind-password-file": String,
	"ldif": List, "format": List, "out": String, "profile": String, "fail-on": String,
	"bandwidth-mbps": Number, "quiet": Bool, "timeout": String, "history": String, "config": String,
}

const good = `# nightly scan of Contoso
organisation: Contoso Ökonomie GmbH
ldap-url: ldaps://dc1.contoso.example
bind-user: svc-preflight@contoso.example
bind-password-env: PREFLIGHT_BIND_PASSWORD
ldif: [a.ldif, b.ldif]
format:
  - json
  - pdf
bandwidth-mbps: 100
quiet: true
timeout: 30s
rules:
  MBX-002:
    quota_gb: 50
    plans: [plan1, e3]
suppressions:
  - rule: DIR-005
    object: CN=Shared Mailbox,OU=Shared,DC=contoso,DC=example
    reason: accepted until the mailbox is retired
    expires: 2027-01-31
  - rule: DIR-001
    object: anna@contoso.example
    reason: renamed by HR process
history:
  dir: /var/lib/preflight/history
  keep: 14
`

func TestParseGood(t *testing.T) {
	c, err := Parse("preflight.yaml", []byte(good), testFlags)
	if err != nil {
		t.Fatal(err)
	}
	if c.Organisation != "Contoso Ökonomie GmbH" {
		t.Errorf("organisation = %q", c.Organisation)
	}
	want := map[string][]string{
		"ldap-url": {"ldaps://dc1.contoso.example"}, "bind-user": {"svc-preflight@contoso.example"},
		"bind-password-env": {"PREFLIGHT_BIND_PASSWORD"}, "ldif": {"a.ldif", "b.ldif"}, "format": {"json", "pdf"},
		"bandwidth-mbps": {"100"}, "quiet": {"true"}, "timeout": {"30s"},
	}
	if !reflect.DeepEqual(c.Flags, want) {
		t.Errorf("flags = %v\nwant %v", c.Flags, want)
	}
	if q := c.Rules["MBX-002"]["quota_gb"]; q != int64(50) {
		t.Errorf("quota_gb = %#v, want int64 50", q)
	}
	if len(c.Suppressions) != 2 || c.Suppressions[0].Expires != "2027-01-31" || c.Suppressions[0].Line != 18 || c.Suppressions[1].Expires != "" {
		t.Errorf("suppressions = %+v", c.Suppressions)
	}
	if c.History != (History{Dir: "/var/lib/preflight/history", Keep: 14}) {
		t.Errorf("history = %+v", c.History)
	}
	if c.Line("rules", "MBX-002", "quota_gb") != 15 {
		t.Errorf("line of rules.MBX-002.quota_gb = %d", c.Line("rules", "MBX-002", "quota_gb"))
	}
}

func TestErrorsNameKeyAndLine(t *testing.T) {
	cases := []struct {
		name, doc string
		line      int
		key, msg  string
	}{
		{"unknown key", "out: reports\nldap-uri: ldaps://x\n", 2, "ldap-uri", "unknown key"},
		{"wrong type", "quiet: true\nbandwidth-mbps: fast\n", 2, "bandwidth-mbps", "want number"},
		{"list of numbers", "ldif:\n  - a.ldif\n  - 7\n", 3, "ldif[1]", "want string"},
		{"literal password", "ldap-url: ldaps://x\nbind-password: hunter2\n", 2, "bind-password", "bind-password-env"},
		{"suppression without reason", "suppressions:\n  - rule: DIR-005\n    object: x\n", 2, "suppressions[0].reason", "missing"},
		{"bad expiry date", "suppressions:\n  - rule: DIR-005\n    object: x\n    reason: y\n    expires: 31/01/2027\n", 5, "suppressions[0].expires", "31/01/2027 is not a date: want YYYY-MM-DD"},
		{"unknown suppression key", "suppressions:\n  - rule: DIR-005\n    object: x\n    reason: y\n    owner: bob\n", 5, "suppressions[0].owner", "unknown key"},
		{"bad rule id", "rules:\n  mbx-2:\n    quota_gb: 1\n", 2, "rules.mbx-2", "key name not allowed"},
		{"history keep", "history:\n  keep: 0\n", 2, "history.keep", "minimum"},
		{"duplicate key", "out: a\nquiet: true\nout: b\n", 3, "out", "given twice (first on line 1)"},
		{"config in config", "config: other.yaml\n", 1, "config", "unknown key"},
		{"not a mapping", "- a\n- b\n", 1, "", "mapping"},
		{"bad yaml", "out: a\n  quiet: [\n", 2, "", "not valid YAML"},
		{"anchor", "out: &x a\nhistory:\n  dir: *x\n", 1, "out", "anchors"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("cfg.yaml", []byte(tc.doc), testFlags)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, snapshot.ErrBadInput) {
				t.Errorf("not a bad input error (exit 2): %v", err)
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("error type %T: %v", err, err)
			}
			p := ce.Problems[0]
			if p.Line != tc.line || p.Key != tc.key || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("got line %d key %q: %v\nwant line %d key %q containing %q", p.Line, p.Key, err, tc.line, tc.key, tc.msg)
			}
			if tc.key != "" && !strings.Contains(err.Error(), "cfg.yaml:") {
				t.Errorf("message does not name the file and line: %v", err)
			}
		})
	}
}

func TestHistoryAsDirectory(t *testing.T) {
	c, err := Parse("h.yaml", []byte("history: /var/lib/preflight/history\n"), testFlags)
	if err != nil {
		t.Fatal(err)
	}
	if c.History != (History{Dir: "/var/lib/preflight/history"}) {
		t.Errorf("history = %+v", c.History)
	}
}

func TestEmptyFile(t *testing.T) {
	c, err := Parse("empty.yaml", []byte("# nothing yet\n"), testFlags)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Flags) != 0 || len(c.Suppressions) != 0 {
		t.Errorf("empty file gave %+v", c)
	}
}

func TestSchemaHasEveryFlag(t *testing.T) {
	b, err := Schema(testFlags)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for name := range testFlags {
		has := strings.Contains(s, `"`+name+`": {`)
		if notFlags[name] && name != "history" && has {
			t.Errorf("schema offers %q", name)
		}
		if !notFlags[name] && !has {
			t.Errorf("schema lacks %q", name)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(good))
	f.Add([]byte("out: a\nout: b\n"))
	f.Add([]byte("a: &x [1, *x]\n"))
	f.Add([]byte("suppressions: [{rule: DIR-005, object: x, reason: y, expires: 2026-01-01}]\n"))
	f.Add([]byte("rules: {MBX-002: {quota_gb: 1e400}}\n"))
	f.Add([]byte("{ldif: {a: b}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("fuzz.yaml", data, testFlags)
		if err != nil {
			if !errors.Is(err, snapshot.ErrBadInput) {
				t.Fatalf("error is not a bad input error: %v", err)
			}
			return
		}
		for k := range c.Flags {
			if _, ok := testFlags[k]; !ok || notFlags[k] {
				t.Fatalf("accepted unknown flag key %q", k)
			}
		}
	})
}
