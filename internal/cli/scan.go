package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/preflight-scan/preflight/checks"
	"github.com/preflight-scan/preflight/collect/clients"
	"github.com/preflight-scan/preflight/collect/csvin"
	"github.com/preflight-scan/preflight/collect/dnsbl"
	"github.com/preflight-scan/preflight/collect/dnscheck"
	"github.com/preflight-scan/preflight/collect/imap"
	"github.com/preflight-scan/preflight/collect/ldap"
	"github.com/preflight-scan/preflight/collect/ldif"
	"github.com/preflight-scan/preflight/collect/mailbox"
	"github.com/preflight-scan/preflight/collect/netprobe"
	"github.com/preflight-scan/preflight/collect/tenant"
	"github.com/preflight-scan/preflight/engine"
	"github.com/preflight-scan/preflight/internal/atomicfile"
	"github.com/preflight-scan/preflight/internal/clip"
	"github.com/preflight-scan/preflight/progress"
	"github.com/preflight-scan/preflight/report/migration"
	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/rules"
	"github.com/preflight-scan/preflight/snapshot"
)

// outputOptions are the rule and output flags shared by scan and evaluate.
type outputOptions struct {
	Profile       string
	CutoverDate   string
	Phase         string
	SyncScope     string
	BandwidthMbps float64
	Tenant        string
	Migrating     listFlag
	Out           string
	Formats       listFlag
	FailOn        string
	SaveSnapshot  string
	Quiet         bool
	Lenient       bool
	CSVEncoding   string
	Timeout       time.Duration
	Sample        bool
	Plan          string
}

// scanOptions are all flags of scan and evaluate.
type scanOptions struct {
	directoryOptions
	mailboxOptions
	tenantOptions
	migrationOptions
	networkOptions
	outputOptions
	nightlyOptions
}

const scanLong = `Collect the directory, mailbox, client, DNS and network facts, evaluate the
rules and write the reports. Give at least one source: --sample, --ldap-url,
--ldif, --mailbox-stats, --folder-stats, --mailbox-usage, --clients,
--imap-url or --domain.

Flags are --name VALUE or --name=VALUE; repeatable flags also take a
comma-separated list. Every flag is also a key of the --config file (the
flag's name without the dashes); the command line overrides the file.
Secrets are read from an environment variable or a file, never a flag value.

` + exitCodesText

const scanExample = `  preflight scan --sample --out out/demo --format table,json,pdf,csv
  preflight scan --ldif users.ldif --mailbox-stats mbx.csv --offline --out report/
  preflight scan --config /etc/preflight/nightly.yaml --fail-on-new high`

const evaluateLong = `Evaluate a snapshot saved with preflight scan --save-snapshot again: the
rules judge exactly what the scan collected, under the profile, parameters
and outputs given now.

` + exitCodesText

// newScanCommand returns the scan command, or evaluate.
func newScanCommand(sys IO, evaluate bool) *cobra.Command {
	o := &scanOptions{}
	defs := commandFlagDefs(o, evaluate)
	cmd := &cobra.Command{
		Use:     "scan",
		Short:   "collect, evaluate and report",
		Long:    scanLong,
		Example: scanExample,
		Args:    cobra.ArbitraryArgs, // checked by validate, with preflight's messages
	}
	if evaluate {
		cmd.Use, cmd.Short, cmd.Long, cmd.Example = "evaluate SNAPSHOT", "evaluate a saved snapshot again", evaluateLong, ""
	}
	defineFlags(cmd.Flags(), defs)
	cmd.InitDefaultHelpFlag()
	_ = cmd.Flags().SetAnnotation("help", groupAnnotation, []string{groupGeneral})
	registerScanCompletions(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		return runScan(cmd.Context(), scanCommand{opts: o, defs: defs, flags: cmd.Flags(), evaluate: evaluate}, args, sys)
	}
	return cmd
}

