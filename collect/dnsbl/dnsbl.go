// Package dnsbl asks DNS blocklists (DNSBL for addresses, RHSBL for
// domains) about the organisation's sending addresses and mail domains.
// Each zone is first self-tested as RFC 5782 §5 asks (127.0.0.2 / "test"
// must be listed, 127.0.0.1 / "invalid" must not); every answer, including
// the self-tests, becomes one snapshot.BlocklistResult record. Whether a
// zone is trusted and what a listing means is judged by the checks from
// those records and the zone table (rule data).
package dnsbl

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/preflight-scan/preflight/blocklist"
	"github.com/preflight-scan/preflight/progress"
	"github.com/preflight-scan/preflight/resolver"
	"github.com/preflight-scan/preflight/snapshot"
)

// Zone is one blocklist to ask.
type Zone struct {
	Name string
	// Kind is "ip" or "domain".
	Kind string
}

// Subject is one thing to look up: an address (for ip zones) or a domain
// (for domain zones), with why it is looked up.
type Subject struct {
	Value  string
	Kind   string
	Reason string
}

// Collector queries every zone about every subject of its kind.
type Collector struct {
	Resolver resolver.Resolver
	// Name names the source ("blocklists via 192.0.2.53:53").
	Name  string
	Zones []Zone
	// Subjects is called when collection starts (the MX addresses are
	// known only after the DNS collector ran).
	Subjects func() []Subject
	// Table decodes answers into meanings (may be nil).
	Table map[string]blocklist.ZoneInfo
	// Concurrency bounds the queries in flight (default 16).
	Concurrency int
	// Deadline bounds the whole collection (0: none besides ctx).
	Deadline time.Duration
	// Progress, when set, receives progress lines.
	Progress *progress.Reporter
}

type job struct {
	zone     Zone
	subject  string
	reason   string
	selfTest bool
}

// Collect runs the self-tests and the lookups. It returns an error only
// when a sink write fails.
func (c *Collector) Collect(ctx context.Context, sink snapshot.Sink) (snapshot.Source, error) {
	start := time.Now()
	src := snapshot.Source{Name: c.Name, Kind: "dns", Areas: []snapshot.Area{snapshot.AreaBlacklist}}
	if src.Name == "" {
		src.Name = "blocklists"
	}
	if c.Deadline > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Deadline)
		defer cancel()
	}
	var subjects []Subject
	if c.Subjects != nil {
		subjects = dedupe(c.Subjects())
	}
	var jobs []job
	counts := map[string]int{}
	for _, z := range c.Zones {
		for _, st := range blocklist.SelfTests(z.Kind) {
			jobs = append(jobs, job{zone: z, subject: st.Subject, selfTest: true, reason: "RFC 5782 self-test"})
		}
		for _, s := range subjects {
			if s.Kind == z.Kind {
				jobs = append(jobs, job{zone: z, subject: s.Value, reason: s.Reason})
				counts[z.Kind]++
			}
		}
	}
	conc := c.Concurrency
	if conc <= 0 {
		conc = 16
	}
	var (
		mu       sync.Mutex
		werr     error
		n        int64
		failures int64
		firstErr string
	)
	ch := make(chan job)
	var wg sync.WaitGroup
	for i := 0; i < conc; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				r := c.lookup(ctx, j)
				mu.Lock()
				if werr == nil {
					werr = sink.Put(&snapshot.Record{Blocklist: r})
				}
				n++
				if resolver.IsFailure(r.Outcome) {
					failures++
					if firstErr == "" {
						firstErr = fmt.Sprintf("%s in %s: %s %s", r.Subject, r.Zone, r.Outcome, r.Error)
					}
				}
				c.Progress.Update(src.Name, n, 0)
				mu.Unlock()
			}
		}()
	}
	for _, j := range jobs {
		ch <- j
	}
	close(ch)
	wg.Wait()
	src.Objects = n
	src.DurationMS = time.Since(start).Milliseconds()
	if werr != nil {
		return src, fmt.Errorf("dnsbl: write record: %w", werr)
	}
	src.Status = snapshot.StatusOK
	var zs []string
	for _, z := range c.Zones {
		zs = append(zs, z.Name+" ("+z.Kind+")")
	}
	src.Notes = append(src.Notes, fmt.Sprintf("zones: %s; %d addresses, %d domains", strings.Join(zs, ", "), counts["ip"]/max(1, countKind(c.Zones, "ip")), counts["domain"]/max(1, countKind(c.Zones, "domain"))))
	if failures > 0 {
		src.Notes = append(src.Notes, fmt.Sprintf("%d of %d lookups failed (first: %s)", failures, n, firstErr))
		if failures == n {
			src.Status = snapshot.StatusError
			src.Error = fmt.Sprintf("no blocklist lookup was answered (first: %s)", firstErr)
		}
	}
	c.Progress.Done(src.Name, n, 0, src.Status)
	return src, nil
}

func countKind(zs []Zone, kind string) int {
	n := 0
	for _, z := range zs {
		if z.Kind == kind {
			n++
		}
	}
	return n
}

func (c *Collector) lookup(ctx context.Context, j job) *snapshot.BlocklistResult {
	r := &snapshot.BlocklistResult{Zone: j.zone.Name, Kind: j.zone.Kind, Subject: j.subject, SelfTest: j.selfTest, Reason: j.reason}
	q, err := blocklist.QueryName(j.subject, j.zone.Name)
	if err != nil {
		r.Outcome, r.Error = snapshot.LookupError, err.Error()
		return r
	}
	a := c.Resolver.Lookup(ctx, q, "A")
	r.Outcome, r.Error, r.Answers = a.Outcome, a.Err, a.Records
	if a.Outcome == snapshot.LookupFound {
		if info, ok := c.Table[j.zone.Name]; ok || c.Table != nil {
			v := blocklist.Decode(info, a.Records)
			if v.ZoneError != "" {
				r.Meaning = []string{"zone error: " + v.ZoneError}
			} else {
				r.Meaning = v.Meaning
			}
		}
	}
	return r
}

// maxReasons bounds how many reasons one subject carries (an MX host
// shared by a thousand domains).
const maxReasons = 3

// dedupe merges subjects with the same value, joining their reasons.
func dedupe(in []Subject) []Subject {
	idx := map[string]int{}
	var out []Subject
	var reasons [][]string
	more := map[int]int{}
	for _, s := range in {
		key := s.Kind + "/" + strings.ToLower(s.Value)
		if i, ok := idx[key]; ok {
			dup := false
			for _, r := range reasons[i] {
				dup = dup || r == s.Reason
			}
			switch {
			case dup:
			case len(reasons[i]) < maxReasons:
				reasons[i] = append(reasons[i], s.Reason)
			default:
				more[i]++
			}
			continue
		}
		idx[key] = len(out)
		out = append(out, s)
		reasons = append(reasons, []string{s.Reason})
	}
	for i := range out {
		out[i].Reason = strings.Join(reasons[i], "; ")
		if n := more[i]; n > 0 {
			out[i].Reason += fmt.Sprintf("; and %d more", n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Kind+out[i].Value < out[j].Kind+out[j].Value })
	return out
}
