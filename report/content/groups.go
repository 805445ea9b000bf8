package content

import (
	"fmt"
	"strings"

	"github.com/preflight-scan/preflight/report/model"
)

// Groups is model.GroupFindings: a rule's open findings by group, at most
// perGroup shown of each.
func Groups(fs []model.Finding, perGroup int) []model.FindingGroup {
	return model.GroupFindings(fs, perGroup)
}

// Grouped reports whether groups hold any named group, so a renderer
// shows headings; otherwise it lists the findings as before.
func Grouped(groups []model.FindingGroup) bool {
	for _, g := range groups {
		if g.Name != "" {
			return true
		}
	}
	return false
}

// GroupHeading is a group's heading: "corp.local — 8 users, high". The
// noun is the objects' kind when all are of one kind, else "findings".
func GroupHeading(g model.FindingGroup) string {
	name := g.Name
	if name == "" {
		name = "other"
	}
	return fmt.Sprintf("%s — %s, %s", name, groupCount(g), g.Severity)
}

func groupCount(g model.FindingGroup) string {
	noun := "finding"
	if len(g.Kinds) == 1 {
		for k := range g.Kinds {
			noun = k
		}
	}
	if g.Count == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "x") || strings.HasSuffix(noun, "s") {
		return fmt.Sprintf("%d %ses", g.Count, noun)
	}
	return fmt.Sprintf("%d %ss", g.Count, noun)
}

// GroupMore says how many of a group's findings are not shown, or "".
func GroupMore(g model.FindingGroup) string {
	if g.More == 0 {
		return ""
	}
	return fmt.Sprintf("and %d more — all in findings.csv", g.More)
}
