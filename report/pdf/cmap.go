package pdf

import (
	"encoding/binary"
	"errors"
)

// coverage is the set of characters a TrueType font has glyphs for, read
// from its cmap table (formats 4 and 12).
type coverage map[rune]bool

var errNoCmap = errors.New("pdf: font has no usable cmap table")

func readCoverage(ttf []byte) (coverage, error) {
	if len(ttf) < 12 {
		return nil, errNoCmap
	}
	be := binary.BigEndian
	n := int(be.Uint16(ttf[4:]))
	var cmap []byte
	for i := 0; i < n; i++ {
		rec := 12 + 16*i
		if rec+16 > len(ttf) {
			return nil, errNoCmap
		}
		if string(ttf[rec:rec+4]) == "cmap" {
			off, ln := int(be.Uint32(ttf[rec+8:])), int(be.Uint32(ttf[rec+12:]))
			if off < 0 || ln < 0 || off+ln > len(ttf) {
				return nil, errNoCmap
			}
			cmap = ttf[off : off+ln]
		}
	}
	if len(cmap) < 4 {
		return nil, errNoCmap
	}
	cov := coverage{}
	found := false
	nt := int(be.Uint16(cmap[2:]))
	for i := 0; i < nt; i++ {
		rec := 4 + 8*i
		if rec+8 > len(cmap) {
			break
		}
		pid, eid := be.Uint16(cmap[rec:]), be.Uint16(cmap[rec+2:])
		if !(pid == 3 && (eid == 1 || eid == 10)) && pid != 0 {
			continue
		}
		off := int(be.Uint32(cmap[rec+4:]))
		if off+4 > len(cmap) {
			continue
		}
		sub := cmap[off:]
		switch be.Uint16(sub) {
		case 4:
			if readFormat4(sub, cov) {
				found = true
			}
		case 12:
			if readFormat12(sub, cov) {
				found = true
			}
		}
	}
	if !found {
		return nil, errNoCmap
	}
	return cov, nil
}

func readFormat4(sub []byte, cov coverage) bool {
	be := binary.BigEndian
	if len(sub) < 14 {
		return false
	}
	segX2 := int(be.Uint16(sub[6:]))
	ends, starts := 14, 14+segX2+2
	deltas := starts + segX2
	ranges := deltas + segX2
	if ranges+segX2 > len(sub) {
		return false
	}
	for s := 0; s < segX2; s += 2 {
		end, start := int(be.Uint16(sub[ends+s:])), int(be.Uint16(sub[starts+s:]))
		delta, roff := int(be.Uint16(sub[deltas+s:])), int(be.Uint16(sub[ranges+s:]))
		for c := start; c <= end && c != 0xFFFF; c++ {
			var g int
			if roff == 0 {
				g = (c + delta) & 0xFFFF
			} else {
				at := ranges + s + roff + 2*(c-start)
				if at+2 > len(sub) {
					continue
				}
				g = int(be.Uint16(sub[at:]))
				if g != 0 {
					g = (g + delta) & 0xFFFF
				}
			}
			if g != 0 {
				cov[rune(c)] = true
			}
		}
	}
	return true
}

func readFormat12(sub []byte, cov coverage) bool {
	be := binary.BigEndian
	if len(sub) < 16 {
		return false
	}
	n := int(be.Uint32(sub[12:]))
	for i := 0; i < n; i++ {
		at := 16 + 12*i
		if at+12 > len(sub) {
			return false
		}
		start, end, g := be.Uint32(sub[at:]), be.Uint32(sub[at+4:]), be.Uint32(sub[at+8:])
		if end-start > 0x10FFFF {
			continue
		}
		for c := start; c <= end; c++ {
			if g+(c-start) != 0 {
				cov[rune(c)] = true
			}
		}
	}
	return true
}
