package cli

import (
	"crypto/x509"
	"errors"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/preflight-scan/preflight/collect/clients"
	"github.com/preflight-scan/preflight/collect/imap"
	"github.com/preflight-scan/preflight/collect/mailbox"
	"github.com/preflight-scan/preflight/internal/clip"
	"github.com/preflight-scan/preflight/internal/limits"
	"github.com/preflight-scan/preflight/snapshot"
)

// mailboxOptions are the mailbox and client-software source flags.
type mailboxOptions struct {
	MailboxStats string
	FolderStats  string
	MailboxUsage string
	Clients      string
	IMAPURL      string

	IMAPAccounts        string
	IMAPAdminUser       string
	IMAPAdminMode       string
	IMAPMasterSeparator string
	IMAPPasswordEnv     string
	IMAPPasswordFile    string
	IMAPCAFile          string
}

// mailboxCollectors returns the mailbox and client collectors the flags ask
// for; they run after the directory collectors. An error is a usage error.
// The mailbox statistics come before the folder statistics so that the
// checks know each mailbox before its folders.
func mailboxCollectors(o *mailboxOptions, env *runEnv) ([]snapshot.Collector, error) {
	var cs []snapshot.Collector
	add := func(path string, kind mailbox.Export) error {
		if path == "" {
			return nil
		}
		if _, err := os.Stat(path); err != nil {
			return usagef("%s file: %v", kind, err)
		}
		cs = append(cs, &mailbox.Collector{Export: kind, Path: path, Lenient: env.lenient, Encoding: env.csvEncoding, Progress: env.progress})
		return nil
	}
	if err := add(o.MailboxStats, mailbox.MailboxStats); err != nil {
		return nil, err
	}
	if err := add(o.MailboxUsage, mailbox.MailboxUsage); err != nil {
		return nil, err
	}
	if err := add(o.FolderStats, mailbox.FolderStats); err != nil {
		return nil, err
	}
	if o.IMAPURL != "" {
		c, err := o.imapCollector(env)
		if err != nil {
			return nil, err
		}
		cs = append(cs, c)
	} else if o.IMAPAccounts != "" || o.IMAPAdminUser != "" {
		return nil, usagef("--imap-accounts and --imap-admin-user need --imap-url")
	}
	if o.Clients != "" {
		if _, err := os.Stat(o.Clients); err != nil {
			return nil, usagef("client inventory: %v", err)
		}
		cs = append(cs, &clients.Collector{Path: o.Clients, Lenient: env.lenient, Encoding: env.csvEncoding, Progress: env.progress})
	}
	return cs, nil
}

func (o *mailboxOptions) imapCollector(env *runEnv) (snapshot.Collector, error) {
	if _, _, _, err := imap.ParseURL(o.IMAPURL); err != nil {
		return nil, usagef("--imap-url: %v", err)
	}
	if o.IMAPAccounts == "" {
		return nil, usagef("--imap-url needs --imap-accounts FILE (the accounts to read; see docs/mailbox-exports.md)")
	}
	c := &imap.Collector{URL: o.IMAPURL, Timeout: env.timeout, Dialer: env.netDialer(), Progress: env.progress, MasterSeparator: o.IMAPMasterSeparator}
	if o.IMAPAdminUser != "" {
		switch o.IMAPAdminMode {
		case "master":
			c.Mode = imap.AdminMaster
		case "authzid":
			c.Mode = imap.AdminAuthzid
		default:
			return nil, usagef("--imap-admin-mode %q: want master or authzid", o.IMAPAdminMode)
		}
		pw, err := secretFrom(env, "IMAP admin password", o.IMAPPasswordEnv, o.IMAPPasswordFile)
		if err != nil {
			return nil, err
		}
		c.Admin, c.AdminPassword = o.IMAPAdminUser, pw
	} else if o.IMAPPasswordEnv != "" || o.IMAPPasswordFile != "" {
		return nil, usagef("--imap-password-env/--imap-password-file are the admin's password: give --imap-admin-user too, or put per-account secrets in --imap-accounts")
	}
	accs, notes, err := imap.ReadAccountsAs(o.IMAPAccounts, env.csvEncoding, env.io.Getenv, c.Mode == imap.AdminNone)
	if err != nil {
		return nil, err
	}
	c.Accounts, c.Notes = accs, notes
	if o.IMAPCAFile != "" {
		pem, err := limits.ReadFile(o.IMAPCAFile, limits.CAFileBytes, "CA file", "CAFileBytes")
		if err != nil {
			return nil, usagef("--imap-ca-file: %v", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, usagef("--imap-ca-file %s: no PEM certificate found", o.IMAPCAFile)
		}
		c.RootCAs = pool
	}
	return c, nil
}

// secretFrom reads a secret from the environment variable named by envName
// or from file; exactly one must be given.
func secretFrom(env *runEnv, what, envName, file string) (string, error) {
	switch {
	case envName != "" && file != "":
		return "", usagef("%s: give an environment variable or a file, not both", what)
	case envName != "":
		v := env.io.Getenv(envName)
		if v == "" {
			return "", usagef("%s: environment variable %s is empty or not set", what, clip.SecretRef(envName))
		}
		return v, nil
	case file != "":
		// The file name is not echoed: a password typed in its place
		// would be.
		b, err := limits.ReadFile(file, limits.SecretBytes, "password file", "SecretBytes")
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return "", usagef("%s: the file given: %v", what, err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	return "", usagef("%s: give --imap-password-env VAR or --imap-password-file FILE", what)
}

// sampleMailboxCollectors returns the collectors for the sample
// organisation's mailbox and client exports (files in fsys).
func sampleMailboxCollectors(env *runEnv, fsys fs.FS) ([]snapshot.Collector, error) {
	opener := func(name string) func() (io.ReadCloser, error) {
		return func() (io.ReadCloser, error) { return fsys.Open(name) }
	}
	var cs []snapshot.Collector
	for _, f := range []struct {
		name string
		kind mailbox.Export
	}{{"mailbox-stats.csv", mailbox.MailboxStats}, {"folder-stats.csv", mailbox.FolderStats}} {
		if _, err := fs.Stat(fsys, f.name); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return nil, err
		}
		cs = append(cs, &mailbox.Collector{Export: f.kind, Path: "sample/" + f.name, Open: opener(f.name), Progress: env.progress})
	}
	if _, err := fs.Stat(fsys, "clients.csv"); err == nil {
		cs = append(cs, &clients.Collector{Path: "sample/clients.csv", Open: opener("clients.csv"), Progress: env.progress})
	}
	return cs, nil
}
