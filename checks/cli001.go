package checks

import (
	"fmt"
	"strings"
	"time"

	"github.com/preflight-scan/preflight/snapshot"
)

// osEntry is one row of CLI-001's operating-system table (rule data). The
// first row that matches a computer decides.
type osEntry struct {
	// Name labels the row in messages ("Windows 10 Enterprise LTSC 2021").
	Name string `json:"name"`
	// Match must occur in operatingSystem (case and ®/™ ignored).
	Match string `json:"match"`
	// Editions, when set: one of them must also occur in operatingSystem.
	Editions []string `json:"editions,omitempty"`
	// Builds, when set: the build in operatingSystemVersion ("10.0
	// (19045)") must be one of them.
	Builds []int `json:"builds,omitempty"`
	// Unsupported: the row's systems are not supported at all.
	Unsupported bool `json:"unsupported,omitempty"`
	// MinServicePack: systems below this service pack are unsupported.
	MinServicePack *int `json:"min_service_pack,omitempty"`
	// EndOfSupport: the last day of support (YYYY-MM-DD); systems are
	// unsupported after it, judged at the scan date.
	EndOfSupport string `json:"end_of_support,omitempty"`
	// Source says where the row comes from.
	Source string `json:"source"`

	match    string
	editions []string
	eos      time.Time
}

// normalizeOS lower-cases an operatingSystem value and drops the ®/™
// marks Windows writes ("Windows Server® 2008", "Windows Vista™").
func normalizeOS(s string) string {
	s = strings.ToLower(s)
	for _, m := range []string{"®", "™", "(r)", "(tm)"} {
		s = strings.ReplaceAll(s, m, "")
	}
	return strings.Join(strings.Fields(s), " ")
}

// servicePack parses operatingSystemServicePack ("Service Pack 2", "SP3",
// "Service Pack 1, v.1101"): the number, or 0 for none.
func servicePack(s string) int {
	l := strings.ToLower(strings.TrimSpace(s))
	i := strings.Index(l, "service pack")
	switch {
	case i >= 0:
		l = l[i+len("service pack"):]
	case strings.HasPrefix(l, "sp"):
		l = l[2:]
	default:
		return 0
	}
	l = strings.TrimLeft(l, " .")
	n := 0
	for j := 0; j < len(l) && l[j] >= '0' && l[j] <= '9' && n < 1000; j++ {
		n = n*10 + int(l[j]-'0')
	}
	return n
}

// osBuild parses the build from operatingSystemVersion ("10.0 (19045)"),
// or returns 0.
func osBuild(v string) int {
	i := strings.IndexByte(v, '(')
	if i < 0 {
		return 0
	}
	n := 0
	for j := i + 1; j < len(v) && v[j] >= '0' && v[j] <= '9' && n < 1e7; j++ {
		n = n*10 + int(v[j]-'0')
	}
	return n
}

func (e *osEntry) matches(os string, build int) bool {
	if !strings.Contains(os, e.match) {
		return false
	}
	if len(e.editions) > 0 {
		ok := false
		for _, ed := range e.editions {
			if strings.Contains(os, ed) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if len(e.Builds) > 0 {
		ok := false
		for _, b := range e.Builds {
			if b == build {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// unsupportedOS is CLI-001: computer objects whose operating system is
// below the profile's minimum or out of support at the scan date. Disabled
// computer accounts are skipped.
type unsupportedOS struct {
	table     []osEntry
	now       time.Time
	computers int64
}

// unsupportedOSParams are the parameters of newUnsupportedOS.
type unsupportedOSParams struct {
	Systems []osEntry `json:"systems"`
}

func newUnsupportedOS(cfg unsupportedOSParams, env Env) (Check, error) {
	if len(cfg.Systems) == 0 {
		return nil, errParam("systems", "missing")
	}
	for i := range cfg.Systems {
		e := &cfg.Systems[i]
		e.match = normalizeOS(e.Match)
		if e.match == "" {
			return nil, errParam("systems", "row %d has no match", i+1)
		}
		if e.Name == "" {
			e.Name = e.Match
		}
		for _, ed := range e.Editions {
			e.editions = append(e.editions, normalizeOS(ed))
		}
		if e.EndOfSupport != "" {
			t, err := time.Parse("2006-01-02", e.EndOfSupport)
			if err != nil {
				return nil, errParam("systems", "row %d (%s): end_of_support: %v", i+1, e.Name, err)
			}
			e.eos = t
		}
	}
	return &unsupportedOS{table: cfg.Systems, now: env.Now}, nil
}

func (c *unsupportedOS) Observe(r *snapshot.Record, out *Output) {
	o := r.Dir
	if o == nil || o.Kind != snapshot.KindComputer {
		return
	}
	c.computers++
	if o.Disabled() {
		return
	}
	out.Consider(o)
	raw := o.First("operatingsystem")
	if raw == "" {
		out.NotJudged("no operatingSystem")
		return
	}
	osName := normalizeOS(raw)
	version := o.First("operatingsystemversion")
	spRaw := o.First("operatingsystemservicepack")
	build := osBuild(version)
	for i := range c.table {
		e := &c.table[i]
		if !e.matches(osName, build) {
			continue
		}
		var why string
		ev := map[string]any{
			"attribute":    "operatingSystem",
			"value":        raw,
			"version":      version,
			"service_pack": spRaw,
			"row":          e.Name,
			"source":       e.Source,
		}
		switch {
		case e.Unsupported:
			why = "is not a supported operating system"
			ev["threshold"] = "not supported"
		case e.MinServicePack != nil && servicePack(spRaw) < *e.MinServicePack:
			have := "no service pack"
			if sp := servicePack(spRaw); sp > 0 {
				have = fmt.Sprintf("Service Pack %d", sp)
			}
			why = fmt.Sprintf("has %s; the minimum is %s Service Pack %d", have, e.Name, *e.MinServicePack)
			ev["threshold"] = fmt.Sprintf("Service Pack %d", *e.MinServicePack)
			ev["observed"] = servicePack(spRaw)
		case !e.eos.IsZero() && !c.now.Before(e.eos.Add(24*time.Hour)):
			why = fmt.Sprintf("is out of support since %s (%s); Extended Security Updates, if bought, are not considered", e.EndOfSupport, e.Name)
			ev["threshold"] = e.EndOfSupport
			ev["scan_date"] = c.now.UTC().Format("2006-01-02")
		}
		if why == "" {
			return // the first matching row says it is supported
		}
		f := dirFinding(o)
		if h := o.First("dnshostname"); h != "" {
			f.Object.Name = h
		} else if cn := o.First("cn"); cn != "" {
			f.Object.Name = cn
		}
		desc := raw
		if spRaw != "" {
			desc += " " + spRaw
		}
		if version != "" {
			desc += " (" + version + ")"
		}
		f.Message = fmt.Sprintf("computer %s runs %s, which %s (source: %s)", f.Object.Name, desc, why, e.Source)
		f.Evidence = ev
		out.Add(f)
		return
	}
}

func (c *unsupportedOS) Finish(out *Output) {
	if c.computers == 0 {
		out.Skip("the directory snapshot holds no computer objects (export or search the computers' organisational units too)")
	}
}
