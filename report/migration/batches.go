package migration

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/preflight-scan/preflight/report/export"
	"github.com/preflight-scan/preflight/snapshot"
)

// PerMbps is how many migrations may run at once per Mbit/s of bandwidth
// [003 PW4.14].
const PerMbps = 3

// BatchOptions say how migration-batches.csv is planned.
type BatchOptions struct {
	// BandwidthMbps sets the wave size: PerMbps mailboxes per Mbit/s,
	// at least one.
	BandwidthMbps float64
	// TargetDomain is --target-domain; "" derives it from the target
	// recipients.
	TargetDomain string
	// Mapping maps lower-case source addresses to target addresses
	// (--batch-mapping); MappingFile names it.
	Mapping     map[string]string
	MappingFile string
	// Migrating are the migrating domains, never the derived target.
	Migrating []string
}

// ErrNoTarget is returned when no target address can be formed: no
// mapping, no --target-domain and no target recipients to derive it from.
var ErrNoTarget = errors.New("no target domain: give --target-domain, --batch-mapping or --target-recipients")

// mailboxEntry is what the planner keeps of one source mailbox.
type mailboxEntry struct {
	primary, upn, display, typ string
	// keys are the lower-case names other mailboxes' delegate lists may
	// use for it: identity, DN, alias, display name, addresses.
	keys []string
	// delegates are its delegate entries as exported (GrantSendOnBehalfTo
	// or publicDelegates).
	delegates []string
}

func keysOf(vs ...string) []string {
	var out []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, lower(v))
		}
	}
	return out
}

func tenantMailbox(r *snapshot.Recipient) *mailboxEntry {
	m := &mailboxEntry{primary: r.PrimarySMTP, upn: r.UPN, display: r.DisplayName, typ: r.RecipientTypeDetails,
		keys: keysOf(r.Identity, r.ExchangeGUID, r.UPN, r.PrimarySMTP, r.Alias, r.DisplayName)}
	for _, a := range r.Addresses {
		if strings.HasPrefix(lower(a), "smtp:") {
			m.keys = append(m.keys, lower(bare(a)))
		}
	}
	m.delegates = append(m.delegates, r.Delegates...)
	return m
}

func dirMailbox(o *snapshot.DirObject, primary, _ string) *mailboxEntry {
	m := &mailboxEntry{primary: primary, upn: o.First("userprincipalname"), display: o.First("displayname"), typ: dirType(o),
		keys: keysOf(o.DN, o.First("userprincipalname"), primary, o.First("mailnickname"), o.First("samaccountname"), o.First("displayname"))}
	m.delegates = append(m.delegates, o.Attrs["publicdelegates"]...)
	m.delegates = append(m.delegates, o.Attrs["msexchdelegatelistlink"]...)
	return m
}

func (m *mailboxEntry) address() string {
	if m.primary != "" {
		return m.primary
	}
	return m.upn
}

func (m *mailboxEntry) sortKey() string { return lower(m.address()) + "\x00" + lower(m.display) }

// The columns of migration-batches.csv, in order.
var batchColumns = []string{"Wave", "SourceAddress", "TargetAddress", "DisplayName", "RecipientTypeDetails", "DelegateGroup", "TargetFrom", "Note"}

// plan is the planned batches.
type plan struct {
	boxes []*mailboxEntry
	// wave of each box, 1-based, and its group's first address when the
	// group has more than one member.
	wave  []int
	root  []int
	group []string
	// links says, per box, the delegates or principals it is grouped
	// with; unresolved counts delegate entries that named no mailbox.
	links      [][]string
	hasLinks   bool
	unresolved int
	split      map[int]bool
}

// WriteBatches writes migration-batches.csv: one row per source mailbox
// of the tenant exports (or, without them, per mailbox of the directory)
// with its source and target address and its wave.
//
// A wave holds at most PerMbps × BandwidthMbps mailboxes [003 PW4.14].
// A mailbox and the mailboxes its delegate list names (GrantSendOnBehalfTo
// in the mailbox export, publicDelegates and msExchDelegateListLink in the
// directory), transitively,
// form a group that goes into one wave [002 §3.4.8] unless it is larger
// than a wave (then it fills consecutive waves, said in Note). Groups are
// placed in order of their first address into the first wave with room.
// Rows are ordered by wave, then group, then address. The target address
// is the mapping's, else the source's local part at the target domain.
func (b *Book) WriteBatches(w io.Writer, o BatchOptions) error {
	if o.BandwidthMbps <= 0 {
		return errors.New("batches: --bandwidth-mbps is needed to size the waves (3 mailboxes per Mbit/s)")
	}
	size := max(1, int(math.Floor(o.BandwidthMbps*PerMbps+1e-9)))
	boxes := b.tenantBoxes
	if len(boxes) == 0 {
		boxes = b.dirBoxes
	}
	domain, from := b.targetDomain(o)
	if domain == "" && len(o.Mapping) == 0 && len(boxes) > 0 {
		return fmt.Errorf("batches: %w", ErrNoTarget)
	}
	p := planWaves(boxes, size)
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return fmt.Errorf("batches: %w", err)
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	if err := cw.Write(batchColumns); err != nil {
		return fmt.Errorf("batches: %w", err)
	}
	order := make([]int, len(p.boxes))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if p.wave[a] != p.wave[b] {
			return p.wave[a] < p.wave[b]
		}
		return p.root[a] < p.root[b]
	})
	for _, i := range order {
		m := p.boxes[i]
		target, tfrom := targetOf(m, o, domain, from)
		var notes []string
		if len(p.links[i]) > 0 {
			notes = append(notes, "with its delegates/principals: "+strings.Join(p.links[i], ", "))
		}
		if p.split[i] {
			notes = append(notes, fmt.Sprintf("delegate group larger than a wave (%d mailboxes): split over consecutive waves", size))
		}
		if !p.hasLinks {
			notes = append(notes, "no delegation data in the inputs (GrantSendOnBehalfTo in --mailboxes, publicDelegates or msExchDelegateListLink in the directory): waves do not keep delegates together")
		}
		if m.address() == "" {
			notes = append(notes, "no primary SMTP address or UPN")
		}
		rec := []string{strconv.Itoa(p.wave[i]), m.address(), target, export.SafeCell(m.display), m.typ, p.group[i], tfrom, strings.Join(notes, "; ")}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("batches: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("batches: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("batches: %w", err)
	}
	return nil
}

