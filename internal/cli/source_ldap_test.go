package cli

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLDAPFlags checks what is refused before connecting (exit 2) and that
// a valid set of flags gives one collector named by the URL.
func TestLDAPFlags(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	junk := filepath.Join(dir, "junk.pem")
	writeFile(t, pw, "s3cret-pw\n")
	writeFile(t, junk, "junk")
	env := &runEnv{io: IO{Getenv: func(k string) string {
		if k == "PF_PW" {
			return "s3cret-pw"
		}
		return ""
	}}, timeout: time.Minute}

	cases := []struct {
		name string
		o    directoryOptions
		want string // "" = accepted
	}{
		{"nothing", directoryOptions{}, ""},
		{"ldaps with env password", directoryOptions{LDAPURL: "ldaps://dc1", BindUser: "u@corp", BindPasswordEnv: "PF_PW"}, ""},
		{"ldap is StartTLS", directoryOptions{LDAPURL: "ldap://dc1", BindUser: "CN=u,DC=corp", BindPasswordFile: pw}, ""},
		{"plaintext with the flag", directoryOptions{LDAPURL: "ldap://dc1", BindUser: "u@corp", BindPasswordFile: pw, LDAPInsecurePlaintext: true}, ""},
		{"bind user without URL", directoryOptions{BindUser: "u@corp"}, "--bind-user needs --ldap-url"},
		{"no bind user", directoryOptions{LDAPURL: "ldaps://dc1", BindPasswordFile: pw}, "needs --bind-user"},
		{"no password source", directoryOptions{LDAPURL: "ldaps://dc1", BindUser: "u@corp"}, "no bind password source"},
		{"unset env", directoryOptions{LDAPURL: "ldaps://dc1", BindUser: "u@corp", BindPasswordEnv: "PF_NOPE"}, "PF_NOPE is not set"},
		{"both sources", directoryOptions{LDAPURL: "ldaps://dc1", BindUser: "u@corp", BindPasswordEnv: "PF_PW", BindPasswordFile: pw}, "not both"},
		{"bad scheme", directoryOptions{LDAPURL: "https://dc1", BindUser: "u@corp", BindPasswordFile: pw}, "scheme must be"},
		{"plaintext flag with ldaps", directoryOptions{LDAPURL: "ldaps://dc1", BindUser: "u@corp", BindPasswordFile: pw, LDAPInsecurePlaintext: true}, "makes no sense with ldaps"},
		{"CA without TLS", directoryOptions{LDAPURL: "ldap://dc1", BindUser: "u@corp", BindPasswordFile: pw, LDAPInsecurePlaintext: true, LDAPCAFile: junk}, "unused with --ldap-insecure-plaintext"},
		{"junk CA", directoryOptions{LDAPURL: "ldaps://dc1", BindUser: "u@corp", BindPasswordFile: pw, LDAPCAFile: junk}, "no PEM certificate found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cs, err := ldapCollectors(&tc.o, env)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if tc.o.LDAPURL != "" && len(cs) != 1 {
					t.Errorf("%d collectors, want 1", len(cs))
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if code := exitCode(err, &strings.Builder{}); code != ExitUsage {
				t.Errorf("exit %d, want %d", code, ExitUsage)
			}
			if strings.Contains(err.Error(), "s3cret-pw") {
				t.Error("the password is in the error")
			}
		})
	}
}
