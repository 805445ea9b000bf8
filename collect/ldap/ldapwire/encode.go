package ldapwire

// appendTLV appends an element with the given identifier and content.
func appendTLV(dst []byte, tag byte, content []byte) []byte {
	dst = append(dst, tag)
	dst = appendLength(dst, len(content))
	return append(dst, content...)
}

// appendLength appends a definite length in the shortest form.
func appendLength(dst []byte, n int) []byte {
	switch {
	case n < 0x80:
		return append(dst, byte(n))
	case n <= 0xff:
		return append(dst, 0x81, byte(n))
	case n <= 0xffff:
		return append(dst, 0x82, byte(n>>8), byte(n))
	case n <= 0xffffff:
		return append(dst, 0x83, byte(n>>16), byte(n>>8), byte(n))
	default:
		return append(dst, 0x84, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
}

// appendInt appends an INTEGER or ENUMERATED (per tag) in the shortest
// two's-complement form.
func appendInt(dst []byte, tag byte, v int64) []byte {
	n := 1
	for n < 8 && (v>>(8*n-1) != 0 && v>>(8*n-1) != -1) {
		n++
	}
	dst = append(dst, tag, byte(n))
	for k := n - 1; k >= 0; k-- {
		dst = append(dst, byte(v>>(8*k)))
	}
	return dst
}

// message wraps a protocol operation (and optional encoded controls) into
// an LDAPMessage with the given ID.
func message(dst []byte, id int64, op []byte, controls []byte) []byte {
	body := appendInt(nil, tagInteger, id)
	body = append(body, op...)
	if len(controls) > 0 {
		body = appendTLV(body, tagControls, controls)
	}
	return appendTLV(dst, tagSequence, body)
}

// AppendBindRequest appends a simple bind request (LDAPv3, name and
// password) with message ID id.
func AppendBindRequest(dst []byte, id int64, name string, password []byte) []byte {
	op := appendInt(nil, tagInteger, 3)
	op = appendTLV(op, tagOctetString, []byte(name))
	op = appendTLV(op, 0x80, password) // [0] simple
	return message(dst, id, appendTLV(nil, 0x40|0x20|OpBindRequest, op), nil)
}

// SearchRequest is what AppendSearchRequest encodes.
type SearchRequest struct {
	Base      string
	Scope     int // 0 base, 1 one level, 2 subtree
	Deref     int
	SizeLimit int64
	TimeLimit int64
	// Filter is the BER encoding of the filter (go-ldap's CompileFilter
	// gives it).
	Filter []byte
	Attrs  []string
	// PageSize, if not zero, adds a non-critical paged results control
	// with Cookie.
	PageSize int64
	Cookie   []byte
}

// AppendSearchRequest appends the search request r with message ID id.
func AppendSearchRequest(dst []byte, id int64, r *SearchRequest) []byte {
	op := appendTLV(nil, tagOctetString, []byte(r.Base))
	op = appendInt(op, tagEnumerated, int64(r.Scope))
	op = appendInt(op, tagEnumerated, int64(r.Deref))
	op = appendInt(op, tagInteger, r.SizeLimit)
	op = appendInt(op, tagInteger, r.TimeLimit)
	op = append(op, tagBoolean, 1, 0) // typesOnly FALSE
	op = append(op, r.Filter...)
	var attrs []byte
	for _, a := range r.Attrs {
		attrs = appendTLV(attrs, tagOctetString, []byte(a))
	}
	op = appendTLV(op, tagSequence, attrs)
	var controls []byte
	if r.PageSize > 0 {
		v := appendInt(nil, tagInteger, r.PageSize)
		v = appendTLV(v, tagOctetString, r.Cookie)
		c := appendTLV(nil, tagOctetString, []byte(PagedResultsOID))
		c = appendTLV(c, tagOctetString, appendTLV(nil, tagSequence, v))
		controls = appendTLV(nil, tagSequence, c)
	}
	return message(dst, id, appendTLV(nil, 0x40|0x20|OpSearchRequest, op), controls)
}