// registerScanCompletions completes the values of the flags that take
// one of a few words.
func registerScanCompletions(cmd *cobra.Command) {
	words := map[string][]string{
		"profile":    rules.Profiles(),
		"phase":      {"pre-cutover", "post-cutover"},
		"sync-scope": checks.SyncScopes(),
		"fail-on":    {"critical", "high", "medium", "low", "info", "none"},
		"format":     {"json", "table", "pdf", "html", "csv", "jsonl", "addresses", "batches"},

		"fail-on-new":     {"critical", "high", "medium", "low", "info"},
		"imap-admin-mode": {"master", "authzid"},
		"plan":            {"plan1", "plan2", "business", "e1", "e3", "e5", "f3", "kiosk"},
	}
	for name, ws := range words {
		if cmd.Flags().Lookup(name) != nil {
			_ = cmd.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(ws, cobra.ShellCompDirectiveNoFileComp))
		}
	}
	for _, name := range []string{"out", "history"} {
		if cmd.Flags().Lookup(name) != nil {
			_ = cmd.MarkFlagDirname(name)
		}
	}
}

// scanCommand is what a scan or evaluate run was given.
type scanCommand struct {
	opts     *scanOptions
	defs     []flagDef
	flags    *pflag.FlagSet
	evaluate bool
}

// scanRun is a scan or evaluate between parsing its flags and writing its
// reports.
type scanRun struct {
	scanCommand
	sys     IO
	env     *runEnv
	cfg     *configData
	formats []string
	engine  *engine.Run
	sink    snapshot.Sink
	snap    *pendingSnapshot
	// book gathers addresses.csv and migration-batches.csv (nil unless
	// asked for); mapping is --batch-mapping's.
	book    *migration.Book
	mapping map[string]string
}

func runScan(ctx context.Context, c scanCommand, pos []string, sys IO) error {
	s, err := prepareScan(c, pos, sys)
	if err != nil {
		return err
	}
	if s.snap != nil {
		defer s.snap.abort()
	}
	if s.book != nil {
		defer s.book.Close()
	}
	if err := s.collect(ctx, pos); err != nil {
		return err
	}
	return s.report(ctx)
}

// prepareScan reads the configuration, checks the flags, and sets up the
// engine and the snapshot file: everything that can fail as a usage
// error before a source is read.
func prepareScan(c scanCommand, pos []string, sys IO) (*scanRun, error) {
	o := c.opts
	now := sys.Now()
	rs, err := rules.Load()
	if err != nil {
		return nil, fmt.Errorf("load rules: %w", err)
	}
	env := &runEnv{io: sys, now: now, rules: rs}
	cfg, err := applyConfig(c.flags, c.defs, o, env)
	if err != nil {
		return nil, err
	}
	if err := validateFlags(c.defs); err != nil {
		return nil, err
	}
	if err := o.validate(c.evaluate, pos); err != nil {
		return nil, err
	}
	o.sampleScan = o.Sample
	env.lenient, env.timeout = o.Lenient, o.Timeout
	if env.csvEncoding, err = csvin.LookupEncoding(o.CSVEncoding); err != nil {
		return nil, usagef("--csv-encoding: %v", err)
	}
	if !o.Quiet {
		env.progress = progress.New(sys.Stderr)
	}
	formats, err := parseFormats(o.Formats)
	if err != nil {
		return nil, err
	}
	overrides, err := planOverrides(o.Profile, o.Plan, cfg.Overrides)
	if err != nil {
		return nil, err
	}
	reg := checks.Default()
	if env.params, err = engine.NewResolver(rs, reg, o.Profile, overrides); err != nil {
		return nil, &usageError{msg: err.Error()}
	}
	run, err := engine.New(engine.Options{Rules: rs, Registry: reg, Env: o.checksEnv(now, c.evaluate), Overrides: overrides, Resolver: env.params})
	if err != nil {
		return nil, &usageError{msg: err.Error()}
	}
	s := &scanRun{scanCommand: c, sys: sys, env: env, cfg: cfg, formats: formats, engine: run, sink: run}
	if o.SaveSnapshot != "" {
		if s.snap, err = newPendingSnapshot(o.SaveSnapshot, now); err != nil {
			return nil, err
		}
		s.sink = snapshot.Tee(run, s.snap)
	}
	if err := s.prepareMigration(); err != nil {
		if s.snap != nil {
			s.snap.abort()
		}
		return nil, err
	}
	return s, nil
}

