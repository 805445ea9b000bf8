package pdf

// The palette, and the words the report uses for verdicts, profiles and
// areas.

import (
	"github.com/preflight-scan/preflight/report"
)

type rgb struct{ r, g, b int }

var (
	colText    = rgb{33, 33, 33}
	colMuted   = rgb{110, 110, 110}
	colRule    = rgb{200, 200, 200}
	colHeadBg  = rgb{236, 239, 241}
	colZebra   = rgb{248, 249, 250}
	colAccent  = rgb{21, 67, 96}
	colOK      = rgb{46, 125, 50}
	colWarn    = rgb{230, 126, 0}
	colBad     = rgb{183, 28, 28}
	colUnknown = rgb{84, 98, 112}
)

var sevColour = map[string]rgb{
	report.SeverityCritical: {183, 28, 28},
	report.SeverityHigh:     {230, 81, 0},
	report.SeverityMedium:   {214, 150, 0},
	report.SeverityLow:      {30, 120, 200},
	report.SeverityInfo:     {120, 130, 140},
}

var verdictColour = map[string]rgb{
	report.VerdictReady:      colOK,
	report.VerdictAtRisk:     colWarn,
	report.VerdictBlocked:    colBad,
	report.VerdictIncomplete: colUnknown,
}

var verdictWords = map[string][2]string{
	report.VerdictReady:      {"READY", "No critical or high findings in the areas assessed."},
	report.VerdictAtRisk:     {"AT RISK", "The migration can go ahead, but some users or objects will break or change. Fix the high findings first."},
	report.VerdictBlocked:    {"BLOCKED", "The migration or directory synchronisation cannot go ahead until the critical findings are fixed."},
	report.VerdictIncomplete: {"INCOMPLETE", "Some checks could not be evaluated because a data source failed. This report cannot call the organisation ready."},
}

var profileWords = map[string]string{
	"exchange-online": "Exchange Online (today's Microsoft 365 limits)",
	"office365-2011":  "BPOS to Office 365 transition (2011)",
	"bpos-2010":       "BPOS Standard (2010)",
}

var areaWords = map[string]string{
	"directory": "Directory",
	"clients":   "Client software",
	"mailbox":   "Mailboxes",
	"dns":       "DNS",
	"blacklist": "Blocklists",
	"network":   "Network",
}

func (w *writer) text(c rgb) { w.p.SetTextColor(c.r, c.g, c.b) }
func (w *writer) fill(c rgb) { w.p.SetFillColor(c.r, c.g, c.b) }
func (w *writer) draw(c rgb) { w.p.SetDrawColor(c.r, c.g, c.b) }

func areaName(a string) string {
	if n := areaWords[a]; n != "" {
		return n
	}
	return a
}
