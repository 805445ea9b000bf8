package checks

import (
	"fmt"
	"strings"

	"github.com/preflight-scan/preflight/snapshot"
)

// --- MBX-010 -------------------------------------------------------------

type sharedParams struct {
	// MaxUnlicensedGB is the most a shared mailbox holds without a licence
	// (Exchange Online: 50 GB).
	MaxUnlicensedGB float64 `json:"max_unlicensed_gb" param:"min=0"`
}

const sizeUnknown = "size unknown: give --mailbox-stats (Get-EXOMailboxStatistics)"

func newSharedLicence(prm sharedParams, env Env) (Check, error) {
	if prm.MaxUnlicensedGB <= 0 {
		return nil, fmt.Errorf("params: max_unlicensed_gb must be positive")
	}
	limit := int64(prm.MaxUnlicensedGB * float64(gib))
	ix := env.ownerIndex()
	fs := env.factFeed()
	var mailboxes []*snapshot.Mailbox
	return Funcs{
		ObserveFunc: func(r *snapshot.Record, _ *Output) {
			ix.observe(r)
			fs.observe(r)
			if m := r.Mailbox; m != nil {
				cp := *m
				mailboxes = append(mailboxes, &cp)
			}
		},
		FinishFunc: func(out *Output) {
			done := map[*mbxFact]bool{}
			typed, shared := 0, 0
			judge := func(j joined, size int64, fd Finding, label string) {
				if j.shared != triUnknown {
					typed++
				}
				if j.shared != triYes {
					return
				}
				shared++
				out.Judged(1)
				var why []string
				if size > limit {
					why = append(why, fmt.Sprintf("holds %s, over %s", gbOf(size), gbOf(limit)))
				}
				if j.hold == triYes {
					why = append(why, "is on "+j.holdWhy)
				}
				if j.archive == triYes {
					why = append(why, "has an archive ("+j.archiveWhy+")")
				}
				if len(why) == 0 {
					switch {
					case size < 0 && len(mailboxes) > 0:
						out.NotJudged("size unknown: no row of the mailbox statistics matched it")
					case size < 0:
						out.NotJudged(sizeUnknown)
					case j.hold == triUnknown:
						out.NotJudged(fs.holdUnknown(j))
					}
					return
				}
				if fd.Evidence == nil {
					fd.Evidence = map[string]any{}
				}
				fd.Evidence["observed"] = why
				fd.Evidence["recipient_type"] = j.typeName
				if size >= 0 {
					fd.Evidence["observed_bytes"] = size
					fd.Evidence["threshold"] = limit
					fd.Evidence["threshold_text"] = gbOf(limit)
				}
				licence := "assign it an Exchange Online Plan 2 licence (or an Exchange Online Plan 1 licence with the Exchange Online Archiving add-on) in Exchange Online (the target tenant)"
				if j.licensed == "true" {
					licence = "it holds a licence in the source tenant; assign one to the target mailbox too (Exchange Online Plan 2, or Plan 1 with Exchange Online Archiving)"
				}
				fd.Message = fmt.Sprintf("shared mailbox %s %s: a shared mailbox needs a licence then; %s", label, strings.Join(why, ", "), licence)
				out.Add(fd)
			}
			for _, m := range mailboxes {
				j := fs.join(m)
				for _, f := range []*mbxFact{j.tenant, j.dir} {
					if f != nil {
						done[f] = true
					}
				}
				fd, label := forJoined(ix, m, j)
				judge(j, itemBytes(m), fd, label)
			}
			// Shared mailboxes the statistics do not cover: their hold and
			// archive still need a licence.
			for _, f := range fs.tenant.entries {
				if done[f] {
					continue
				}
				d := fs.dir.find(f.keys...)
				if d != nil && done[d] {
					d = nil
				}
				done[f], done[d] = true, true
				j := joinFacts(f, d)
				judge(j, -1, f.finding, f.finding.Object.Name)
			}
			for _, f := range fs.dir.entries {
				if !done[f] {
					judge(joinFacts(nil, f), -1, f.finding, f.finding.Object.Name)
				}
			}
			switch {
			case typed == 0:
				out.Skip("no mailbox's type is known: give --mailboxes or --recipients (RecipientTypeDetails), a directory with msExchRecipientTypeDetails, or statistics with MailboxTypeDetail")
			case shared == 0:
				out.Skip("none of the %d mailboxes whose type is known is a shared mailbox", typed)
			default:
				skipUnjudged(out, "any shared mailbox")
			}
		},
	}, nil
}