// checksEnv returns what the checks know of the run besides the records.
func (o *scanOptions) checksEnv(now time.Time, evaluate bool) checks.Env {
	cenv := checks.Env{Profile: o.Profile, Now: now, Phase: o.Phase, SyncScope: o.SyncScope, BandwidthMbps: o.BandwidthMbps, Tenant: o.Tenant, MigratingDomains: migratingDomains(o.Migrating)}
	// A live scan knows its sources up front; a snapshot may hold anything.
	m := &o.mailboxOptions
	cenv.NoMailboxSource = !evaluate && !o.Sample && m.MailboxStats == "" && m.FolderStats == "" && m.MailboxUsage == "" && m.IMAPURL == ""
	if o.CutoverDate != "" {
		cenv.CutoverDate, _ = time.Parse("2006-01-02", o.CutoverDate)
	}
	return cenv
}

// collect feeds the engine (and the snapshot file): from the snapshot
// evaluate reads, or from the sources scan was given. The network sources
// run last, so that they can take domains and counts from the directory.
func (s *scanRun) collect(ctx context.Context, pos []string) error {
	if s.evaluate {
		return readSnapshot(ctx, pos[0], s.sink)
	}
	first, err := s.sourceCollectors()
	if err != nil {
		return err
	}
	if len(first) == 0 && !s.opts.any() {
		return usagef("no source given: use --sample, --ldap-url, --ldif, --mailbox-stats, --folder-stats, --mailbox-usage, --clients, --imap-url, --recipients, --mailboxes, --users or --domain (see preflight scan -h)")
	}
	if err := collectAll(ctx, first, s.sink); err != nil {
		return err
	}
	last, err := networkCollectors(&s.opts.networkOptions, s.env, s.engine.Tally())
	if err != nil {
		if interrupted(ctx) {
			return nil // the sources that ran say the scan was cut short
		}
		return err
	}
	return collectAll(ctx, last, s.sink)
}

// sourceCollectors returns the sample, directory, mailbox and client
// collectors, in the order they run.
func (s *scanRun) sourceCollectors() ([]snapshot.Collector, error) {
	var cs []snapshot.Collector
	if s.opts.Sample {
		more, err := sampleCollectors(s.env)
		if err != nil {
			return nil, err
		}
		cs = append(cs, more...)
	}
	more, err := directoryCollectors(&s.opts.directoryOptions, s.env)
	if err != nil {
		return nil, err
	}
	cs = append(cs, more...)
	more, err = mailboxCollectors(&s.opts.mailboxOptions, s.env)
	if err != nil {
		return nil, err
	}
	cs = append(cs, more...)
	more, err = tenantCollectors(&s.opts.tenantOptions, s.env)
	if err != nil {
		return nil, err
	}
	return append(cs, more...), nil
}

