package checks

import (
	"fmt"
	"math"
	"sort"

	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// orgFinding starts a finding about the organisation as a whole (one per
// rule), such as a total or an estimate.
func orgFinding(id, name string) Finding {
	return Finding{Object: model.Object{Kind: "directory", ID: id, Name: name}}
}

func sortedStrings(ss []string) []string {
	sort.Strings(ss)
	return ss
}

type estimateParams struct {
	// ThroughputMBh is one migration's throughput in MB per hour
	// (146 MB/h observed destination-side [003 Migration Phase 1.4]).
	ThroughputMBh float64 `json:"throughput_mb_per_hour"`
	// ConcurrencyPerMbps is the concurrent migrations per Mbit/s of
	// bandwidth (3 [003 PW4.14]).
	ConcurrencyPerMbps float64 `json:"concurrency_per_mbps"`
	// MaxConcurrency caps concurrent migrations (the tool's setting); 0 is
	// no cap.
	MaxConcurrency int64 `json:"max_concurrency" param:"min=0"`
	// GBPerLicence is the data one migration licence covers (50 GB
	// [004 s13, s32]).
	GBPerLicence float64 `json:"gb_per_licence" param:"min=0"`
}

// linkMBh is what one Mbit/s carries in an hour, in Exchange's MB.
const linkMBh = 1e6 / 8 * 3600 / float64(1<<20)

// newEstimate is MBX-007: total data, mailboxes, licences and, with a
// bandwidth, the hours the migration takes.
//
// hours = max(total MB / rate, largest mailbox MB / throughput), where
// rate = min(concurrency × throughput, bandwidth's MB/h) and concurrency =
// floor(per-Mbps × Mbps), at least 1, at most the mailbox count and the
// max_concurrency param. The second term is the time the largest mailbox
// alone needs, since one mailbox is one migration.
func newEstimate(prm estimateParams, env Env) (Check, error) {
	if prm.ThroughputMBh <= 0 || prm.ConcurrencyPerMbps <= 0 || prm.GBPerLicence <= 0 {
		return nil, fmt.Errorf("params: throughput_mb_per_hour, concurrency_per_mbps and gb_per_licence must be positive")
	}
	per := int64(prm.GBPerLicence * float64(gib))
	var mailboxes, total, licences, largest int64
	return Funcs{
		ObserveFunc: func(r *snapshot.Record, out *Output) {
			m := r.Mailbox
			if m == nil {
				return
			}
			size := itemBytes(m)
			mailboxes++
			out.Judged(1)
			total += size
			n, _ := licencesFor(size, per)
			licences += n
			if size > largest {
				largest = size
			}
		},
		FinishFunc: func(out *Output) {
			if mailboxes == 0 {
				return
			}
			est := &model.Estimate{Mailboxes: mailboxes, DataBytes: total, Licences: licences, ThroughputMBh: prm.ThroughputMBh}
			fd := orgFinding("migration-estimate", "Migration estimate")
			fd.Evidence = map[string]any{"mailboxes": mailboxes, "data_bytes": total, "data_text": gbOf(total), "licences": licences,
				"throughput_mb_per_hour": prm.ThroughputMBh, "concurrency_per_mbps": prm.ConcurrencyPerMbps}
			if env.BandwidthMbps <= 0 {
				est.Basis = fmt.Sprintf("%d mailboxes, %s, %d migration licences (%g GB each); hours need --bandwidth-mbps", mailboxes, gbOf(total), licences, prm.GBPerLicence)
				fd.Message = est.Basis
			} else {
				conc := int64(math.Floor(prm.ConcurrencyPerMbps * env.BandwidthMbps))
				if conc < 1 {
					conc = 1
				}
				if prm.MaxConcurrency > 0 && conc > prm.MaxConcurrency {
					conc = prm.MaxConcurrency
				}
				if conc > mailboxes {
					conc = mailboxes
				}
				rate := float64(conc) * prm.ThroughputMBh
				link := env.BandwidthMbps * linkMBh
				limitedBy := "concurrency × throughput"
				if link < rate {
					rate, limitedBy = link, "bandwidth"
				}
				totalMB := float64(total) / float64(mib)
				bulk := totalMB / rate
				single := float64(largest) / float64(mib) / prm.ThroughputMBh
				hours := bulk
				if single > hours {
					hours, limitedBy = single, "largest mailbox"
				}
				fd.Evidence["bulk_hours"] = math.Round(bulk*10) / 10
				fd.Evidence["largest_mailbox_hours"] = math.Round(single*10) / 10
				hours = math.Round(hours*10) / 10
				est.BandwidthMbps, est.Concurrency, est.Hours = env.BandwidthMbps, conc, hours
				est.Basis = fmt.Sprintf("%d concurrent migrations (%g per Mbit/s × %g Mbit/s, at most one per mailbox) × %g MB/h each, limited by %s; %d mailboxes, %s, %d licences",
					conc, prm.ConcurrencyPerMbps, env.BandwidthMbps, prm.ThroughputMBh, limitedBy, mailboxes, gbOf(total), licences)
				fd.Evidence["bandwidth_mbps"] = env.BandwidthMbps
				fd.Evidence["concurrency"] = conc
				fd.Evidence["hours"] = hours
				fd.Evidence["limited_by"] = limitedBy
				fd.Message = fmt.Sprintf("about %.1f hours to migrate %d mailboxes (%s) at %g Mbit/s: %s", hours, mailboxes, gbOf(total), env.BandwidthMbps, est.Basis)
			}
			out.Estimate = est
			out.Add(fd)
		},
	}, nil
}
