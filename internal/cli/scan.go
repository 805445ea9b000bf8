package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/preflight-scan/preflight/checks"
	"github.com/preflight-scan/preflight/engine"
	"github.com/preflight-scan/preflight/progress"
	"github.com/preflight-scan/preflight/report"
	"github.com/preflight-scan/preflight/rules"
	"github.com/preflight-scan/preflight/snapshot"
)

// outputOptions are the rule and output flags shared by scan and evaluate.
type outputOptions struct {
	Profile       string
	CutoverDate   string
	Phase         string
	BandwidthMbps float64
	Out           string
	Formats       listFlag
	FailOn        string
	SaveSnapshot  string
	Quiet         bool
	Lenient       bool
	Timeout       time.Duration
	Sample        bool
	Plan          string
}

func (o *outputOptions) register(fs *flag.FlagSet, evaluate bool) {
	fs.StringVar(&o.Profile, "profile", rules.DefaultProfile, "rule profile: "+strings.Join(rules.Profiles(), ", "))
	fs.StringVar(&o.CutoverDate, "cutover-date", "", "planned cutover `YYYY-MM-DD` (default: the scan date)")
	fs.StringVar(&o.Phase, "phase", "pre-cutover", "pre-cutover or post-cutover")
	fs.Float64Var(&o.BandwidthMbps, "bandwidth-mbps", 0, "migration bandwidth in Mbit/s, for the migration estimate")
	fs.StringVar(&o.Out, "out", ".", "directory receiving report.json, report.pdf, findings.csv")
	fs.Var(&o.Formats, "format", "outputs, comma-separated: json, table, pdf, csv, jsonl (default json,table)")
	fs.StringVar(&o.FailOn, "fail-on", "none", "exit 1 when a finding is at or above this severity: critical, high, medium, low, info, none")
	fs.BoolVar(&o.Quiet, "quiet", false, "no progress on stderr")
	fs.StringVar(&o.Plan, "plan", "", "Exchange Online plan the mailboxes move to, for the quota rule MBX-002 (plan1, plan2, business, e1, e3, e5, f3, kiosk; exchange-online profile)")
	fs.DurationVar(&o.Timeout, "timeout", 2*time.Minute, "per-operation network timeout")
	if !evaluate {
		fs.StringVar(&o.SaveSnapshot, "save-snapshot", "", "also save the collected data to `FILE` (gzip) for preflight evaluate")
		fs.BoolVar(&o.Lenient, "lenient", false, "skip malformed CSV rows (counted in the source status) instead of failing")
		fs.BoolVar(&o.Sample, "sample", false, "scan the bundled sample organisation (no server, no files)")
	}
}

// scanOptions are all flags of scan and evaluate.
type scanOptions struct {
	directoryOptions
	mailboxOptions
	networkOptions
	outputOptions
	extraOptions
}

