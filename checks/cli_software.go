package checks

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/preflight-scan/preflight/report/model"
	"github.com/preflight-scan/preflight/snapshot"
)

// HostKey normalises a host name so that one computer is one key whatever
// the source wrote: the short name, lower case, without a trailing dot,
// a "DOMAIN\" prefix, a leading "\\" or the "$" of a computer account
// ("PC01.corp.example.com.", "CORP\PC01", "pc01$" and "PC01" are all
// "pc01"). Two computers with the same short name in different domains
// share a key.
func HostKey(name string) string {
	s := strings.TrimSpace(name)
	s = strings.TrimLeft(s, `\`)
	if i := strings.LastIndexByte(s, '\\'); i >= 0 {
		s = s[i+1:]
	}
	s = strings.TrimSuffix(strings.TrimSuffix(s, "."), "$")
	if i := strings.IndexByte(s, '.'); i > 0 && !isIPv4(s) {
		s = s[:i]
	}
	return strings.ToLower(s)
}

func isIPv4(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err != nil {
			return false
		}
	}
	return true
}

// Product families recognised by name. A minimum table entry names the
// family it applies to.
const (
	famOffice       = "office"       // Outlook and the Office suites (the mail client)
	famEntourage    = "entourage"    // Entourage for Mac
	famIE           = "ie"           // Internet Explorer
	famFirefox      = "firefox"      // Mozilla Firefox
	famCommunicator = "communicator" // Office Communicator
)

// officeNotMail are words in a product name that make an "Office" product
// something other than the mail client (a single application, a viewer, a
// language pack, an update).
var officeNotMail = []string{
	"visio", "project", "sharepoint", "infopath", "communicator", "live meeting", "viewer",
	"web components", "proofing", "language pack", "mui", "compatibility pack", "connector",
	"frontpage", "onenote", "publisher", "access", "excel", "word", "powerpoint", "groove",
	"interconnect", "update", "hotfix", "service pack", "interop", "runtime", "conferencing",
	"add-in", "lync", "teams", "skype", "validation", "shared",
}

// Identify returns a product's family and platform ("windows" or "mac")
// from its name, or "" when the product is none of the families checked.
func Identify(product string) (family, platform string) {
	p := " " + strings.ToLower(strings.Join(strings.Fields(product), " ")) + " "
	platform = "windows"
	if strings.Contains(p, " mac") || strings.Contains(p, "macintosh") {
		platform = "mac"
	}
	has := func(s string) bool { return strings.Contains(p, s) }
	switch {
	case has("communicator") && !has("web access") && !has("mobile"):
		return famCommunicator, platform
	case has("internet explorer") || p == " ie " || strings.HasPrefix(p, " ie "):
		return famIE, platform
	case has("firefox"):
		return famFirefox, platform
	case has("entourage"):
		return famEntourage, "mac"
	case has("outlook") && !has("connector") && !has("hotfix") && !has("update") && !has("web access") && !has("express") && !has("add-in"):
		return famOffice, platform
	case has("office"):
		for _, w := range officeNotMail {
			if has(w) {
				return "", platform
			}
		}
		return famOffice, platform
	}
	return "", platform
}

// Version is a dotted version number ("12.0.6425.1000").
type Version []int

var versionRE = regexp.MustCompile(`\d+(\.\d+)*`)

// ParseVersion reads the first dotted number of s ("14.1.0 (110310)" is
// 14.1.0); ok is false when s holds none.
func ParseVersion(s string) (Version, bool) {
	m := versionRE.FindString(s)
	if m == "" {
		return nil, false
	}
	var v Version
	for _, part := range strings.Split(m, ".") {
		n, err := strconv.Atoi(part)
		if err != nil {
			return nil, false
		}
		v = append(v, n)
	}
	return v, true
}

// Compare orders versions component by component, a missing component
// counting as 0: -1, 0 or 1.
func (v Version) Compare(w Version) int {
	for i := 0; i < len(v) || i < len(w); i++ {
		a, b := 0, 0
		if i < len(v) {
			a = v[i]
		}
		if i < len(w) {
			b = w[i]
		}
		switch {
		case a < b:
			return -1
		case a > b:
			return 1
		}
	}
	return 0
}

func (v Version) String() string {
	parts := make([]string, len(v))
	for i, n := range v {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ".")
}

// yearMajor maps a release year in a product name to its major version,
// used when an inventory row gives no version.
var yearMajor = map[string]map[string]int{
	famOffice + "/windows":       {"97": 8, "2000": 9, "2002": 10, "xp": 10, "2003": 11, "2007": 12, "2010": 14, "2013": 15, "2016": 16, "2019": 16, "2021": 16, "2024": 16},
	famOffice + "/mac":           {"2001": 10, "2004": 11, "2008": 12, "2011": 14},
	famEntourage + "/mac":        {"2001": 10, "2004": 11, "2008": 13},
	famCommunicator + "/windows": {"2005": 1, "2007": 2},
}

var yearRE = regexp.MustCompile(`\b(97|2000|2001|2002|2003|2004|2005|2007|2008|2010|2011|2013|2016|2019|2021|2024|xp)\b`)

func nameYear(product string) string {
	return yearRE.FindString(strings.ToLower(product))
}

// minimum is one row of a rule's minimum table: the products of a family
// (and platform) in a version range [from, below) — optionally only those
// whose name carries one of years — are unsupported below min (all of
// them when min is empty), or from end_of_support on.
type minimum struct {
	Product  string   `json:"product"`
	Family   string   `json:"family"`
	Platform string   `json:"platform,omitempty"`
	From     string   `json:"from,omitempty"`
	Below    string   `json:"below,omitempty"`
	Years    []string `json:"years,omitempty"`
	Min      string   `json:"min,omitempty"`
	MinLabel string   `json:"min_label,omitempty"`
	// EndOfSupport (YYYY-MM-DD) makes the row apply only from that date
	// (compared with the cutover date, else the scan date).
	EndOfSupport string `json:"end_of_support,omitempty"`
	Source       string `json:"source"`

	from, below, min Version
	eos              time.Time
}

type softwareParams struct {
	Minimums []minimum `json:"minimums"`
}

// compile parses a table's versions and dates.
func (prm *softwareParams) compile() error {
	for i := range prm.Minimums {
		m := &prm.Minimums[i]
		if m.Family == "" || m.Product == "" {
			return fmt.Errorf("params: minimums[%d]: product and family are required", i)
		}
		if m.Platform == "" {
			m.Platform = "windows"
		}
		for _, x := range []struct {
			s string
			v *Version
		}{{m.From, &m.from}, {m.Below, &m.below}, {m.Min, &m.min}} {
			if x.s == "" {
				continue
			}
			v, ok := ParseVersion(x.s)
			if !ok {
				return fmt.Errorf("params: minimums[%d] (%s): bad version %q", i, m.Product, x.s)
			}
			*x.v = v
		}
		if m.EndOfSupport != "" {
			t, err := time.Parse("2006-01-02", m.EndOfSupport)
			if err != nil {
				return fmt.Errorf("params: minimums[%d] (%s): end_of_support: %w", i, m.Product, err)
			}
			m.eos = t
		}
	}
	return nil
}

// verdict says whether an install is unsupported under the table: the row
// that matched and whether the version was unknown (so only the name's
// year placed it).
func (prm *softwareParams) verdict(product, version string, when time.Time) (*minimum, Version, bool) {
	fam, plat := Identify(product)
	if fam == "" {
		return nil, nil, false
	}
	v, haveVersion := ParseVersion(version)
	year := nameYear(product)
	if !haveVersion {
		if major, ok := yearMajor[fam+"/"+plat][year]; ok {
			v = Version{major}
		}
	}
	for i := range prm.Minimums {
		m := &prm.Minimums[i]
		if m.Family != fam || m.Platform != plat {
			continue
		}
		if len(m.Years) > 0 && !containsFold(m.Years, year) {
			continue
		}
		if v == nil {
			continue // neither version nor year: cannot place it
		}
		if m.from != nil && v.Compare(m.from) < 0 {
			continue
		}
		if m.below != nil && v.Compare(m.below) >= 0 {
			continue
		}
		if !m.eos.IsZero() && when.Before(m.eos) {
			continue
		}
		if m.min == nil {
			return m, v, !haveVersion
		}
		if !haveVersion {
			return m, v, true // in the range, the build is unknown
		}
		if v.Compare(m.min) < 0 {
			return m, v, false
		}
	}
	return nil, v, false
}

func containsFold(ss []string, s string) bool {
	for _, x := range ss {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// hostIndex maps HostKey of computer objects to their finding object, so
// that an inventory row and a directory computer are one host.
type hostIndex map[string]Finding

func (h hostIndex) observe(r *snapshot.Record) {
	if r.Dir == nil || r.Dir.Kind != snapshot.KindComputer {
		return
	}
	f := ForDir(r.Dir)
	for _, n := range []string{r.Dir.First("dnshostname"), r.Dir.First("cn"), r.Dir.First("samaccountname")} {
		if k := HostKey(n); k != "" {
			if _, ok := h[k]; !ok {
				h[k] = Finding{Object: f.Object, Identity: f.Identity}
			}
		}
	}
}

func (h hostIndex) object(host string) Finding {
	if f, ok := h[HostKey(host)]; ok {
		return f
	}
	return Finding{Object: model.Object{Kind: "computer", ID: HostKey(host), Name: host}}
}

// newSoftwareCheck builds CLI-002, CLI-003 and CLI-004: every inventory row
// whose product the minimum table marks unsupported is a finding on its
// host (the directory's computer object when one has the same host key).
func newSoftwareCheck(what string) Spec {
	return Typed(func(prm softwareParams, env Env) (Check, error) {
		if err := prm.compile(); err != nil {
			return nil, err
		}
		hosts := hostIndex{}
		when := env.Cutover()
		var installs int64
		return Funcs{FinishFunc: func(out *Output) {
			if installs > 0 {
				return
			}
			// The directory covers the clients area too (computer
			// objects), but says nothing about installed software.
			out.Skip("the scan holds no client software inventory, so %ss were not checked: give --clients (MAP Toolkit or host,product,version CSV)", what)
		}, ObserveFunc: func(r *snapshot.Record, out *Output) {
			hosts.observe(r)
			c := r.Client
			if c == nil {
				return
			}
			installs++
			out.Judged(1)
			m, v, unknown := prm.verdict(c.Product, c.Version, when)
			if m == nil {
				return
			}
			fd := hosts.object(c.Host)
			fd.Key = strings.ToLower(c.Product + "|" + c.Version)
			need := "not supported"
			if m.Min != "" {
				need = "needs at least " + m.Min
				if m.MinLabel != "" {
					need += " (" + m.MinLabel + ")"
				}
			}
			if m.EndOfSupport != "" {
				need += ", out of support since " + m.EndOfSupport
			}
			observed := c.Version
			if observed == "" {
				observed = "unknown"
			}
			fd.Evidence = map[string]any{"host": c.Host, "product": c.Product, "observed": observed, "threshold": m.Product + ": " + need, "source": m.Source}
			if m.Min != "" {
				fd.Evidence["min_version"] = m.Min
			}
			if unknown {
				fd.Evidence["placed_by"] = fmt.Sprintf("the year in the product name (version %s assumed); the inventory gave no version", v)
				if m.Min != "" {
					fd.Message = fmt.Sprintf("%s on %s: %s %s; the inventory gives no version, so it could not be confirmed", c.Product, c.Host, what, need)
					out.Add(fd)
					return
				}
			}
			ver := c.Version
			if ver != "" {
				ver = " " + ver
			}
			fd.Message = fmt.Sprintf("%s%s on %s: %s %s (%s)", c.Product, ver, c.Host, what, need, m.Product)
			out.Add(fd)
		}}, nil
	})
}
