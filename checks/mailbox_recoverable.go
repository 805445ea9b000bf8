package checks

import (
	"fmt"
	"strings"

	"github.com/preflight-scan/preflight/snapshot"
)

// addMailboxQuotas registers the Exchange Online quota checks that need
// facts besides the statistics: hold, archive, shared (MBX-008…010).
func addMailboxQuotas(r Registry) {
	r["mailbox.recoverable_items"] = Typed(newRecoverableItems)
	r["mailbox.archive_quota"] = Typed(newArchiveQuota)
	r["mailbox.shared_licence"] = Typed(newSharedLicence)
}

// --- MBX-008 -------------------------------------------------------------

type recoverableParams struct {
	// QuotaGB is the Recoverable Items quota of a mailbox on no hold
	// (Exchange Online: 30 GB).
	QuotaGB float64 `json:"quota_gb" param:"min=0"`
	// HoldQuotaGB is the quota of a mailbox on litigation, in-place or
	// retention hold (Exchange Online: 100 GB).
	HoldQuotaGB float64 `json:"hold_quota_gb" param:"min=0"`
}

const holdUnknown = "hold status unknown: give --mailboxes (Get-EXOMailbox with LitigationHoldEnabled and InPlaceHolds)"

// factFeed is a check's view of the mailbox facts: the shared stage fills
// them, or the check itself when it has none.
type factFeed struct {
	*facts
	own bool
}

func (f factFeed) observe(r *snapshot.Record) {
	if f.own {
		f.facts.observe(r)
	}
}

func (e Env) factFeed() factFeed {
	fs, own := e.factsIndex()
	return factFeed{facts: fs, own: own}
}

func newRecoverableItems(prm recoverableParams, env Env) (Check, error) {
	if prm.QuotaGB <= 0 || prm.HoldQuotaGB < prm.QuotaGB {
		return nil, fmt.Errorf("params: quota_gb must be positive and hold_quota_gb at least quota_gb")
	}
	base, hold := int64(prm.QuotaGB*float64(gib)), int64(prm.HoldQuotaGB*float64(gib))
	ix := env.ownerIndex()
	fs := env.factFeed()
	var mailboxes, unsized int64
	var over []*snapshot.Mailbox
	return Funcs{
		ObserveFunc: func(r *snapshot.Record, out *Output) {
			ix.observe(r)
			fs.observe(r)
			m := r.Mailbox
			if m == nil {
				return
			}
			mailboxes++
			if !m.DeletedKnown && m.DeletedBytes == 0 {
				unsized++
				return
			}
			out.Judged(1)
			if m.DeletedBytes > base {
				cp := *m
				over = append(over, &cp)
			}
		},
		FinishFunc: func(out *Output) {
			switch {
			case mailboxes == 0:
				out.Skip("no mailbox statistics given (--mailbox-stats: Get-MailboxStatistics or Get-EXOMailboxStatistics; or --mailbox-usage)")
				return
			case unsized == mailboxes:
				out.Skip("the %d mailboxes' statistics carry no Recoverable Items size: export TotalDeletedItemSize (Get-MailboxStatistics) or the usage report's Deleted Item Size (Byte)", mailboxes)
				return
			case unsized > 0:
				out.NotEvaluated = addCount(out.NotEvaluated, "no TotalDeletedItemSize in the export", unsized)
			}
			for _, m := range over {
				j := fs.join(m)
				limit, basis := base, "the quota of a mailbox on no hold"
				switch {
				case j.recoverableQuota > 0:
					limit, basis = j.recoverableQuota, "the mailbox's RecoverableItemsQuota as exported"
				case j.hold == triYes:
					limit, basis = hold, "the quota of a mailbox on "+j.holdWhy
				case j.hold == triNo:
				case m.DeletedBytes > hold:
					limit, basis = hold, "over the quota even of a mailbox on hold (hold status unknown)"
				default:
					out.NotJudged(fs.holdUnknown(j))
					continue
				}
				if m.DeletedBytes <= limit {
					continue
				}
				fd, label := forJoined(ix, m, j)
				fd.Evidence["attribute"] = "TotalDeletedItemSize"
				fd.Evidence["observed"] = m.DeletedBytes
				fd.Evidence["observed_text"] = gbOf(m.DeletedBytes)
				fd.Evidence["threshold"] = limit
				fd.Evidence["threshold_text"] = gbOf(limit)
				fd.Evidence["quota_basis"] = basis
				fd.Evidence["hold"] = triWord(j.hold)
				if j.holdWhy != "" {
					fd.Evidence["hold_reason"] = j.holdWhy
				}
				fd.Message = fmt.Sprintf("Recoverable Items of %s hold %s, over %s (%s): Exchange Online stops accepting deletions into a full Recoverable Items folder and a move of the mailbox fails",
					label, gbOf(m.DeletedBytes), gbOf(limit), basis)
				out.Add(fd)
			}
			skipUnjudged(out, "the Recoverable Items of any mailbox")
		},
	}, nil
}

// skipUnjudged makes a check that judged nothing but could not judge some
// objects say so, with the reasons.
func skipUnjudged(out *Output, what string) {
	if out.Evaluated > 0 || len(out.Findings) > 0 || len(out.NotEvaluated) == 0 {
		return
	}
	var reasons []string
	for _, k := range sortedKeys(out.NotEvaluated) {
		reasons = append(reasons, fmt.Sprintf("%d × %s", out.NotEvaluated[k], k))
	}
	out.Skip("could not judge %s: %s", what, strings.Join(reasons, "; "))
}

// holdUnknown says why a mailbox's hold status is not known.
func (fs *facts) holdUnknown(j joined) string {
	switch {
	case j.tenant != nil || j.dir != nil:
		return "hold status unknown: the export holding the mailbox lacks LitigationHoldEnabled (or the directory msExchELCMailboxFlags)"
	case len(fs.tenant.entries) > 0 || len(fs.dir.entries) > 0:
		return "hold status unknown: the mailbox matched no row of the mailbox exports and no directory user"
	}
	return holdUnknown
}

func triWord(t tri) string {
	switch t {
	case triYes:
		return "yes"
	case triNo:
		return "no"
	}
	return "unknown"
}

func addCount(m map[string]int64, reason string, n int64) map[string]int64 {
	if m == nil {
		m = map[string]int64{}
	}
	m[reason] += n
	return m
}
