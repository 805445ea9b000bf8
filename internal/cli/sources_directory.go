package cli

import (
	"flag"

	"github.com/preflight-scan/preflight/snapshot"
)

// directoryOptions are the directory source flags.
type directoryOptions struct {
	LDAPURL               string
	BindUser              string
	BindPasswordEnv       string
	BindPasswordFile      string
	LDAPCAFile            string
	BaseDN                string
	LDAPInsecurePlaintext bool
	LDIF                  listFlag
}

func (o *directoryOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.LDAPURL, "ldap-url", "", "directory server: ldaps://host[:636] or ldap://host[:389] (StartTLS)")
	fs.StringVar(&o.BindUser, "bind-user", "", "bind as user@domain or a DN")
	fs.StringVar(&o.BindPasswordEnv, "bind-password-env", "", "name of the environment variable holding the bind password")
	fs.StringVar(&o.BindPasswordFile, "bind-password-file", "", "file holding the bind password")
	fs.StringVar(&o.LDAPCAFile, "ldap-ca-file", "", "PEM file of the CA certificates that verify the directory server (used instead of the system roots)")
	fs.StringVar(&o.BaseDN, "base-dn", "", "search only this base DN (default: every domain of the forest)")
	fs.BoolVar(&o.LDAPInsecurePlaintext, "ldap-insecure-plaintext", false, "allow a simple bind without TLS (sends the password in clear)")
	fs.Var(&o.LDIF, "ldif", "read directory objects from an LDIF `FILE` (repeatable)")
}

// directoryCollectors returns the directory collectors the flags ask for.
// An error is a usage error (exit 2).
func directoryCollectors(o *directoryOptions, env *runEnv) ([]snapshot.Collector, error) {
	var cs []snapshot.Collector
	for _, source := range []func(*directoryOptions, *runEnv) ([]snapshot.Collector, error){
		ldapCollectors, // source_ldap.go
		ldifCollectors, // source_ldif.go
	} {
		more, err := source(o, env)
		if err != nil {
			return nil, err
		}
		cs = append(cs, more...)
	}
	return cs, nil
}
