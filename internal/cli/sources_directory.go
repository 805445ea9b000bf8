package cli

import (
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
