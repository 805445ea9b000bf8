package pdf

// The migration estimate.

import (
	"fmt"
	"strconv"

	"github.com/preflight-scan/preflight/report/content"
)

func (w *writer) estimate() {
	p := w.p
	w.need(80) // keep the estimate's table on one page
	w.heading("Migration estimate")
	e := w.rep.Summary.Estimate
	if e == nil {
		w.para("No estimate was made. It needs the mailbox sizes (--mailbox-stats or --mailbox-usage) and the bandwidth available for the migration (--bandwidth-mbps).", 9.5, colText)
		return
	}
	rows := [][]string{
		{"Mailboxes to move", strconv.FormatInt(e.Mailboxes, 10)},
		{"Data to move", content.BytesText(e.DataBytes)},
		{"Licences needed", strconv.FormatInt(e.Licences, 10)},
	}
	if e.BandwidthMbps > 0 {
		rows = append(rows, []string{"Bandwidth", strconv.FormatFloat(e.BandwidthMbps, 'f', -1, 64) + " Mbit/s"})
	}
	if e.Concurrency > 0 {
		rows = append(rows, []string{"Concurrent migrations", strconv.FormatInt(e.Concurrency, 10)})
	}
	if e.ThroughputMBh > 0 {
		rows = append(rows, []string{"Throughput", strconv.FormatFloat(e.ThroughputMBh, 'f', 0, 64) + " MB per hour"})
	}
	if e.Hours > 0 {
		rows = append(rows, []string{"Estimated time", fmt.Sprintf("%.1f hours (%.1f days)", e.Hours, e.Hours/24)})
	} else {
		rows = append(rows, []string{"Estimated time", "not estimated: give the bandwidth available for the migration (--bandwidth-mbps)"})
	}
	w.table([]column{{"", 60, "", false}, {"", contentW - 60, "", false}}, rows, 9.5, func(_, c int) *rgb {
		if c == 0 {
			return &colText
		}
		return nil
	})
	if e.Basis != "" {
		w.para("How: "+e.Basis, 8.5, colMuted)
	}
	p.Ln(2)
}