func runScan(ctx context.Context, args []string, sys IO, evaluate bool) error {
	name := "scan"
	if evaluate {
		name = "evaluate"
	}
	fs := newFlagSet(name, sys.Stderr)
	var o scanOptions
	o.outputOptions.register(fs, evaluate)
	o.extraOptions.register(fs)
	if !evaluate {
		o.directoryOptions.register(fs)
		o.mailboxOptions.register(fs)
		o.networkOptions.register(fs)
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	now := sys.Now()
	rs, err := rules.Load()
	if err != nil {
		return fmt.Errorf("load rules: %w", err)
	}
	env := &runEnv{io: sys, now: now, rules: rs}
	cfg, err := applyConfig(fs, &o, env)
	if err != nil {
		return err
	}
	if err := o.validate(evaluate, pos); err != nil {
		return err
	}
	env.lenient, env.timeout = o.Lenient, o.Timeout
	if !o.Quiet {
		env.progress = progress.New(sys.Stderr)
	}
	formats, err := parseFormats(o.Formats)
	if err != nil {
		return err
	}

	cenv := checks.Env{Profile: o.Profile, Now: now, Phase: o.Phase, BandwidthMbps: o.BandwidthMbps}
	// A live scan knows its sources up front; a snapshot may hold anything.
	m := &o.mailboxOptions
	cenv.NoMailboxSource = !evaluate && !o.Sample && m.MailboxStats == "" && m.FolderStats == "" && m.MailboxUsage == "" && m.IMAPURL == ""
	if o.CutoverDate != "" {
		cenv.CutoverDate, _ = time.Parse("2006-01-02", o.CutoverDate)
	}
	overrides := cfg.Overrides
	if o.Plan != "" {
		if o.Profile != "exchange-online" {
			return usagef("--plan applies to the exchange-online profile only (the %s quota does not depend on a plan)", o.Profile)
		}
		if overrides == nil {
			overrides = map[string]map[string]any{}
		}
		if overrides["MBX-002"] == nil {
			overrides["MBX-002"] = map[string]any{}
		}
		overrides["MBX-002"]["plan"] = strings.ToLower(o.Plan)
	}
	env.profile, env.overrides = o.Profile, overrides
	run, err := engine.New(engine.Options{Rules: rs, Registry: checks.Default(), Env: cenv, Overrides: overrides})
	if err != nil {
		return &usageError{msg: err.Error()}
	}

	sinks := []snapshot.Sink{run}
	var snap *pendingSnapshot
	if o.SaveSnapshot != "" {
		snap, err = newPendingSnapshot(o.SaveSnapshot, now)
		if err != nil {
			return err
		}
		defer snap.abort()
		sinks = append(sinks, snap)
	}
	sink := snapshot.Tee(sinks...)

	if evaluate {
		if err := readSnapshot(pos[0], sink); err != nil {
			return err
		}
	} else {
		var first []snapshot.Collector
		if o.Sample {
			cs, err := sampleCollectors(env)
			if err != nil {
				return err
			}
			first = append(first, cs...)
		}
		cs, err := directoryCollectors(&o.directoryOptions, env)
		if err != nil {
			return err
		}
		first = append(first, cs...)
		cs, err = mailboxCollectors(&o.mailboxOptions, env)
		if err != nil {
			return err
		}
		first = append(first, cs...)
		if len(first) == 0 && !o.networkOptions.any() {
			return usagef("no source given: use --sample, --ldap-url, --ldif, --mailbox-stats, --folder-stats, --mailbox-usage, --clients, --imap-url or --domain (see preflight scan -h)")
		}
		if err := collectAll(ctx, first, sink); err != nil {
			return err
		}
		if ctx.Err() == nil {
			last, err := networkCollectors(&o.networkOptions, env, run.Tally())
			if err != nil {
				return err
			}
			if err := collectAll(ctx, last, sink); err != nil {
				return err
			}
		}
	}

	scan := report.Scan{
		ID:           newScanID(),
		StartedAt:    now.UTC(),
		FinishedAt:   sys.Now().UTC(),
		Profile:      o.Profile,
		Phase:        o.Phase,
		CutoverDate:  o.CutoverDate,
		Organisation: cfg.Organisation,
		Interrupted:  ctx.Err() != nil,
	}
	rep := run.Finish(engine.Meta{Tool: report.Tool{Name: "preflight", Version: Version}, Scan: scan})
	if err := postProcess(&o, cfg, env, rep); err != nil {
		return err
	}
	if snap != nil {
		if err := snap.commit(); err != nil {
			return err
		}
	}
	if err := writeOutputs(rep, formats, o.Out, sys); err != nil {
		return err
	}
	if err := saveHistory(cfg, rep); err != nil {
		return err
	}
	return verdictExit(&o, rep)
}

func (o *scanOptions) validate(evaluate bool, pos []string) error {
	if !rules.ValidProfile(o.Profile) {
		return usagef("unknown profile %q (want one of %s)", o.Profile, strings.Join(rules.Profiles(), ", "))
	}
	if o.Phase != "pre-cutover" && o.Phase != "post-cutover" {
		return usagef("unknown phase %q (want pre-cutover or post-cutover)", o.Phase)
	}
	if o.CutoverDate != "" {
		if _, err := time.Parse("2006-01-02", o.CutoverDate); err != nil {
			return usagef("--cutover-date %q: want YYYY-MM-DD", o.CutoverDate)
		}
	}
	if o.BandwidthMbps < 0 {
		return usagef("--bandwidth-mbps must not be negative")
	}
	if o.FailOn != "none" && report.SeverityRank(o.FailOn) == 0 {
		return usagef("--fail-on %q: want critical, high, medium, low, info or none", o.FailOn)
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

// collectAll runs collectors in order, emitting each one's Source record.
// A bad-input error aborts; a cancelled context stops after the current
// collector (which reports itself as failed).
func collectAll(ctx context.Context, cs []snapshot.Collector, sink snapshot.Sink) error {
	for _, c := range cs {
		if ctx.Err() != nil {
			return nil
		}
		src, err := c.Collect(ctx, sink)
		if err != nil {
			return err
		}
		if err := sink.Put(&snapshot.Record{Source: &src}); err != nil {
			return err
		}
	}
	return nil
}

func verdictExit(o *scanOptions, rep *report.Report) error {
	if rep.Summary.Verdict == report.VerdictIncomplete {
		return &exitError{code: ExitIncomplete, msg: "scan incomplete: " + strings.Join(rep.Summary.VerdictReasons, "; ")}
	}
	if code := extraExit(o, rep); code != ExitOK {
		return &exitError{code: code}
	}
	if o.FailOn != "none" {
		min := report.SeverityRank(o.FailOn)
		for _, f := range rep.Findings {
			if f.Suppressed == nil && report.SeverityRank(f.Severity) >= min {
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

func (o *networkOptions) any() bool {
	return len(o.Domains) > 0 || len(o.EgressIPs) > 0 || o.FirewallAllowlist != "" || o.Endpoints != "" || len(o.Probes) > 0 || o.ProbeDefaults
}