// targetOf returns a mailbox's target address and where it came from.
func targetOf(m *mailboxEntry, o BatchOptions, domain, from string) (string, string) {
	for _, k := range []string{m.primary, m.upn} {
		if t, ok := o.Mapping[lower(k)]; ok && k != "" {
			return t, "mapping " + o.MappingFile
		}
	}
	local, _, ok := strings.Cut(m.address(), "@")
	if !ok || domain == "" {
		if len(o.Mapping) > 0 {
			return "", "not in mapping " + o.MappingFile
		}
		return "", ""
	}
	return local + "@" + domain, from
}

// targetDomain returns the domain target addresses are formed at and
// how it was chosen.
func (b *Book) targetDomain(o BatchOptions) (string, string) {
	if o.TargetDomain != "" {
		return lower(o.TargetDomain), "local part at --target-domain " + lower(o.TargetDomain)
	}
	if d := mostCommon(b.targetOnMS, nil); d != "" {
		return d, "local part at " + d + " (the target recipients' onmicrosoft.com domain)"
	}
	if d := mostCommon(b.targetPrimaries, o.Migrating); d != "" {
		return d, "local part at " + d + " (the target recipients' most common primary domain)"
	}
	return "", ""
}

// mostCommon returns the key with the highest count, ties by name,
// skipping the domains in not.
func mostCommon(counts map[string]int, not []string) string {
	best, n := "", 0
	for d, c := range counts {
		skip := false
		for _, x := range not {
			if d == x || strings.HasSuffix(d, "."+x) {
				skip = true
			}
		}
		if skip {
			continue
		}
		if c > n || (c == n && d < best) {
			best, n = d, c
		}
	}
	return best
}

// planWaves groups the mailboxes by their delegate links and places the
// groups into waves of at most size mailboxes.
func planWaves(in []*mailboxEntry, size int) *plan {
	boxes := append([]*mailboxEntry(nil), in...)
	sort.SliceStable(boxes, func(i, j int) bool { return boxes[i].sortKey() < boxes[j].sortKey() })
	p := &plan{boxes: boxes, wave: make([]int, len(boxes)), root: make([]int, len(boxes)), group: make([]string, len(boxes)), links: make([][]string, len(boxes)), split: map[int]bool{}}
	// index maps a key to its mailbox, -1 when two mailboxes share it.
	index := map[string]int{}
	for i, m := range boxes {
		for _, k := range m.keys {
			if j, ok := index[k]; ok && j != i {
				index[k] = -1
			} else if !ok {
				index[k] = i
			}
		}
	}
	parent := make([]int, len(boxes))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	linked := make([]map[int]bool, len(boxes))
	link := func(i, j int) {
		if linked[i] == nil {
			linked[i] = map[int]bool{}
		}
		linked[i][j] = true
	}
	for i, m := range boxes {
		for _, d := range m.delegates {
			p.hasLinks = true
			j, ok := index[lower(strings.TrimSpace(d))]
			if !ok || j < 0 || j == i {
				p.unresolved++
				continue
			}
			link(i, j)
			link(j, i)
			if a, b := find(i), find(j); a != b {
				parent[max(a, b)] = min(a, b)
			}
		}
	}
	for i := range boxes {
		for j := range linked[i] {
			p.links[i] = append(p.links[i], boxes[j].address())
		}
		sort.Strings(p.links[i])
	}
	// Groups in order of their first member (boxes are sorted, so the
	// root, the lowest index, is the first member).
	members := map[int][]int{}
	var roots []int
	for i := range boxes {
		r := find(i)
		p.root[i] = r
		if _, ok := members[r]; !ok {
			roots = append(roots, r)
		}
		members[r] = append(members[r], i)
	}
	var fill []int // mailboxes in each wave so far
	for _, r := range roots {
		g := members[r]
		if len(g) > 1 {
			for _, i := range g {
				p.group[i] = boxes[r].address()
			}
		}
		if len(g) > size {
			for k, i := range g {
				if k%size == 0 {
					fill = append(fill, 0)
				}
				p.wave[i] = len(fill)
				fill[len(fill)-1]++
				p.split[i] = true
			}
			continue
		}
		w := -1
		for k, n := range fill {
			if n+len(g) <= size {
				w = k
				break
			}
		}
		if w < 0 {
			fill = append(fill, 0)
			w = len(fill) - 1
		}
		fill[w] += len(g)
		for _, i := range g {
			p.wave[i] = w + 1
		}
	}
	return p
}