// report finishes the evaluation, writes the outputs, the snapshot and
// the history as one set, and returns the run's exit as an error. From
// here on an abort (a second signal, or SIGTERM) stops the run with
// nothing written.
func (s *scanRun) report(ctx context.Context) error {
	finishing(ctx)
	abort := abortOf(ctx)
	o := s.opts
	scan := model.Scan{
		ID:           newScanID(),
		StartedAt:    s.env.now.UTC(),
		FinishedAt:   s.sys.Now().UTC(),
		Profile:      o.Profile,
		Phase:        o.Phase,
		CutoverDate:  o.CutoverDate,
		Organisation: s.cfg.Organisation,
		Interrupted:  ctx.Err() != nil,
	}
	rep, err := s.engine.FinishContext(abort, engine.Meta{Tool: model.Tool{Name: "preflight", Version: Version}, Scan: scan})
	if err != nil {
		return aborted()
	}
	if err := postProcess(o, s.cfg, s.env, rep); err != nil {
		return err
	}
	var set atomicfile.Set
	defer set.Abort()
	if s.snap != nil {
		if err := s.snap.stage(&set); err != nil {
			return err
		}
	}
	if err := writeOutputs(abort, &set, rep, s.formats, o.Out, s.sys, s.recordRenderers()); err != nil {
		if abort.Err() != nil {
			return aborted()
		}
		return err
	}
	if s.cfg.store != nil {
		if _, err := s.cfg.store.Stage(&set, rep); err != nil {
			return err
		}
	}
	if abort.Err() != nil {
		return aborted()
	}
	if err := set.Commit(); err != nil {
		return err
	}
	if s.cfg.store != nil {
		if err := s.cfg.store.Prune(); err != nil {
			return err
		}
	}
	return verdictExit(o, rep)
}

// aborted is the exit of a run aborted by a signal while finishing.
func aborted() error {
	return &exitError{code: ExitIncomplete, msg: "aborted by a signal: no output written (earlier outputs are untouched)"}
}

func (o *scanOptions) validate(evaluate bool, pos []string) error {
	if !rules.ValidProfile(o.Profile) {
		return usagef("unknown profile %q (want one of %s)", o.Profile, strings.Join(rules.Profiles(), ", "))
	}
	if o.Phase != "pre-cutover" && o.Phase != "post-cutover" {
		return usagef("unknown phase %q (want pre-cutover or post-cutover)", o.Phase)
	}
	if o.SyncScope != checks.ScopeMailEnabled && o.SyncScope != checks.ScopeAll {
		return usagef("unknown sync scope %q (want %s)", o.SyncScope, strings.Join(checks.SyncScopes(), " or "))
	}
	if o.CutoverDate != "" {
		if _, err := time.Parse("2006-01-02", o.CutoverDate); err != nil {
			return usagef("--cutover-date %q: want YYYY-MM-DD", o.CutoverDate)
		}
	}
	if o.Tenant != "" {
		t, err := checks.NormalizeTenant(o.Tenant)
		if err != nil {
			return usagef("--tenant %q: %v", o.Tenant, err)
		}
		o.Tenant = t
	}
	if o.FailOn != "none" && !model.Severity(o.FailOn).Valid() {
		return usagef("--fail-on %q: want critical, high, medium, low, info or none", o.FailOn)
	}
	if err := checkOutputPaths(o.Out, o.SaveSnapshot); err != nil {
		return err
	}
	if evaluate {
		if len(pos) != 1 {
			return usagef("evaluate takes one snapshot file")
		}
		if _, err := os.Stat(pos[0]); err != nil {
			return usagef("snapshot: %v", err)
		}
	} else if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	return nil
}

// checkOutputPaths refuses, before any work, outputs that could only fail
// at the end of the run: --out naming something that is not a
// directory, --save-snapshot naming a directory or inside a missing one.
func checkOutputPaths(out, saveSnapshot string) error {
	if out != "-" && out != "" {
		if fi, err := os.Stat(out); err == nil && !fi.IsDir() {
			return usagef("--out %s is not a directory", clip.Quote(out))
		}
	}
	if saveSnapshot == "" {
		return nil
	}
	if fi, err := os.Stat(saveSnapshot); err == nil && fi.IsDir() {
		return usagef("--save-snapshot %s is a directory; give a file name such as %s", clip.Quote(saveSnapshot), clip.Quote(filepath.Join(saveSnapshot, "snapshot.jsonl.gz")))
	}
	if fi, err := os.Stat(filepath.Dir(saveSnapshot)); err != nil || !fi.IsDir() {
		return usagef("--save-snapshot %s: directory %s does not exist", clip.Quote(saveSnapshot), clip.Quote(filepath.Dir(saveSnapshot)))
	}
	return nil
}

