package checks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// objectLimit is one limit of DIR-006.
type objectLimit struct {
	Objects  int64  `json:"objects" param:"min=1"`
	Severity string `json:"severity"`
	Meaning  string `json:"meaning"`
	Source   string `json:"source"`
}

// objectCount is DIR-006: sync-scope objects against the profile's limits.
type objectCount struct {
	scoped
	limits   []objectLimit
	counting string // "mail-enabled" (the catalogue's sync scope) or "all"
	inSync   int64
	all      int64
}

// objectCountParams are the parameters of newObjectCount.
type objectCountParams struct {
	Limits []objectLimit `json:"limits"`
	Count  string        `json:"count"`
}

func newObjectCount(cfg objectCountParams, _ Env) (Check, error) {
	if len(cfg.Limits) == 0 {
		return nil, errParam("limits", "missing")
	}
	for i, l := range cfg.Limits {
		if l.Objects <= 0 {
			return nil, errParam("limits", "entry %d: objects must be positive", i+1)
		}
		if !model.Severity(l.Severity).Valid() {
			return nil, errParam("limits", "entry %d: unknown severity %q", i+1, l.Severity)
		}
	}
	switch cfg.Count {
	case "":
		cfg.Count = "mail-enabled"
	case "mail-enabled", "all":
	default:
		return nil, errParam("count", "want mail-enabled or all, got %q", cfg.Count)
	}
	sort.Slice(cfg.Limits, func(i, j int) bool { return cfg.Limits[i].Objects < cfg.Limits[j].Objects })
	return &objectCount{limits: cfg.Limits, counting: cfg.Count}, nil
}

func (c *objectCount) Observe(r *snapshot.Record, out *Output) {
	o := r.Dir
	if o == nil {
		return
	}
	e := c.scope.entry(o)
	if !e.principal {
		return
	}
	c.all++
	if e.mail {
		c.inSync++
	}
	if e.mail || c.countAll() {
		out.Consider(o)
	}
}

// countAll reports whether every principal counts: the rule's "count"
// parameter or the run's sync scope says so.
func (c *objectCount) countAll() bool { return c.counting == "all" || c.scope.all }

func (c *objectCount) Finish(out *Output) {
	n, what := c.inSync, "mail-enabled users, contacts and groups in sync scope"
	if c.countAll() {
		n, what = c.all, "users, contacts and groups (everything the sync tool synchronizes unless filtered)"
	}
	var over []objectLimit
	var worst model.Severity
	for _, l := range c.limits {
		if n > l.Objects {
			over = append(over, l)
			if model.Severity(l.Severity).Rank() >= worst.Rank() {
				worst = model.Severity(l.Severity)
			}
		}
	}
	if len(over) == 0 {
		return
	}
	var parts []string
	var ev []map[string]any
	for _, l := range over {
		parts = append(parts, fmt.Sprintf("over %s: %s (%s)", count(l.Objects), l.Meaning, l.Source))
		ev = append(ev, map[string]any{"objects": l.Objects, "severity": l.Severity, "meaning": l.Meaning, "source": l.Source})
	}
	msg := fmt.Sprintf("the directory holds %s %s; %s", count(n), what, strings.Join(parts, "; "))
	if !c.countAll() && c.all > n {
		msg += fmt.Sprintf(" (%s users, contacts and groups in all, mail-enabled or not)", count(c.all))
	}
	out.Add(Finding{
		Object:   aggregateObject("directory", "sync-scope", "objects in sync scope"),
		Key:      "object-count",
		Message:  msg,
		Severity: worst,
		Evidence: map[string]any{
			"observed":        n,
			"counted":         map[bool]string{true: "all", false: "mail-enabled"}[c.countAll()],
			"mail_enabled":    c.inSync,
			"all_principals":  c.all,
			"threshold":       over[len(over)-1].Objects,
			"limits_exceeded": ev,
		},
	})
}
