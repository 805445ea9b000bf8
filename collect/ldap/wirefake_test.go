package ldap

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"

	ber "github.com/go-asn1-ber/asn1-ber"
	goldap "github.com/go-ldap/ldap/v3"
)

// wireDialer returns a bulk-search dialer whose connections f serves over
// an in-process pipe, speaking LDAP as encoded by go-asn1-ber: the
// collector's own reader and decoder meet an independent encoder.
func (f *fakeDir) wireDialer() wireDialer {
	return func(_ context.Context, _ Endpoint) (net.Conn, error) {
		client, server := net.Pipe()
		go f.serveWire(server)
		return client, nil
	}
}

// serveWire answers bind and search requests on c until it closes.
func (f *fakeDir) serveWire(c net.Conn) {
	defer func() { _ = c.Close() }()
	for {
		pkt, err := ber.ReadPacket(c)
		if err != nil || len(pkt.Children) < 2 {
			return
		}
		id, _ := pkt.Children[0].Value.(int64)
		op := pkt.Children[1]
		switch op.Tag {
		case goldap.ApplicationBindRequest:
			name, _ := op.Children[1].Value.(string)
			err := f.Bind(name, op.Children[2].Data.String())
			if _, err := c.Write(wireResult(id, goldap.ApplicationBindResponse, err, nil)); err != nil {
				return
			}
		case goldap.ApplicationSearchRequest:
			req, err := wireSearchRequest(pkt)
			if err != nil {
				return
			}
			res, err := f.Search(req)
			var le *goldap.Error
			if errors.As(err, &le) && le.ResultCode == goldap.ErrorNetwork {
				if strings.Contains(err.Error(), "timed out") {
					_, _ = io.Copy(io.Discard, c) // never answer
				}
				return
			}
			if err := writeResult(c, id, res, err); err != nil {
				return
			}
		default:
			return
		}
	}
}

// wireSearchRequest turns a search request packet back into go-ldap's
// request type, so the fake answers it like the go-ldap connection's.
func wireSearchRequest(pkt *ber.Packet) (*goldap.SearchRequest, error) {
	op := pkt.Children[1]
	if len(op.Children) < 8 {
		return nil, errors.New("short search request")
	}
	filter, err := goldap.DecompileFilter(op.Children[6])
	if err != nil {
		return nil, err
	}
	req := &goldap.SearchRequest{Filter: filter}
	req.BaseDN, _ = op.Children[0].Value.(string)
	scope, _ := op.Children[1].Value.(int64)
	tl, _ := op.Children[4].Value.(int64)
	req.Scope, req.TimeLimit = int(scope), int(tl)
	for _, a := range op.Children[7].Children {
		s, _ := a.Value.(string)
		req.Attributes = append(req.Attributes, s)
	}
	if len(pkt.Children) > 2 {
		for _, cp := range pkt.Children[2].Children {
			ctrl, err := goldap.DecodeControl(cp)
			if err != nil {
				return nil, err
			}
			req.Controls = append(req.Controls, ctrl)
		}
	}
	return req, nil
}

// writeResult writes a search's entries, references and done.
func writeResult(c net.Conn, id int64, res *goldap.SearchResult, err error) error {
	var out []byte
	if res != nil {
		for _, e := range res.Entries {
			out = append(out, wireEntry(id, e)...)
		}
		for _, r := range res.Referrals {
			pkt := envelope(id)
			op := ber.Encode(ber.ClassApplication, ber.TypeConstructed, goldap.ApplicationSearchResultReference, nil, "")
			op.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, r, ""))
			pkt.AppendChild(op)
			out = append(out, pkt.Bytes()...)
		}
	}
	var controls []goldap.Control
	if res != nil && err == nil {
		controls = res.Controls
	}
	out = append(out, wireResult(id, goldap.ApplicationSearchResultDone, err, controls)...)
	_, werr := c.Write(out)
	return werr
}

func envelope(id int64) *ber.Packet {
	pkt := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "LDAP Response")
	pkt.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, id, "MessageID"))
	return pkt
}

// wireEntry encodes a SearchResultEntry.
func wireEntry(id int64, e *goldap.Entry) []byte {
	pkt := envelope(id)
	op := ber.Encode(ber.ClassApplication, ber.TypeConstructed, goldap.ApplicationSearchResultEntry, nil, "")
	op.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, e.DN, ""))
	attrs := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "")
	for _, a := range e.Attributes {
		pa := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "")
		pa.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, a.Name, ""))
		set := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSet, nil, "")
		for _, v := range a.ByteValues {
			set.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, string(v), ""))
		}
		pa.AppendChild(set)
		attrs.AppendChild(pa)
	}
	op.AppendChild(attrs)
	pkt.AppendChild(op)
	return pkt.Bytes()
}

// wireResult encodes an LDAPResult of the given operation for err (nil:
// success; a go-ldap result error: its code and diagnostic, referrals
// included; anything else: other (80)).
func wireResult(id int64, tag ber.Tag, err error, controls []goldap.Control) []byte {
	code, diag := int64(0), ""
	var refs []string
	if err != nil {
		code, diag = goldap.LDAPResultOther, err.Error()
		var le *goldap.Error
		if errors.As(err, &le) {
			code = int64(le.ResultCode)
			diag = ""
			if le.Err != nil {
				diag = le.Err.Error()
			}
			if le.ResultCode == goldap.LDAPResultReferral {
				refs = referralsOf(err)
			}
		}
	}
	pkt := envelope(id)
	op := ber.Encode(ber.ClassApplication, ber.TypeConstructed, tag, nil, "")
	op.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagEnumerated, code, "resultCode"))
	op.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, "", "matchedDN"))
	op.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, diag, "diagnosticMessage"))
	if len(refs) > 0 {
		ref := ber.Encode(ber.ClassContext, ber.TypeConstructed, 3, nil, "Referral")
		for _, r := range refs {
			ref.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, r, "URI"))
		}
		op.AppendChild(ref)
	}
	pkt.AppendChild(op)
	if len(controls) > 0 {
		cs := ber.Encode(ber.ClassContext, ber.TypeConstructed, 0, nil, "Controls")
		for _, c := range controls {
			cs.AppendChild(c.Encode())
		}
		pkt.AppendChild(cs)
	}
	return pkt.Bytes()
}
