package ldapwire

import "fmt"

// Attribute is one attribute of an entry: its description (name and
// options, such as "member;range=0-1499") and its values, all sub-slices
// of the decoded message.
type Attribute struct {
	Name   []byte
	Values [][]byte
}

// Result is the LDAPResult of a SearchResultDone, BindResponse or
// ExtendedResponse.
type Result struct {
	Code       int64
	MatchedDN  []byte
	Diagnostic []byte
	Referrals  [][]byte // the URIs of a referral (code 10)
}

// Control is one control of a message.
type Control struct {
	OID      []byte
	Critical bool
	Value    []byte // nil when absent
}

// Message is one decoded LDAP response. Its slices point into the bytes
// given to Decode and are reused by the next Decode: copy what must
// outlive them.
type Message struct {
	ID int64
	// Op is the application tag of the protocol operation (OpSearchResultEntry, ...).
	Op int
	// DN and Attrs are set for a SearchResultEntry.
	DN    []byte
	Attrs []Attribute
	// URIs are set for a SearchResultReference.
	URIs [][]byte
	// Result is set for a SearchResultDone, BindResponse or ExtendedResponse.
	Result   Result
	Controls []Control

	vals  [][]byte // every attribute value, in order; Attrs[i].Values slice it
	spans []int    // Attrs[i]'s values are vals[spans[i]:spans[i+1]]
}

// reset empties m, keeping its slices' capacity.
func (m *Message) reset() {
	m.ID, m.Op = 0, -1
	m.DN = nil
	m.Attrs = m.Attrs[:0]
	m.URIs = m.URIs[:0]
	m.Result = Result{Referrals: m.Result.Referrals[:0]}
	m.Controls = m.Controls[:0]
	m.vals = m.vals[:0]
	m.spans = m.spans[:0]
}

// Decode decodes one whole LDAPMessage, exactly the bytes of b (as Reader
// returns them). Operations other than the responses listed in the
// package documentation are ErrMalformed.
func (m *Message) Decode(b []byte) error {
	m.reset()
	start, stop, err := expect(b, 0, len(b), tagSequence, "LDAPMessage")
	if err != nil {
		return err
	}
	if stop != len(b) {
		return malformed("bytes after the message", stop)
	}
	// messageID
	is, ie, err := expect(b, start, stop, tagInteger, "messageID")
	if err != nil {
		return err
	}
	if m.ID, err = integer(b[is:ie], start); err != nil {
		return err
	}
	if m.ID < 0 || m.ID > 1<<31-1 {
		return malformed(fmt.Sprintf("messageID %d", m.ID), start)
	}
	// protocolOp
	tag, ops, oe, err := header(b, ie, stop)
	if err != nil {
		return err
	}
	if tag&0xc0 != 0x40 {
		return malformed(fmt.Sprintf("protocolOp identifier 0x%02x is not an application tag", tag), ie)
	}
	m.Op = int(tag & 0x1f)
	constructed := tag&0x20 != 0
	switch m.Op {
	case OpSearchResultEntry:
		if !constructed {
			return malformed("primitive SearchResultEntry", ie)
		}
		err = m.entry(b, ops, oe)
	case OpSearchResultReference:
		if !constructed {
			return malformed("primitive SearchResultReference", ie)
		}
		err = m.reference(b, ops, oe)
	case OpSearchResultDone, OpBindResponse, OpExtendedResponse:
		if !constructed {
			return malformed("primitive LDAPResult", ie)
		}
		err = m.result(b, ops, oe)
	default:
		return malformed(fmt.Sprintf("unexpected protocol operation %d", m.Op), ie)
	}
	if err != nil {
		return err
	}
	if oe == stop {
		return nil
	}
	cs, ce, err := expect(b, oe, stop, tagControls, "controls")
	if err != nil {
		return err
	}
	if ce != stop {
		return malformed("bytes after the controls", ce)
	}
	return m.controls(b, cs, ce)
}

// entry decodes SearchResultEntry ::= SEQUENCE { objectName LDAPDN,
// attributes SEQUENCE OF SEQUENCE { type, vals SET OF value } }.
func (m *Message) entry(b []byte, i, end int) error {
	ds, de, err := expect(b, i, end, tagOctetString, "objectName")
	if err != nil {
		return err
	}
	m.DN = b[ds:de]
	ls, le, err := expect(b, de, end, tagSequence, "attributes")
	if err != nil {
		return err
	}
	if le != end {
		return malformed("bytes after the attributes", le)
	}
	for p := ls; p < le; {
		as, ae, err := expect(b, p, le, tagSequence, "PartialAttribute")
		if err != nil {
			return err
		}
		ns, ne, err := expect(b, as, ae, tagOctetString, "attribute type")
		if err != nil {
			return err
		}
		vs, ve, err := expect(b, ne, ae, tagSet, "attribute values")
		if err != nil {
			return err
		}
		if ve != ae {
			return malformed("bytes after the attribute values", ve)
		}
		m.spans = append(m.spans, len(m.vals))
		for q := vs; q < ve; {
			s, e, err := expect(b, q, ve, tagOctetString, "attribute value")
			if err != nil {
				return err
			}
			m.vals = append(m.vals, b[s:e:e])
			q = e
		}
		m.Attrs = append(m.Attrs, Attribute{Name: b[ns:ne:ne]})
		p = ae
	}
	m.spans = append(m.spans, len(m.vals))
	for k := range m.Attrs {
		lo, hi := m.spans[k], m.spans[k+1]
		m.Attrs[k].Values = m.vals[lo:hi:hi]
	}
	m.DN = m.DN[:len(m.DN):len(m.DN)]
	return nil
}

