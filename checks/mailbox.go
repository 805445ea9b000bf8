package checks

import (
	"fmt"
	"strings"

	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// Exchange's units, as Exchange displays sizes: 1 GB = 1,073,741,824
// bytes, 1 MB = 1,048,576 bytes.
const (
	mib = int64(1) << 20
	gib = int64(1) << 30
)

// addMailbox registers the mailbox checks.
func addMailbox(r Registry) {
	r["mailbox.folder_items"] = Typed(newFolderItems)
	r["mailbox.quota"] = Typed(newQuota)
	r["mailbox.pooled_storage"] = Typed(newPooledStorage)
	r["mailbox.migration_licences"] = Typed(newMigrationLicences)
	r["mailbox.folder_limits"] = Typed(newFolderLimits)
	r["mailbox.large_items"] = Typed(newLargeItems)
	r["mailbox.estimate"] = Typed(newEstimate)
}

// itemBytes is the size that counts against the mailbox quota and that a
// migration moves: the mailbox's items, without Recoverable Items
// (TotalDeletedItemSize), which Exchange Online holds under a quota of
// its own and migration tools do not copy by default.
func itemBytes(m *snapshot.Mailbox) int64 { return m.TotalBytes - m.DeletedBytes }

// gbOf renders bytes in Exchange's GB with the exact count.
func gbOf(b int64) string {
	return fmt.Sprintf("%.2f GB (%d bytes)", float64(b)/float64(gib), b)
}

func mbOf(b int64) string {
	return fmt.Sprintf("%.1f MB (%d bytes)", float64(b)/float64(mib), b)
}

// --- MBX-001 -------------------------------------------------------------

type folderItemsParams struct {
	// MaxItemsByType holds per-FolderType limits (BPOS: Inbox, SentItems,
	// DeletedItems 20,000; Calendar, Contacts 5,000).
	MaxItemsByType map[string]int64 `json:"max_items_by_type"`
	// MaxItemsAny and WarnItemsAny apply to every folder (Exchange
	// Online: 1,000,000, warning at 900,000); 0 means none.
	MaxItemsAny  int64 `json:"max_items_any" param:"min=0"`
	WarnItemsAny int64 `json:"warn_items_any" param:"min=0"`
	// RecoverableMax and RecoverableWarn apply to Recoverable Items
	// folders instead of MaxItemsAny (3,000,000 / 2,750,000).
	RecoverableMax  int64 `json:"recoverable_items_max,omitempty" param:"min=0"`
	RecoverableWarn int64 `json:"recoverable_items_warn,omitempty" param:"min=0"`
}

func isRecoverable(f *snapshot.Folder) bool {
	return strings.HasPrefix(strings.ToLower(f.Type), "recoverableitems") ||
		strings.HasPrefix(strings.ToLower(f.Path), "/recoverable items")
}

func newFolderItems(prm folderItemsParams, env Env) (Check, error) {
	byType := map[string]int64{}
	for k, v := range prm.MaxItemsByType {
		byType[strings.ToLower(strings.ReplaceAll(k, " ", ""))] = v
	}
	ix := env.ownerIndex()
	var seen notSeen
	return Funcs{ObserveFunc: func(r *snapshot.Record, out *Output) {
		ix.observe(r)
		seen.observe(r)
		f := r.Folder
		if f == nil {
			return
		}
		out.Judged(1)
		limit, warn := byType[strings.ToLower(strings.ReplaceAll(f.Type, " ", ""))], int64(0)
		scope := f.Type
		if limit == 0 {
			limit, warn, scope = prm.MaxItemsAny, prm.WarnItemsAny, "any folder"
			if isRecoverable(f) && prm.RecoverableMax > 0 {
				limit, warn, scope = prm.RecoverableMax, prm.RecoverableWarn, "Recoverable Items folder"
			}
		}
		severity := ""
		threshold := limit
		switch {
		case limit > 0 && f.Items > limit:
		case warn > 0 && f.Items > warn:
			severity, threshold = "medium", warn
		default:
			return
		}
		fd, own := ix.forFolder(f)
		fd.Key = strings.ToLower(f.Path)
		fd.Severity = model.Severity(severity)
		fd.Evidence["observed"] = f.Items
		fd.Evidence["threshold"] = threshold
		fd.Evidence["limit_applies_to"] = scope
		if severity != "" {
			fd.Evidence["limit"] = limit
			fd.Message = fmt.Sprintf("%s: folder %s (%s) holds %d items, over the warning level of %d (limit %d)", own.label, f.Path, f.Type, f.Items, warn, limit)
		} else {
			fd.Message = fmt.Sprintf("%s: folder %s (%s) holds %d items, over the limit of %d for %s", own.label, f.Path, f.Type, f.Items, limit, scope)
		}
		out.Add(fd)
	}, FinishFunc: seen.finish("folder item counts")}, nil
}

// notSeen tells a folder check that mailboxes were scanned but no folders:
// the check then says it could not look, instead of passing silently.
type notSeen struct{ mailboxes, folders int64 }

func (n *notSeen) observe(r *snapshot.Record) {
	switch {
	case r.Mailbox != nil:
		n.mailboxes++
	case r.Folder != nil:
		n.folders++
	}
}

func (n *notSeen) finish(what string) func(out *Output) {
	return func(out *Output) {
		if n.mailboxes == 0 || n.folders > 0 {
			return
		}
		out.Skip("%d mailboxes were scanned but no folders, so %s were not checked: give --folder-stats (Get-MailboxFolderStatistics) or an IMAP source", n.mailboxes, what)
	}
}

// --- MBX-002 -------------------------------------------------------------

type quotaParams struct {
	// QuotaGB is the target mailbox quota; or QuotaGBByPlan with Plan.
	QuotaGB       float64            `json:"quota_gb,omitempty" param:"min=0"`
	Plan          string             `json:"plan,omitempty"`
	QuotaGBByPlan map[string]float64 `json:"quota_gb_by_plan,omitempty"`
}

func newQuota(prm quotaParams, env Env) (Check, error) {
	quota := prm.QuotaGB
	if len(prm.QuotaGBByPlan) > 0 {
		q, ok := prm.QuotaGBByPlan[strings.ToLower(prm.Plan)]
		if !ok {
			var plans []string
			for k := range prm.QuotaGBByPlan {
				plans = append(plans, k)
			}
			return nil, fmt.Errorf("params: plan %q is not one of %s", prm.Plan, strings.Join(sortedStrings(plans), ", "))
		}
		quota = q
	}
	if quota <= 0 {
		return nil, fmt.Errorf("params: quota_gb must be positive")
	}
	limit := int64(quota * float64(gib))
	ix := env.ownerIndex()
	return Funcs{ObserveFunc: func(r *snapshot.Record, out *Output) {
		ix.observe(r)
		m := r.Mailbox
		if m == nil {
			return
		}
		out.Judged(1)
		counted := itemBytes(m)
		if counted <= limit {
			return
		}
		fd, own := ix.forMailbox(m)
		fd.Evidence["observed"] = counted
		fd.Evidence["observed_text"] = gbOf(counted)
		fd.Evidence["threshold"] = limit
		fd.Evidence["threshold_text"] = gbOf(limit)
		if prm.Plan != "" {
			fd.Evidence["plan"] = prm.Plan
		}
		fd.Message = fmt.Sprintf("mailbox of %s holds %s, over the target quota of %s: migration stops when the mailbox is full", own.label, gbOf(counted), gbOf(limit))
		out.Add(fd)
	}}, nil
}

// --- MBX-003 -------------------------------------------------------------

type pooledParams struct {
	GBPerLicence float64 `json:"gb_per_licence" param:"min=0"`
	// Licences is the number of licences; 0 counts one per mailbox.
	Licences int64 `json:"licences"`
}

func newPooledStorage(prm pooledParams, _ Env) (Check, error) {
	if prm.GBPerLicence <= 0 {
		return nil, fmt.Errorf("params: gb_per_licence must be positive")
	}
	var total, mailboxes int64
	return Funcs{
		ObserveFunc: func(r *snapshot.Record, out *Output) {
			if r.Mailbox != nil {
				total += itemBytes(r.Mailbox)
				mailboxes++
				out.Judged(1)
			}
		},
		FinishFunc: func(out *Output) {
			lic := prm.Licences
			basis := "given"
			if lic == 0 {
				lic, basis = mailboxes, "one per mailbox"
			}
			pool := int64(float64(lic) * prm.GBPerLicence * float64(gib))
			if mailboxes == 0 || total <= pool {
				return
			}
			fd := orgFinding("pooled-storage", "Pooled mailbox storage")
			fd.Evidence = map[string]any{"observed": total, "observed_text": gbOf(total), "threshold": pool, "threshold_text": gbOf(pool),
				"licences": lic, "licences_basis": basis, "gb_per_licence": prm.GBPerLicence, "mailboxes": mailboxes}
			fd.Message = fmt.Sprintf("%d mailboxes hold %s, over the pooled storage of %d licences × %g GB = %s", mailboxes, gbOf(total), lic, prm.GBPerLicence, gbOf(pool))
			out.Add(fd)
		},
	}, nil
}

// --- MBX-004 -------------------------------------------------------------

type licenceParams struct {
	GBPerLicence float64 `json:"gb_per_licence" param:"min=0"`
}

// licencesFor returns the migration licences a mailbox of b bytes needs:
// one up to the per-licence size, two above it [004 s13, s32]. The seed
// stops at two; beyond twice the per-licence size this extrapolates to
// ceil(size / per-licence size), and says so.
func licencesFor(b, per int64) (n int64, extrapolated bool) {
	if b <= per {
		return 1, false
	}
	n = (b + per - 1) / per
	if n <= 2 {
		return 2, false
	}
	return n, true
}

func newMigrationLicences(prm licenceParams, env Env) (Check, error) {
	if prm.GBPerLicence <= 0 {
		return nil, fmt.Errorf("params: gb_per_licence must be positive")
	}
	per := int64(prm.GBPerLicence * float64(gib))
	ix := env.ownerIndex()
	var mailboxes, total, licences, multi int64
	return Funcs{
		ObserveFunc: func(r *snapshot.Record, out *Output) {
			ix.observe(r)
			m := r.Mailbox
			if m == nil {
				return
			}
			size := itemBytes(m)
			n, extra := licencesFor(size, per)
			mailboxes++
			out.Judged(1)
			total += size
			licences += n
			if n < 2 {
				return
			}
			multi++
			fd, own := ix.forMailbox(m)
			fd.Severity = "medium"
			fd.Evidence["observed"] = size
			fd.Evidence["observed_text"] = gbOf(size)
			fd.Evidence["threshold"] = per
			fd.Evidence["licences"] = n
			if extra {
				fd.Evidence["extrapolated"] = "the source gives 2 licences above 50 GB and stops there; ceil(size / per-licence size) is an extrapolation"
			}
			fd.Message = fmt.Sprintf("mailbox of %s holds %s, over %g GB: it needs %d migration licences", own.label, gbOf(size), prm.GBPerLicence, n)
			out.Add(fd)
		},
		FinishFunc: func(out *Output) {
			if mailboxes == 0 {
				return
			}
			fd := orgFinding("migration-licences", "Migration licences")
			fd.Severity = "info"
			fd.Evidence = map[string]any{"mailboxes": mailboxes, "data_bytes": total, "data_text": gbOf(total), "licences": licences,
				"mailboxes_over_threshold": multi, "threshold": per, "gb_per_licence": prm.GBPerLicence}
			fd.Message = fmt.Sprintf("%d mailboxes (%s) need %d migration licences; %d mailbox(es) over %g GB need more than one", mailboxes, gbOf(total), licences, multi, prm.GBPerLicence)
			out.Add(fd)
		},
	}, nil
}

// --- MBX-005 -------------------------------------------------------------

type folderLimitParams struct {
	MaxSubfolders  int64 `json:"max_subfolders"`
	WarnSubfolders int64 `json:"warn_subfolders"`
	MaxDepth       int   `json:"max_depth"`
	WarnDepth      int   `json:"warn_depth"`
}

func newFolderLimits(prm folderLimitParams, env Env) (Check, error) {
	ix := env.ownerIndex()
	var seen notSeen
	return Funcs{ObserveFunc: func(r *snapshot.Record, out *Output) {
		ix.observe(r)
		seen.observe(r)
		f := r.Folder
		if f == nil {
			return
		}
		out.Judged(1)
		check := func(key, what string, observed, limit, warn int64) {
			sev, threshold := "", limit
			switch {
			case limit > 0 && observed > limit:
			case warn > 0 && observed > warn:
				sev, threshold = "low", warn
			default:
				return
			}
			fd, own := ix.forFolder(f)
			fd.Key = key + ":" + strings.ToLower(f.Path)
			fd.Severity = model.Severity(sev)
			fd.Evidence["observed"] = observed
			fd.Evidence["threshold"] = threshold
			fd.Evidence["limit"] = limit
			level := "the limit"
			if sev != "" {
				level = "the warning level"
			}
			fd.Message = fmt.Sprintf("%s: folder %s has %s %d, over %s of %d (limit %d)", own.label, f.Path, what, observed, level, threshold, limit)
			out.Add(fd)
		}
		check("subfolders", "direct subfolders:", f.Subfolders, prm.MaxSubfolders, prm.WarnSubfolders)
		check("depth", "depth", int64(f.Depth), int64(prm.MaxDepth), int64(prm.WarnDepth))
	}, FinishFunc: seen.finish("subfolder counts and folder depth")}, nil
}

// --- MBX-006 -------------------------------------------------------------

type largeItemParams struct {
	MaxItemMB float64 `json:"max_item_mb"`
}

func newLargeItems(prm largeItemParams, env Env) (Check, error) {
	if prm.MaxItemMB <= 0 {
		return nil, fmt.Errorf("params: max_item_mb must be positive")
	}
	limit := int64(prm.MaxItemMB * float64(mib))
	ix := env.ownerIndex()
	var seen, known int64
	return Funcs{
		ObserveFunc: func(r *snapshot.Record, out *Output) {
			ix.observe(r)
			var largest int64
			switch {
			case r.Folder != nil:
				largest = r.Folder.LargestItemBytes
			case r.Mailbox != nil:
				largest = r.Mailbox.LargestItemBytes
			default:
				return
			}
			seen++
			if largest == 0 {
				return
			}
			known++
			out.Judged(1)
			if largest <= limit {
				return
			}
			var fd Finding
			var own owner
			var who string
			if r.Folder != nil {
				fd, own = ix.forFolder(r.Folder)
				who = own.label + ": folder " + r.Folder.Path
				fd.Key = strings.ToLower(r.Folder.Path)
			} else {
				fd, own = ix.forMailbox(r.Mailbox)
				who = "mailbox of " + own.label
			}
			fd.Evidence["observed"] = largest
			fd.Evidence["observed_text"] = mbOf(largest)
			fd.Evidence["threshold"] = limit
			fd.Message = fmt.Sprintf("%s holds an item of %s, over the migration limit of %g MB", who, mbOf(largest), prm.MaxItemMB)
			out.Add(fd)
		},
		FinishFunc: func(out *Output) {
			if seen > 0 && known == 0 {
				out.Skip("the exports do not hold item sizes for any of %d mailboxes and folders, so items over the migration limit could not be looked for: export Get-MailboxFolderStatistics with -IncludeAnalysis (TopSubjectSize)", seen)
			} else if seen > known {
				if out.NotEvaluated == nil {
					out.NotEvaluated = map[string]int64{}
				}
				out.NotEvaluated["no largest-item size"] += seen - known
			}
		},
	}, nil
}
