package checks

import "testing"

func TestNormalizeTenant(t *testing.T) {
	for in, want := range map[string]string{"fabrikam": "fabrikam", "Fabrikam.onmicrosoft.com.": "fabrikam", "contoso-eu": "contoso-eu", "fab_rikam": "", "": "", "-x": "", "a.b": ""} {
		got, err := NormalizeTenant(in)
		if want == "" && err == nil || want != "" && (err != nil || got != want) {
			t.Errorf("NormalizeTenant(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestTenantsSeenPick(t *testing.T) {
	ts := tenantsSeen{"fabrikam": 3, "contoso": 1}
	if n, from := ts.pick(); n != "fabrikam" || from != "the directory's onmicrosoft.com addresses (3 of fabrikam.onmicrosoft.com; also seen: contoso)" {
		t.Errorf("pick: %q %q", n, from)
	}
	if n, _ := (tenantsSeen{}).pick(); n != "" {
		t.Errorf("empty pick %q", n)
	}
}
