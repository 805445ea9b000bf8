package pdf

// The data sources and the inventory of what was found.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/preflight-scan/preflight/report"
	"github.com/preflight-scan/preflight/report/content"
	"github.com/preflight-scan/preflight/snapshot"
)

func (w *writer) sources() {
	rep := w.rep
	w.p.AddPage()
	w.heading("Data sources")
	if len(rep.Sources) == 0 {
		w.para("No data source was read.", 9.5, colText)
	} else {
		w.para("Where the facts in this report come from, and whether each source could be read completely.", 9.5, colMuted)
		w.p.Ln(2)
		cols := []column{
			{"Source", 47, "", false}, {"Kind", 11, "", false}, {"Areas", 26, "", false}, {"Status", 13, "", false}, {"Objects", 15, "R", false}, {"Detail", contentW - 112, "", false},
		}
		var rows [][]string
		for _, s := range rep.Sources {
			detail, areas := content.SourceDetail(s), content.SourceAreas(s)
			status := s.Status
			if status == "ok" {
				status = "OK"
			}
			rows = append(rows, []string{s.Name, s.Kind, strings.Join(areas, ", "), status, strconv.FormatInt(s.Objects, 10), report.Clip(detail, 300)})
		}
		w.table(cols, rows, 8.5, func(r, c int) *rgb {
			if c != 3 {
				return nil
			}
			switch rep.Sources[r].Status {
			case snapshot.StatusOK:
				return &colOK
			case snapshot.StatusError:
				return &colBad
			}
			return &colMuted
		})
	}

	inv := rep.Summary.Inventory
	w.need(50)
	w.p.Ln(2)
	w.font("B", 11)
	w.p.CellFormat(contentW, 7, "What was found", "", 1, "L", false, 0, "")
	rows := [][]string{
		{"Users", fmt.Sprintf("%d (%d enabled, %d disabled)", inv.Users, inv.EnabledUsers, inv.DisabledUsers)},
		{"Mail-enabled objects", strconv.FormatInt(inv.MailEnabled, 10)},
		{"Contacts / groups / computers", fmt.Sprintf("%d / %d / %d", inv.Contacts, inv.Groups, inv.Computers)},
		{"Mailboxes", fmt.Sprintf("%d, %s in total (%d folders)", inv.Mailboxes, content.BytesText(inv.TotalMailboxBytes), inv.Folders)},
		{"Mail domains", report.ListOr(inv.Domains, "none found")},
	}
	w.table([]column{{"", 60, "", false}, {"", contentW - 60, "", false}}, rows, 9, func(_, c int) *rgb {
		if c == 0 {
			return &colText
		}
		return nil
	})
}
