package netprobe

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"

	"github.com/preflight-scan/preflight/internal/clip"
	"github.com/preflight-scan/preflight/internal/limits"
	"github.com/preflight-scan/preflight/netrange"
	"github.com/preflight-scan/preflight/snapshot"
)

// Endpoint is one endpoint set of the Microsoft 365 IP address and URL web
// service (https://endpoints.office.com/endpoints/worldwide).
type Endpoint struct {
	ID                     int      `json:"id"`
	ServiceArea            string   `json:"serviceArea"`
	ServiceAreaDisplayName string   `json:"serviceAreaDisplayName,omitempty"`
	URLs                   []string `json:"urls,omitempty"`
	IPs                    []string `json:"ips,omitempty"`
	TCPPorts               string   `json:"tcpPorts,omitempty"`
	UDPPorts               string   `json:"udpPorts,omitempty"`
	ExpressRoute           bool     `json:"expressRoute,omitempty"`
	Category               string   `json:"category"`
	Required               bool     `json:"required"`
	Notes                  string   `json:"notes,omitempty"`
}

// ParseEndpoints reads the endpoint-service JSON (an array of endpoint
// sets). Bad JSON, a bad port list or a bad prefix is an InputError
// naming the set.
func ParseEndpoints(name string, r io.Reader) ([]Endpoint, error) {
	dec := json.NewDecoder(limits.NewReader(r, limits.EndpointsBytes, "endpoints file", "EndpointsBytes"))
	var eps []Endpoint
	if err := dec.Decode(&eps); err != nil {
		if errors.Is(err, limits.ErrTooLarge) {
			return nil, &snapshot.InputError{File: name, Msg: err.Error()}
		}
		return nil, &snapshot.InputError{File: name, Msg: "not Microsoft 365 endpoint JSON (an array of endpoint sets): " + err.Error()}
	}
	for i, e := range eps {
		where := fmt.Sprintf("endpoint set %d (id %d)", i+1, e.ID)
		if _, err := ParsePorts(e.TCPPorts); err != nil {
			return nil, &snapshot.InputError{File: name, Column: "tcpPorts", Msg: where + ": " + err.Error()}
		}
		if _, err := ParsePorts(e.UDPPorts); err != nil {
			return nil, &snapshot.InputError{File: name, Column: "udpPorts", Msg: where + ": " + err.Error()}
		}
		for _, ip := range e.IPs {
			if _, err := netrange.ParsePrefix(ip); err != nil {
				return nil, &snapshot.InputError{File: name, Column: "ips", Msg: where + ": " + err.Error()}
			}
		}
		switch e.Category {
		case "Optimize", "Allow", "Default", "":
		default:
			return nil, &snapshot.InputError{File: name, Column: "category", Msg: fmt.Sprintf("%s: unknown category %s (want Optimize, Allow or Default)", where, clip.Quote(e.Category))}
		}
	}
	return eps, nil
}

// ParsePorts reads "80,443" or "3478-3481" lists; "" is no port.
func ParsePorts(s string) ([]int, error) {
	var out []int
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := port(lo)
		if err != nil {
			return nil, fmt.Errorf("port list %s: %w", clip.Quote(s), err)
		}
		b := a
		if isRange {
			if b, err = port(hi); err != nil {
				return nil, fmt.Errorf("port list %s: %w", clip.Quote(s), err)
			}
			if b < a {
				return nil, fmt.Errorf("port list %s: range %s runs backwards", clip.Quote(s), part)
			}
			if b-a > 65535 {
				return nil, fmt.Errorf("port list %s: range too wide", clip.Quote(s))
			}
		}
		for p := a; p <= b; p++ {
			out = append(out, p)
		}
	}
	return out, nil
}

func port(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("%s is not a port (1-65535)", clip.Quote(s))
	}
	return n, nil
}

// ParseAllowlist reads a firewall allow-list: one CIDR or address a line,
// "#" comments (whole-line or trailing) and blank lines. A bad line is an
// InputError naming it.
func ParseAllowlist(name string, r io.Reader) ([]netip.Prefix, error) {
	sc := bufio.NewScanner(r)
	// Room for the line end: a line of exactly the limit is read.
	sc.Buffer(make([]byte, 64*1024), limits.AllowlistLineBytes+2)
	var out []netip.Prefix
	line := 0
	for sc.Scan() {
		line++
		t := strings.TrimSuffix(sc.Text(), "\r")
		if len(t) > limits.AllowlistLineBytes {
			err := &limits.Error{What: "line", Limit: limits.AllowlistLineBytes, Name: "AllowlistLineBytes"}
			return nil, &snapshot.InputError{File: name, Line: line, Msg: err.Error()}
		}
		if i := strings.IndexByte(t, '#'); i >= 0 {
			t = t[:i]
		}
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		p, err := netrange.ParsePrefix(t)
		if err != nil {
			return nil, &snapshot.InputError{File: name, Line: line, Msg: err.Error()}
		}
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			err = &limits.Error{What: "line", Limit: limits.AllowlistLineBytes, Name: "AllowlistLineBytes"}
		}
		return nil, &snapshot.InputError{File: name, Line: line + 1, Msg: err.Error()}
	}
	return out, nil
}

// TargetsFromEndpoints returns a probe target for every host name (not
// wildcard) and TCP port of the required endpoint sets. Optional sets are
// left out: their failure would not block the migration.
func TargetsFromEndpoints(eps []Endpoint) []Target {
	var out []Target
	seen := map[string]bool{}
	for _, e := range eps {
		if !e.Required {
			continue
		}
		ports, _ := ParsePorts(e.TCPPorts)
		for _, u := range e.URLs {
			if strings.Contains(u, "*") {
				continue
			}
			for _, p := range ports {
				key := strings.ToLower(u) + ":" + strconv.Itoa(p)
				if seen[key] {
					continue
				}
				seen[key] = true
				out = append(out, Target{Host: u, Port: p, Required: true, Purpose: fmt.Sprintf("endpoint set %d (%s, %s)", e.ID, e.ServiceArea, e.Category)})
			}
		}
	}
	return out
}

// RangesFromEndpoints returns the prefixes of the required endpoint sets,
// each once.
func RangesFromEndpoints(eps []Endpoint) []snapshot.RangeRequirement {
	var out []snapshot.RangeRequirement
	seen := map[string]bool{}
	for _, e := range eps {
		if !e.Required {
			continue
		}
		for _, ip := range e.IPs {
			p, err := netrange.ParsePrefix(ip)
			if err != nil || seen[p.String()] {
				continue
			}
			seen[p.String()] = true
			out = append(out, snapshot.RangeRequirement{Prefix: p.String(), Service: fmt.Sprintf("endpoint set %d (%s)", e.ID, e.ServiceArea)})
		}
	}
	return out
}
