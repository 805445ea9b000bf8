package pdf

// The palette.

import (
	"github.com/preflight-scan/preflight/report/model"
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

var sevColour = map[model.Severity]rgb{
	model.SeverityCritical: {183, 28, 28},
	model.SeverityHigh:     {230, 81, 0},
	model.SeverityMedium:   {214, 150, 0},
	model.SeverityLow:      {30, 120, 200},
	model.SeverityInfo:     {120, 130, 140},
}

var verdictColour = map[model.Verdict]rgb{
	model.VerdictReady:      colOK,
	model.VerdictAtRisk:     colWarn,
	model.VerdictBlocked:    colBad,
	model.VerdictIncomplete: colUnknown,
}

func (w *writer) text(c rgb) { w.p.SetTextColor(c.r, c.g, c.b) }
func (w *writer) fill(c rgb) { w.p.SetFillColor(c.r, c.g, c.b) }
func (w *writer) draw(c rgb) { w.p.SetDrawColor(c.r, c.g, c.b) }
