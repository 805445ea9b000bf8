// Package snapshot holds the model that collectors fill and checks read: a
// stream of records (directory objects, mailboxes, DNS answers, probe
// results, source statuses) that can be evaluated as it is collected, or
// saved to a file and evaluated again later.
//
// Records are streamed: nothing in this package keeps whole objects in
// memory. A Sink receives records one at a time; Tee fans one stream out to
// several sinks (the rule engine, a snapshot file, the inventory tally).
package snapshot

import (
	"context"
)

// Area is one assessed part of the environment. Checks declare the areas
// they need; a source declares the areas it feeds.
type Area string

// The areas, in report order.
const (
	AreaDirectory Area = "directory"
	AreaClients   Area = "clients"
	AreaMailbox   Area = "mailbox"
	AreaDNS       Area = "dns"
	AreaBlacklist Area = "blacklist"
	AreaNetwork   Area = "network"
)

// Areas lists every area in report order.
func Areas() []Area {
	return []Area{AreaDirectory, AreaClients, AreaMailbox, AreaDNS, AreaBlacklist, AreaNetwork}
}

// Source status values.
const (
	StatusOK      = "ok"
	StatusError   = "error"
	StatusSkipped = "skipped"
)

// Source describes one data source of a scan and how it went. A collector
// emits exactly one Source record when it finishes, successful or not.
type Source struct {
	// Name identifies the source for people: a file path, an LDAP URL
	// without credentials, "dns" and so on. Never a secret.
	Name string `json:"name"`
	// Kind is one of ldap, ldif, csv, dns, tcp, file, imap.
	Kind string `json:"kind"`
	// Areas are the parts of the environment this source covers.
	Areas []Area `json:"areas"`
	// Status is ok, error or skipped.
	Status string `json:"status"`
	// Error says why the source failed (status error), in one line.
	Error string `json:"error,omitempty"`
	// Objects counts the records the source produced.
	Objects int64 `json:"objects"`
	// Holds is set on a source that yielded no object: what it should
	// have held, in the plural ("mailboxes", "folders", "clients",
	// "recipients"), for the reason it gives: "no folders in FILE".
	Holds string `json:"holds,omitempty"`
	// SkippedRows counts input rows skipped in lenient mode.
	SkippedRows int64 `json:"skipped_rows,omitempty"`
	// DurationMS is how long collection took.
	DurationMS int64 `json:"duration_ms"`
	// Notes carries facts about the collection that are not errors, such as
	// referrals that were seen and not followed.
	Notes []string `json:"notes,omitempty"`
	// Unclassified counts directory entries whose kind could not be told
	// (no objectClass and nothing certain in their other attributes);
	// DNOnly counts entries that carried nothing but their DN. Neither is
	// judged by any rule.
	Unclassified int64 `json:"unclassified,omitempty"`
	DNOnly       int64 `json:"dn_only,omitempty"`
	// MissingAttributes lists the attributes the rules read that no user,
	// contact, group or computer of this source carried. The engine fills
	// it in the report; it is not part of the snapshot.
	MissingAttributes []string `json:"missing_attributes,omitempty"`
	// Requested lists the attributes a directory export was limited to,
	// when it says so (ldapsearch's "# requesting:" line); empty when
	// it holds every attribute or does not say. An attribute not listed
	// was not exported: its absence says nothing about the directory.
	Requested []string `json:"requested,omitempty"`
}

// The values of Source.Holds.
const (
	HoldsMailboxes  = "mailboxes"
	HoldsFolders    = "folders"
	HoldsClients    = "clients"
	HoldsRecipients = "recipients"
)

// Record is one item of a snapshot. Exactly one field is set.
type Record struct {
	Source    *Source           `json:"source,omitempty"`
	Dir       *DirObject        `json:"dir,omitempty"`
	Mailbox   *Mailbox          `json:"mailbox,omitempty"`
	Folder    *Folder           `json:"folder,omitempty"`
	Client    *ClientInstall    `json:"client,omitempty"`
	DNS       *DNSResult        `json:"dns,omitempty"`
	Blocklist *BlocklistResult  `json:"blocklist,omitempty"`
	Probe     *ProbeResult      `json:"probe,omitempty"`
	Range     *RangeRequirement `json:"range,omitempty"`
	Fact      *Fact             `json:"fact,omitempty"`
	Recipient *Recipient        `json:"recipient,omitempty"`
}

// Fact is a scalar observation a collector makes about the environment as a
// whole (for example the number of public egress addresses), keyed by name.
type Fact struct {
	Area  Area   `json:"area"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

// FactProbesNotRun names the fact a network source records when it read
// its inputs but probed nothing; its value says why ("--offline"). The
// probe rules (NET-001, NET-004) are then not assessed, with that reason.
const FactProbesNotRun = "probes_not_run"

// Sink receives records. Put must not keep a reference to the record after
// it returns: the caller may reuse it.
type Sink interface {
	Put(r *Record) error
}

// SinkFunc adapts a function to a Sink.
type SinkFunc func(r *Record) error

// Put calls f(r).
func (f SinkFunc) Put(r *Record) error { return f(r) }

// Tee returns a sink that puts every record into each sink in order and
// stops at the first error.
func Tee(sinks ...Sink) Sink {
	return SinkFunc(func(r *Record) error {
		for _, s := range sinks {
			if err := s.Put(r); err != nil {
				return err
			}
		}
		return nil
	})
}

// Collector fills a sink from one data source.
//
// Collect streams records into sink and returns the Source describing the
// collection; the caller emits it. Collect returns a non-nil error only for
// bad input that the user must fix (a malformed file, a missing column):
// such an error aborts the scan with exit code 2 and must wrap
// ErrBadInput. A source that fails at run time (unreachable server, timeout,
// cancellation) is not an error of Collect: it returns a Source with status
// error and the reason, and the scan goes on.
type Collector interface {
	Collect(ctx context.Context, sink Sink) (Source, error)
}
