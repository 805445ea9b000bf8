package checks

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/preflight-scan/preflight/snapshot"
)

// DIR-005 keeps the only index that grows with the directory. It is made
// compact so that a million-object forest fits comfortably:
//
//   - each in-scope object's DN is appended once to a chunked byte arena
//     and named by a 32-bit holder number (16 bytes of bookkeeping per
//     object plus the DN's bytes);
//   - each address is indexed by a 64-bit case-folded FNV-1a hash of the
//     address, mapped to the first holder, a 24-bit second hash and the
//     attributes the holder has it in (16 bytes per address; no string is
//     kept). Two different addresses are mistaken for one only if both
//     hashes collide (about 2^-88 per pair);
//   - only when a second object claims an address is the address itself
//     kept, with its list of holders.

// Attributes an address was found in (bit set).
const (
	inMail uint8 = 1 << iota
	inProxy
	inUPN
	inTarget
	inSAM
)

var holderAttrNames = [...]string{"mail", "proxyAddresses", "userPrincipalName", "targetAddress", "sAMAccountName"}

func attrBitsNames(b uint8) []string {
	var out []string
	for i, n := range holderAttrNames {
		if b&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// foldHasher hashes strings case-insensitively (Unicode simple lower-case
// folding), two independent hashes at once, without allocating.
type foldHasher struct {
	h uint64
	g uint32
}

func newFoldHasher() foldHasher { return foldHasher{h: 14695981039346656037, g: 2166136261} }

func (f *foldHasher) byte(c byte) {
	f.h ^= uint64(c)
	f.h *= 1099511628211
	f.g = (f.g * 16777619) ^ uint32(c) // FNV-1: multiply first, a different function
}

func (f *foldHasher) write(s string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			f.byte(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		r = unicode.ToLower(r)
		var buf [utf8.UTFMax]byte
		n := utf8.EncodeRune(buf[:], r)
		for _, b := range buf[:n] {
			f.byte(b)
		}
		i += size
	}
}

// slot is the index entry of one address: its first holder, a check hash
// and the attributes the first holder has it in.
type slot struct {
	holder uint32
	meta   uint32 // check hash (24 bits) << 8 | attribute bits
}

// hashTable is an open-addressing table from 64-bit hashes to slots with
// linear probing: key and slot share 16 bytes, so a lookup costs one cache
// line in the common case; the load stays at most 3/4. Keys are already
// well-mixed hashes.
type hashTable struct {
	entries []hashEntry
	count   int
}

type hashEntry struct {
	key uint64 // 0 marks a free entry; a zero hash is stored as 1
	val slot
}

// find returns the slot for key and whether it was there; a new key is
// inserted with a zero slot for the caller to fill.
func (t *hashTable) find(key uint64) (*slot, bool) {
	if key == 0 {
		key = 1
	}
	if (t.count+1)*4 > len(t.entries)*3 {
		t.grow()
	}
	mask := uint64(len(t.entries) - 1)
	for i := key & mask; ; i = (i + 1) & mask {
		e := &t.entries[i]
		switch e.key {
		case key:
			return &e.val, true
		case 0:
			e.key = key
			t.count++
			return &e.val, false
		}
	}
}

func (t *hashTable) grow() {
	n := len(t.entries) * 2
	if n == 0 {
		n = 1024
	}
	old := t.entries
	t.entries = make([]hashEntry, n)
	mask := uint64(n - 1)
	for _, e := range old {
		if e.key == 0 {
			continue
		}
		i := e.key & mask
		for t.entries[i].key != 0 {
			i = (i + 1) & mask
		}
		t.entries[i] = e
	}
}

// dnArena stores holders' DNs and kinds compactly. A DN is stored as its
// first RDN and the number of its parent DN, kept once: a directory has
// few containers, so a million DNs cost little more than their RDNs.
type dnArena struct {
	chunks  [][]byte
	refs    []dnRef
	parents map[string]uint32 // parent DN -> number in parentDN
	parent  []string
}

// dnRef locates one holder's RDN (or whole DN, with no parent number).
type dnRef struct {
	off, n uint32
	parent uint32 // noParent: the bytes are the whole DN
	chunk  uint16
	kind   uint8
}

const (
	arenaChunk = 1 << 20
	noParent   = ^uint32(0)
	// maxParents bounds the parent table: a DN whose parent is not among
	// the first maxParents is stored whole.
	maxParents = 1 << 16
)

var kindCodes = [...]snapshot.ObjectKind{snapshot.KindUser, snapshot.KindContact, snapshot.KindGroup, snapshot.KindComputer, snapshot.KindDomain, snapshot.KindOther}

func kindCode(k snapshot.ObjectKind) uint8 {
	for i, x := range kindCodes {
		if x == k {
			return uint8(i)
		}
	}
	return uint8(len(kindCodes) - 1)
}

// splitRDN returns the first RDN of dn and the rest after its separating
// comma (an escaped comma does not separate); ok is false without one.
func splitRDN(dn string) (rdn, parent string, ok bool) {
	for i := 0; i < len(dn); i++ {
		switch dn[i] {
		case '\\':
			i++
		case ',':
			return dn[:i], dn[i+1:], true
		}
	}
	return dn, "", false
}

func (a *dnArena) add(dn string, kind snapshot.ObjectKind) uint32 {
	head, par := dn, noParent
	if rdn, parent, ok := splitRDN(dn); ok {
		if p, found := a.parents[parent]; found {
			head, par = rdn, p
		} else if len(a.parent) < maxParents && len(a.chunks) <= 0xffff {
			if a.parents == nil {
				a.parents = map[string]uint32{}
			}
			p := uint32(len(a.parent))
			parent = strings.Clone(parent) // not a piece of the record
			a.parents[parent] = p
			a.parent = append(a.parent, parent)
			head, par = rdn, p
		}
	}
	last := len(a.chunks) - 1
	if last < 0 || len(a.chunks[last])+len(head) > cap(a.chunks[last]) {
		size := arenaChunk
		if len(head) > size {
			size = len(head)
		}
		a.chunks = append(a.chunks, make([]byte, 0, size))
		last++
	}
	off := len(a.chunks[last])
	a.chunks[last] = append(a.chunks[last], head...)
	a.refs = append(a.refs, dnRef{chunk: uint16(last), off: uint32(off), n: uint32(len(head)), parent: par, kind: kindCode(kind)})
	return uint32(len(a.refs) - 1)
}

// head returns the stored bytes of holder i and its parent DN ("" with
// none stored).
func (a *dnArena) head(i uint32) ([]byte, string, bool) {
	r := a.refs[i]
	b := a.chunks[r.chunk][r.off : r.off+r.n]
	if r.parent == noParent {
		return b, "", false
	}
	return b, a.parent[r.parent], true
}

func (a *dnArena) dn(i uint32) string {
	b, parent, ok := a.head(i)
	if !ok {
		return string(b)
	}
	return string(b) + "," + parent
}

func (a *dnArena) kind(i uint32) snapshot.ObjectKind { return kindCodes[a.refs[i].kind] }

// sameDN compares a stored DN with dn, ignoring ASCII case, without
// allocating.
func (a *dnArena) sameDN(i uint32, dn string) bool {
	b, parent, ok := a.head(i)
	if !ok {
		return foldEqual(b, dn)
	}
	if len(dn) != len(b)+1+len(parent) || dn[len(b)] != ',' {
		return false
	}
	return foldEqual(b, dn[:len(b)]) && foldEqual(parent, dn[len(b)+1:])
}

// foldEqual reports whether b and s are equal ignoring ASCII case.
func foldEqual[T []byte | string](b T, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for j := 0; j < len(b); j++ {
		x, y := b[j], s[j]
		if x == y {
			continue
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

type dupHolder struct {
	holder uint32
	attrs  uint8
}

// dupIndex finds values claimed by more than one holder.
type dupIndex struct {
	slots hashTable
	dups  map[string][]dupHolder
}

func newDupIndex() dupIndex {
	return dupIndex{dups: map[string][]dupHolder{}}
}

// add records that holder has value (already hashed into fh; key builds
// the value's display form only when needed).
func (d *dupIndex) add(arena *dnArena, fh foldHasher, holder uint32, dn string, attr uint8, key func() string) {
	chk := fh.g &^ 0xff
	p, found := d.slots.find(fh.h)
	if !found {
		*p = slot{holder: holder, meta: chk | uint32(attr)}
		return
	}
	s := *p
	if s.meta&^0xff != chk {
		// A 64-bit hash collision between two different values: keep the
		// first; the second is not indexed (odds about 2^-64 per pair).
		return
	}
	if s.holder == holder || arena.sameDN(s.holder, dn) {
		p.meta |= uint32(attr)
		return
	}
	k := key()
	hs := d.dups[k]
	if hs == nil {
		hs = []dupHolder{{holder: s.holder, attrs: uint8(s.meta)}}
	}
	for i := range hs {
		if hs[i].holder == holder || arena.sameDN(hs[i].holder, dn) {
			hs[i].attrs |= attr
			d.dups[k] = hs
			return
		}
	}
	d.dups[k] = append(hs, dupHolder{holder: holder, attrs: attr})
}

// duplicateAddress is DIR-005.
type duplicateAddress struct {
	scoped
	maxListed int
	maxInMsg  int
	arena     dnArena
	addrs     dupIndex
	sams      dupIndex
}

// duplicateAddressParams are the parameters of newDuplicateAddress.
type duplicateAddressParams struct {
	MaxHoldersListed  int `json:"max_holders_listed" param:"min=1"`
	MaxHoldersMessage int `json:"max_holders_in_message" param:"min=1"`
}

func newDuplicateAddress(cfg duplicateAddressParams, _ Env) (Check, error) {
	if cfg.MaxHoldersListed <= 0 {
		cfg.MaxHoldersListed = 50
	}
	if cfg.MaxHoldersMessage <= 0 {
		cfg.MaxHoldersMessage = 5
	}
	return &duplicateAddress{maxListed: cfg.MaxHoldersListed, maxInMsg: cfg.MaxHoldersMessage, addrs: newDupIndex(), sams: newDupIndex()}, nil
}

func (c *duplicateAddress) Observe(r *snapshot.Record, out *Output) {
	o := r.Dir
	if o == nil || !c.scope.in(o) {
		return
	}
	out.Consider(o)
	holder := c.arena.add(o.DN, o.Kind)
	// Most objects hold the same address several times (mail = primary
	// proxy = UPN): remember this object's hashes so the shared index is
	// asked once per distinct address.
	var local [8]uint64
	var attrs [8]uint8
	n := 0
	addr := func(v string, attr uint8) {
		v = strings.TrimSpace(v)
		if v == "" {
			return
		}
		fh := newFoldHasher()
		fh.write(v)
		for i := 0; i < n; i++ {
			if local[i] == fh.h {
				if attrs[i]&attr != 0 {
					return
				}
				attrs[i] |= attr
				break
			}
		}
		if n < len(local) {
			local[n], attrs[n] = fh.h, attr
			n++
		}
		c.addrs.add(&c.arena, fh, holder, o.DN, attr, func() string { return strings.ToLower(v) })
	}
	for _, v := range o.Attrs["mail"] {
		addr(v, inMail)
	}
	for _, p := range o.Attrs["proxyaddresses"] {
		if a, _, ok := smtpProxy(p); ok {
			addr(a, inProxy)
		}
	}
	if v := o.First("userprincipalname"); strings.IndexByte(v, '@') > 0 {
		addr(v, inUPN)
	}
	if v := o.First("targetaddress"); v != "" {
		if a, ok := targetSMTP(v); ok {
			addr(a, inTarget)
		}
	}
	if sam := strings.TrimSpace(o.First("samaccountname")); sam != "" {
		fh := newFoldHasher()
		fh.write(o.Domain)
		fh.byte('\\')
		fh.write(sam)
		c.sams.add(&c.arena, fh, holder, o.DN, inSAM, func() string { return o.Domain + `\` + strings.ToLower(sam) })
	}
}

func (c *duplicateAddress) Finish(out *Output) {
	for _, k := range sortedKeys(c.addrs.dups) {
		c.report(out, "address", k, c.addrs.dups[k])
	}
	for _, k := range sortedKeys(c.sams.dups) {
		c.report(out, "samaccountname", k, c.sams.dups[k])
	}
}

func (c *duplicateAddress) report(out *Output, what, value string, hs []dupHolder) {
	type holderView struct {
		DN         string   `json:"dn"`
		Kind       string   `json:"kind"`
		Attributes []string `json:"attributes"`
	}
	views := make([]holderView, len(hs))
	for i, h := range hs {
		views[i] = holderView{DN: c.arena.dn(h.holder), Kind: string(c.arena.kind(h.holder)), Attributes: attrBitsNames(h.attrs)}
	}
	// Order holders by DN so the report does not depend on read order.
	sort.Slice(views, func(i, j int) bool { return strings.ToLower(views[i].DN) < strings.ToLower(views[j].DN) })
	var parts []string
	for i, v := range views {
		if i == c.maxInMsg {
			parts = append(parts, fmt.Sprintf("and %d more", len(views)-i))
			break
		}
		parts = append(parts, fmt.Sprintf("%s %s (%s)", v.Kind, v.DN, strings.Join(v.Attributes, ", ")))
	}
	listed := views
	if len(listed) > c.maxListed {
		listed = listed[:c.maxListed]
	}
	f := Finding{Key: what, Evidence: map[string]any{
		"value":        value,
		"holders":      listed,
		"holder_count": len(views),
		"threshold":    "unique: one holder per value",
	}}
	if what == "address" {
		f.Object = aggregateObject("directory", value, value)
		f.Evidence["attribute"] = "mail, proxyAddresses (smtp), userPrincipalName, targetAddress"
		f.Message = fmt.Sprintf("address '%s' is held by %d objects: %s; the service keeps it on one of them only and the others fail to synchronize or lose it",
			value, len(views), strings.Join(parts, "; "))
	} else {
		domain, sam, _ := strings.Cut(value, `\`)
		f.Object = aggregateObject("directory", value, value)
		f.Evidence["attribute"] = "sAMAccountName"
		f.Message = fmt.Sprintf("sAMAccountName '%s' is used by %d objects in domain %s: %s", sam, len(views), domain, strings.Join(parts, "; "))
	}
	out.Add(f)
}
