package checks

import (
	"fmt"

	"github.com/preflight-scan/preflight/snapshot"
)

// --- MBX-009 -------------------------------------------------------------

type archiveParams struct {
	// QuotaGB is the archive quota when the mailbox export gives no
	// ArchiveQuota (Exchange Online: 100 GB; 50 GB under Plan 1 and the
	// Business plans).
	QuotaGB float64 `json:"quota_gb" param:"min=0"`
	// AutoExpandingMaxGB is the most an auto-expanding archive grows to
	// (1.5 TB).
	AutoExpandingMaxGB float64 `json:"auto_expanding_max_gb" param:"min=0"`
}

const autoExpandUnknown = "auto-expanding archiving unknown: give --mailboxes with AutoExpandingArchiveEnabled"

func newArchiveQuota(prm archiveParams, env Env) (Check, error) {
	if prm.QuotaGB <= 0 || prm.AutoExpandingMaxGB < prm.QuotaGB {
		return nil, fmt.Errorf("params: quota_gb must be positive and auto_expanding_max_gb at least quota_gb")
	}
	def, maxAuto := int64(prm.QuotaGB*float64(gib)), int64(prm.AutoExpandingMaxGB*float64(gib))
	fs := env.factFeed()
	return Funcs{
		ObserveFunc: func(r *snapshot.Record, _ *Output) { fs.observe(r) },
		FinishFunc: func(out *Output) {
			archives := 0
			for _, f := range fs.tenant.entries {
				if f.archiveBytes < 0 {
					continue
				}
				archives++
				out.Judged(1)
				limit, basis := def, "the default archive quota"
				if f.archiveQuota > 0 {
					limit, basis = f.archiveQuota, "the mailbox's ArchiveQuota as exported"
				}
				if f.archiveBytes <= limit {
					continue
				}
				what := "is over its quota and auto-expanding archiving is off (AutoExpandingArchiveEnabled False): the archive stops taking items, retention policies stop moving mail out of the primary mailbox and the move copies a full archive"
				switch {
				case f.autoExpand == triUnknown:
					out.NotJudged(autoExpandUnknown)
					continue
				case f.autoExpand == triYes && f.archiveBytes <= maxAuto:
					continue
				case f.autoExpand == triYes:
					limit, basis = maxAuto, "the most an auto-expanding archive grows to"
					what = "is over the most an auto-expanding archive grows to"
				}
				fd := f.finding
				fd.Evidence = map[string]any{
					"attribute": "TotalItemSize (archive)", "observed": f.archiveBytes, "observed_text": gbOf(f.archiveBytes),
					"threshold": limit, "threshold_text": gbOf(limit), "quota_basis": basis,
					"auto_expanding": triWord(f.autoExpand), "origin": f.origin,
				}
				fd.Message = fmt.Sprintf("the archive of %s holds %s, over %s (%s): it %s", fd.Object.Name, gbOf(f.archiveBytes), gbOf(limit), basis, what)
				out.Add(fd)
			}
			if archives == 0 {
				out.Skip("no archive statistics given (--archive-stats: Get-EXOMailboxStatistics -Archive)")
				return
			}
			skipUnjudged(out, "any archive")
		},
	}, nil
}
