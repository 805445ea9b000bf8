package cli

import (
	"flag"
	"io/fs"

	"github.com/preflight-scan/preflight/snapshot"
)

// mailboxOptions are the mailbox and client-software source flags.
type mailboxOptions struct {
	MailboxStats string
	FolderStats  string
	MailboxUsage string
	Clients      string
	IMAPURL      string
}

func (o *mailboxOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.MailboxStats, "mailbox-stats", "", "Get-MailboxStatistics CSV export")
	fs.StringVar(&o.FolderStats, "folder-stats", "", "Get-MailboxFolderStatistics CSV export")
	fs.StringVar(&o.MailboxUsage, "mailbox-usage", "", "Microsoft 365 admin center mailbox usage report CSV")
	fs.StringVar(&o.Clients, "clients", "", "client software inventory CSV (MAP Toolkit or host,product,version)")
	fs.StringVar(&o.IMAPURL, "imap-url", "", "live IMAP source, imaps://host[:993]")
}

// mailboxCollectors returns the mailbox and client collectors the flags ask
// for; they run after the directory collectors. An error is a usage error.
func mailboxCollectors(o *mailboxOptions, env *runEnv) ([]snapshot.Collector, error) {
	return nil, nil
}

// sampleMailboxCollectors returns the collectors for the sample
// organisation's mailbox and client exports (files in fsys).
func sampleMailboxCollectors(env *runEnv, fsys fs.FS) ([]snapshot.Collector, error) {
	return nil, nil
}
