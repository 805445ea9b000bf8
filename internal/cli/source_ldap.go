package cli

import (
	"crypto/x509"
	"errors"

	"github.com/preflight-scan/preflight/collect/ldap"
	"github.com/preflight-scan/preflight/snapshot"
)

// ldapCollectors returns the live directory collector when --ldap-url is
// given. Everything that can be checked before connecting is checked here
// and is a usage error (exit 2): a malformed URL, a missing bind user or
// password source, an unreadable password or CA file, and ldap:// without
// --ldap-insecure-plaintext being refused is not one of them (ldap://
// means StartTLS). Failures at run time are the source's status instead.
func ldapCollectors(o *directoryOptions, env *runEnv) ([]snapshot.Collector, error) {
	if o.LDAPURL == "" {
		for flag, set := range map[string]bool{
			"--bind-user":               o.BindUser != "",
			"--bind-password-env":       o.BindPasswordEnv != "",
			"--bind-password-file":      o.BindPasswordFile != "",
			"--ldap-ca-file":            o.LDAPCAFile != "",
			"--base-dn":                 o.BaseDN != "",
			"--ldap-insecure-plaintext": o.LDAPInsecurePlaintext,
		} {
			if set {
				return nil, usagef("%s needs --ldap-url", flag)
			}
		}
		return nil, nil
	}
	ep, err := ldap.ParseURL(o.LDAPURL, o.LDAPInsecurePlaintext)
	if err != nil {
		return nil, usagef("--ldap-url: %v", err)
	}
	if o.LDAPInsecurePlaintext && ep.Security == ldap.LDAPS {
		return nil, usagef("--ldap-insecure-plaintext makes no sense with ldaps:// (drop the flag)")
	}
	if o.BindUser == "" {
		return nil, usagef("--ldap-url needs --bind-user (user@domain or a DN)")
	}
	getenv := env.io.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	pw, err := ldap.PasswordFrom(getenv, o.BindPasswordEnv, o.BindPasswordFile)
	if err != nil {
		if errors.Is(err, ldap.ErrNoPassword) {
			return nil, usagef("--ldap-url: %v", err)
		}
		return nil, usagef("%v", err)
	}
	var roots *x509.CertPool
	if o.LDAPCAFile != "" {
		if ep.Security == ldap.Plaintext {
			return nil, usagef("--ldap-ca-file is unused with --ldap-insecure-plaintext (no TLS)")
		}
		roots, err = ldap.LoadCAFile(o.LDAPCAFile)
		if err != nil {
			return nil, usagef("%v", err)
		}
	}
	cfg := ldap.Config{
		Endpoint: ep,
		BindUser: o.BindUser,
		Password: pw,
		Roots:    roots,
		BaseDN:   o.BaseDN,
		Timeout:  env.timeout,
		Dialer:   env.netDialer(),
	}
	if env.progress != nil {
		cfg.Progress = env.progress
	}
	c, err := ldap.New(cfg)
	if err != nil {
		return nil, usagef("%v", err)
	}
	return []snapshot.Collector{c}, nil
}