// collectAll runs collectors in order, emitting each one's Source record.
// A bad-input error aborts; a cancelled context stops after the current
// collector (which reports itself as failed).
func collectAll(ctx context.Context, cs []snapshot.Collector, sink snapshot.Sink) error {
	for _, c := range cs {
		if interrupted(ctx) {
			src := notRun(c)
			if err := sink.Put(&snapshot.Record{Source: &src}); err != nil {
				return err
			}
			continue
		}
		src, err := c.Collect(ctx, sink)
		if err != nil {
			return err
		}
		// A source's error and notes may quote what a server said: they
		// reach the table on a terminal, so they are neutralised here,
		// whichever collector wrote them.
		src.Error = clip.Line(src.Error)
		for i, n := range src.Notes {
			src.Notes[i] = clip.Line(n)
		}
		if err := sink.Put(&snapshot.Record{Source: &src}); err != nil {
			return err
		}
	}
	return nil
}

// notRun is the source of a collector the interruption kept from
// running: failed, "not run: interrupted", in the areas it would have
// covered (not "no source given").
func notRun(c snapshot.Collector) snapshot.Source {
	src := snapshot.Source{Status: snapshot.StatusError, Error: "not run: interrupted", Notes: []string{}}
	area := func(as ...snapshot.Area) []snapshot.Area { return as }
	switch c := c.(type) {
	case *ldap.Collector:
		src.Name, src.Kind, src.Areas = c.Name(), "ldap", area(snapshot.AreaDirectory, snapshot.AreaClients)
	case *ldif.Collector:
		src.Name, src.Kind, src.Areas = c.Name(), "ldif", area(snapshot.AreaDirectory)
	case *mailbox.Collector:
		src.Name, src.Kind, src.Areas = c.Path, "csv", area(snapshot.AreaMailbox)
	case *imap.Collector:
		src.Name, src.Kind, src.Areas = c.URL, "imap", area(snapshot.AreaMailbox)
	case *clients.Collector:
		src.Name, src.Kind, src.Areas = c.Path, "csv", area(snapshot.AreaClients)
	case *dnscheck.Collector:
		src.Name, src.Kind, src.Areas = c.Name, "dns", area(snapshot.AreaDNS)
	case *dnsbl.Collector:
		src.Name, src.Kind, src.Areas = c.Name, "dns", area(snapshot.AreaBlacklist)
	case *netprobe.Collector:
		src.Name, src.Kind, src.Areas = c.Name, "tcp", area(snapshot.AreaNetwork)
	case *tenant.Collector:
		src.Name, src.Kind, src.Areas = c.Name(), "csv", area(snapshot.AreaMailbox)
	default:
		src.Name, src.Kind = fmt.Sprintf("%T", c), "unknown"
	}
	return src
}

// interrupted reports whether the scan was cancelled (Ctrl-C, SIGTERM).
// An interrupt is not an error of the collection stage: the collector that
// was running records it in its source, the report says incomplete, and
// the collectors after it are not started.
func interrupted(ctx context.Context) bool { return ctx.Err() != nil }

func verdictExit(o *scanOptions, rep *model.Report) error {
	if rep.Summary.Verdict == model.VerdictIncomplete {
		return &exitError{code: ExitIncomplete, msg: "scan incomplete: " + strings.Join(rep.Summary.VerdictReasons, "; ")}
	}
	if code := failOnNewExit(o, rep); code != ExitOK {
		return &exitError{code: code}
	}
	if o.FailOn != "none" {
		floor := model.Severity(o.FailOn).Rank()
		for _, f := range rep.Findings {
			if f.Suppressed == nil && f.Severity.Rank() >= floor {
				return &exitError{code: ExitFindings}
			}
		}
	}
	return nil
}

func newScanID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
