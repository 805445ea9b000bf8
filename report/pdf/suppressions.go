package pdf

// The suppressions of the configuration file and their state.

import (
	"strconv"

	"github.com/preflight-scan/preflight/report"
)

func (w *writer) suppressions() {
	rep := w.rep
	if len(rep.Suppressions) == 0 {
		return
	}
	w.heading("Suppressions")
	w.para("Findings accepted in the configuration file. An expired suppression no longer hides its findings; an unused one matched nothing and can be removed.", 9, colMuted)
	w.p.Ln(1)
	rows := make([][]string, 0, len(rep.Suppressions))
	for _, s := range rep.Suppressions {
		exp := s.Expires
		if exp == "" {
			exp = "never"
		}
		rows = append(rows, []string{s.RuleID, report.Clip(s.Object, 120), report.Clip(s.Reason, 200), exp, s.State, strconv.Itoa(s.Matched)})
	}
	w.table([]column{{"Rule", 20, "", false}, {"Object", 46, "", false}, {"Reason", contentW - 122, "", false}, {"Expires", 22, "", false}, {"State", 18, "", false}, {"Matched", 16, "R", false}}, rows, 8, func(r, c int) *rgb {
		if c != 4 {
			return nil
		}
		switch rep.Suppressions[r].State {
		case "expired":
			return &colBad
		case "unused":
			return &colWarn
		}
		return &colOK
	})
}