// reference decodes SearchResultReference ::= SEQUENCE OF URI.
func (m *Message) reference(b []byte, i, end int) error {
	for p := i; p < end; {
		s, e, err := expect(b, p, end, tagOctetString, "URI")
		if err != nil {
			return err
		}
		m.URIs = append(m.URIs, b[s:e:e])
		p = e
	}
	if len(m.URIs) == 0 {
		return malformed("SearchResultReference without a URI", i)
	}
	return nil
}

// result decodes LDAPResult ::= SEQUENCE { resultCode ENUMERATED,
// matchedDN, diagnosticMessage, referral [3] OPTIONAL } and skips the
// fields a BindResponse or ExtendedResponse adds after it.
func (m *Message) result(b []byte, i, end int) error {
	cs, ce, err := expect(b, i, end, tagEnumerated, "resultCode")
	if err != nil {
		return err
	}
	if m.Result.Code, err = integer(b[cs:ce], i); err != nil {
		return err
	}
	ms, me, err := expect(b, ce, end, tagOctetString, "matchedDN")
	if err != nil {
		return err
	}
	m.Result.MatchedDN = b[ms:me:me]
	ds, de, err := expect(b, me, end, tagOctetString, "diagnosticMessage")
	if err != nil {
		return err
	}
	m.Result.Diagnostic = b[ds:de:de]
	p := de
	if p < end && b[p] == tagReferral {
		rs, re, err := expect(b, p, end, tagReferral, "referral")
		if err != nil {
			return err
		}
		for q := rs; q < re; {
			s, e, err := expect(b, q, re, tagOctetString, "referral URI")
			if err != nil {
				return err
			}
			m.Result.Referrals = append(m.Result.Referrals, b[s:e:e])
			q = e
		}
		p = re
	}
	if m.Op == OpSearchResultDone && p != end {
		return malformed("bytes after the LDAPResult", p)
	}
	// Bind and extended responses: [7] serverSaslCreds, [10]
	// responseName, [11] responseValue. Check they are well formed.
	for p < end {
		_, _, e, err := header(b, p, end)
		if err != nil {
			return err
		}
		p = e
	}
	return nil
}

// controls decodes Controls ::= SEQUENCE OF Control, Control ::= SEQUENCE
// { controlType, criticality BOOLEAN DEFAULT FALSE, controlValue OPTIONAL }.
func (m *Message) controls(b []byte, i, end int) error {
	for p := i; p < end; {
		cs, ce, err := expect(b, p, end, tagSequence, "Control")
		if err != nil {
			return err
		}
		ts, te, err := expect(b, cs, ce, tagOctetString, "controlType")
		if err != nil {
			return err
		}
		c := Control{OID: b[ts:te:te]}
		q := te
		if q < ce && b[q] == tagBoolean {
			bs, be, err := expect(b, q, ce, tagBoolean, "criticality")
			if err != nil {
				return err
			}
			if be-bs != 1 {
				return malformed("criticality of more than one byte", q)
			}
			c.Critical = b[bs] != 0
			q = be
		}
		if q < ce {
			vs, ve, err := expect(b, q, ce, tagOctetString, "controlValue")
			if err != nil {
				return err
			}
			c.Value = b[vs:ve:ve]
			q = ve
		}
		if q != ce {
			return malformed("bytes after the control value", q)
		}
		m.Controls = append(m.Controls, c)
		p = ce
	}
	return nil
}

// PagedResultsOID is the simple paged results control (RFC 2696).
const PagedResultsOID = "1.2.840.113556.1.4.319"

// Control returns the first control with the given OID, or nil.
func (m *Message) Control(oid string) *Control {
	for k := range m.Controls {
		if string(m.Controls[k].OID) == oid {
			return &m.Controls[k]
		}
	}
	return nil
}

// PagedCookie decodes the value of a paged results control,
// realSearchControlValue ::= SEQUENCE { size INTEGER, cookie OCTET STRING },
// and returns the cookie (empty on the last page), a sub-slice of v.
func PagedCookie(v []byte) ([]byte, error) {
	s, e, err := expect(v, 0, len(v), tagSequence, "paged results value")
	if err != nil {
		return nil, err
	}
	if e != len(v) {
		return nil, malformed("bytes after the paged results value", e)
	}
	is, ie, err := expect(v, s, e, tagInteger, "paged results size")
	if err != nil {
		return nil, err
	}
	if _, err := integer(v[is:ie], s); err != nil {
		return nil, err
	}
	cs, ce, err := expect(v, ie, e, tagOctetString, "paged results cookie")
	if err != nil {
		return nil, err
	}
	if ce != e {
		return nil, malformed("bytes after the cookie", ce)
	}
	return v[cs:ce:ce], nil
}

// Peek returns the message ID and protocol operation of the whole
// message b without decoding the operation.
func Peek(b []byte) (id int64, op int, err error) {
	start, stop, err := expect(b, 0, len(b), tagSequence, "LDAPMessage")
	if err != nil {
		return 0, 0, err
	}
	is, ie, err := expect(b, start, stop, tagInteger, "messageID")
	if err != nil {
		return 0, 0, err
	}
	if id, err = integer(b[is:ie], start); err != nil {
		return 0, 0, err
	}
	tag, _, _, err := header(b, ie, stop)
	if err != nil {
		return 0, 0, err
	}
	if tag&0xc0 != 0x40 {
		return 0, 0, malformed(fmt.Sprintf("protocolOp identifier 0x%02x is not an application tag", tag), ie)
	}
	return id, int(tag & 0x1f), nil
}
