package model

import "sort"

// FindingGroup is the open findings of one rule that share a group (the
// finding's Group field: DIR-010's UPN suffix), as the renderers show
// them: a heading with the count and the worst severity, then the first
// findings.
type FindingGroup struct {
	// Name is the shared value; "" for the rule's ungrouped findings.
	Name string
	// Severity is the most severe finding's.
	Severity Severity
	// Count counts the group's open findings; Shown holds the first
	// (at most the limit GroupFindings was given), More the rest.
	Count int
	Shown []Finding
	More  int
	// Kinds counts the findings' object kinds, for the heading's noun.
	Kinds map[string]int
}

// GroupFindings splits a rule's open (unsuppressed) findings by their Group, in
// report order within each group, keeping at most perGroup findings of
// each. Groups come most severe first, then by name; the ungrouped
// findings, if any, come last with Name "". A rule whose findings carry
// no group yields one group named "" (or none when nothing is open).
func GroupFindings(fs []Finding, perGroup int) []FindingGroup {
	idx := map[string]int{}
	var out []FindingGroup
	for _, f := range fs {
		if f.Suppressed != nil {
			continue
		}
		i, ok := idx[f.Group]
		if !ok {
			i = len(out)
			idx[f.Group] = i
			out = append(out, FindingGroup{Name: f.Group, Kinds: map[string]int{}})
		}
		g := &out[i]
		g.Count++
		g.Kinds[f.Object.Kind]++
		if f.Severity.Rank() > g.Severity.Rank() {
			g.Severity = f.Severity
		}
		if len(g.Shown) < perGroup {
			g.Shown = append(g.Shown, f)
		} else {
			g.More++
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.Name == "") != (b.Name == "") {
			return b.Name == ""
		}
		if ra, rb := a.Severity.Rank(), b.Severity.Rank(); ra != rb {
			return ra > rb
		}
		return a.Name < b.Name
	})
	return out
}
