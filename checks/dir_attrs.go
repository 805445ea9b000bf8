package checks

import (
	"fmt"
	"strings"

	"github.com/preflight-scan/preflight/snapshot"
)

// attrGroup is one required (or recommended) attribute: any of its
// alternatives having a value satisfies it ("samaccountname|userprincipalname").
type attrGroup struct {
	spec  string   // as given in the params
	alts  []string // lower-case names
	label string   // display spelling, "sAMAccountName or userPrincipalName"
}

func parseAttrGroups(name string, specs []string) ([]attrGroup, error) {
	if len(specs) == 0 {
		return nil, errParam(name, "missing or empty")
	}
	var gs []attrGroup
	for _, s := range specs {
		g := attrGroup{spec: s}
		var labels []string
		for _, a := range strings.Split(s, "|") {
			a = strings.ToLower(strings.TrimSpace(a))
			if a == "" {
				return nil, errParam(name, "empty attribute name in %q", s)
			}
			if _, ok := snapshot.KeepAttribute(a); !ok {
				return nil, errParam(name, "attribute %q is not collected", a)
			}
			g.alts = append(g.alts, a)
			labels = append(labels, attrName(a))
		}
		g.label = strings.Join(labels, " or ")
		gs = append(gs, g)
	}
	return gs, nil
}

func (g *attrGroup) has(o *snapshot.DirObject) bool {
	for _, a := range g.alts {
		if o.Has(a) {
			return true
		}
	}
	return false
}

// requiredAttrs is DIR-003: mail-enabled users missing a required
// attribute. Shared, room and equipment mailboxes are not people and are
// held only to the attributes that are not person names.
type requiredAttrs struct {
	scoped
	groups []attrGroup
	// unexported marks the groups a source's export did not request
	// (Source.Requested); labels holds each finding's user label.
	unexported map[string]bool
	labels     []string
}

// requiredAttrsParams are the parameters of newRequiredAttrs.
type requiredAttrsParams struct {
	Required []string `json:"required"`
}

func newRequiredAttrs(cfg requiredAttrsParams, _ Env) (Check, error) {
	gs, err := parseAttrGroups("required", cfg.Required)
	if err != nil {
		return nil, err
	}
	return &requiredAttrs{groups: gs}, nil
}

func (c *requiredAttrs) Observe(r *snapshot.Record, out *Output) {
	if s := r.Source; s != nil && len(s.Requested) > 0 && s.Status == snapshot.StatusOK {
		for _, g := range c.groups {
			if !g.requested(s.Requested) {
				if c.unexported == nil {
					c.unexported = map[string]bool{}
				}
				c.unexported[g.label] = true
			}
		}
	}
	o := r.Dir
	if o == nil || o.Kind != snapshot.KindUser || !c.scope.in(o) {
		return
	}
	out.Consider(o)
	person := personMailbox(o)
	var missing []string
	for i := range c.groups {
		g := &c.groups[i]
		if !person && (g.spec == "givenname" || g.spec == "sn") {
			continue
		}
		if !g.has(o) {
			missing = append(missing, g.label)
		}
	}
	if len(missing) == 0 {
		return
	}
	f := dirFinding(o)
	c.labels = append(c.labels, o.Label())
	f.Message = requiredMessage(o.Label(), missing)
	var req []string
	for _, g := range c.groups {
		req = append(req, g.label)
	}
	f.Evidence = map[string]any{
		"attribute": missing,
		"missing":   missing,
		"threshold": req,
	}
	out.Add(f)
}

// requiredMessage words a DIR-003 finding.
func requiredMessage(label string, missing []string) string {
	return fmt.Sprintf("mail-enabled user '%s' has no %s", label, strings.Join(missing, ", no "))
}

// requested reports whether an export limited to these attributes holds
// one of the group's.
func (g *attrGroup) requested(list []string) bool {
	for _, a := range g.alts {
		for _, r := range list {
			if strings.EqualFold(a, r) {
				return true
			}
		}
	}
	return false
}

// Finish drops from the findings the attributes an export did not
// request: "every user lacks displayName" is then an artefact of the
// export. The engine reports such a rule as not judged on them (error);
// the attributes the export did hold are judged as usual.
func (c *requiredAttrs) Finish(out *Output) {
	if len(c.unexported) == 0 {
		return
	}
	kept := out.Findings[:0]
	for i, f := range out.Findings {
		missing, _ := f.Evidence["missing"].([]string)
		var left []string
		for _, m := range missing {
			if !c.unexported[m] {
				left = append(left, m)
			}
		}
		if len(left) == 0 {
			continue
		}
		f.Evidence["attribute"], f.Evidence["missing"] = left, left
		if i < len(c.labels) {
			f.Message = requiredMessage(c.labels[i], left)
		}
		kept = append(kept, f)
	}
	out.Findings = kept
}

// galFill is DIR-004: how many mail-enabled people have each address-book
// attribute; one finding per attribute below the fill threshold.
type galFill struct {
	scoped
	groups  []attrGroup
	minFill float64
	users   int64
	empty   []int64
	samples []sampler
}

// galFillParams are the parameters of newGALFill.
type galFillParams struct {
	Attributes     []string `json:"attributes"`
	MinFillPercent *float64 `json:"min_fill_percent" param:"min=0"`
	SampleSize     int      `json:"sample_size" param:"min=0"`
}

func newGALFill(cfg galFillParams, _ Env) (Check, error) {
	gs, err := parseAttrGroups("attributes", cfg.Attributes)
	if err != nil {
		return nil, err
	}
	if cfg.MinFillPercent == nil || *cfg.MinFillPercent < 0 || *cfg.MinFillPercent > 100 {
		return nil, errParam("min_fill_percent", "missing or outside 0–100")
	}
	if cfg.SampleSize <= 0 {
		cfg.SampleSize = 5
	}
	c := &galFill{groups: gs, minFill: *cfg.MinFillPercent, empty: make([]int64, len(gs)), samples: make([]sampler, len(gs))}
	for i := range c.samples {
		c.samples[i].k = cfg.SampleSize
	}
	return c, nil
}

func (c *galFill) Observe(r *snapshot.Record, out *Output) {
	o := r.Dir
	if o == nil || o.Kind != snapshot.KindUser || !c.scope.in(o) || !personMailbox(o) {
		return
	}
	out.Consider(o)
	c.users++
	label := ""
	for i := range c.groups {
		if !c.groups[i].has(o) {
			c.empty[i]++
			if label == "" {
				label = o.Label()
			}
			c.samples[i].add(label)
		}
	}
}

func (c *galFill) Finish(out *Output) {
	if c.users == 0 {
		return
	}
	for i, g := range c.groups {
		n := c.empty[i]
		if n == 0 {
			continue
		}
		fill := percent(c.users-n, c.users)
		if fill >= c.minFill {
			continue
		}
		sample := c.samples[i].items
		more := ""
		if int64(len(sample)) < n {
			more = fmt.Sprintf(" and %s more", count(n-int64(len(sample))))
		}
		out.Add(Finding{
			Object: aggregateObject("directory", "attribute:"+g.spec, g.label),
			Key:    g.spec,
			Message: fmt.Sprintf("%s is empty for %s of %s mail-enabled people (%.1f%% filled, below %.0f%%), e.g. %s%s",
				g.label, count(n), count(c.users), fill, c.minFill, quoteList(sample), more),
			Evidence: map[string]any{
				"attribute":    g.label,
				"empty":        n,
				"users":        c.users,
				"fill_percent": fill,
				"threshold":    c.minFill,
				"sample":       sample,
			},
		})
	}
}
