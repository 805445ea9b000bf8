package snapshot

// Lookup outcomes. A fact (found, nxdomain, nodata) is evidence; a failure
// (servfail, refused, timeout, error) means the question was not answered.
const (
	LookupFound    = "found"
	LookupNXDomain = "nxdomain"
	LookupNoData   = "nodata"
	LookupServFail = "servfail"
	LookupRefused  = "refused"
	LookupTimeout  = "timeout"
	LookupError    = "error"
)

// DNSResult is the answer to one DNS question.
type DNSResult struct {
	// Domain is the mail domain the question was asked for.
	Domain string `json:"domain"`
	// Name and Type are the question ("_dmarc.example.com", "TXT").
	Name string `json:"name"`
	Type string `json:"type"`
	// Outcome is one of the Lookup* values.
	Outcome string `json:"outcome"`
	// Error carries the reason of a failure.
	Error string `json:"error,omitempty"`
	// Answers are the answer records' data in presentation form (for TXT,
	// the strings of one record joined without separators).
	Answers []string `json:"answers,omitempty"`
	// TTL is the smallest TTL of the answers.
	TTL uint32 `json:"ttl,omitempty"`
	// Resolver is the server that answered.
	Resolver string `json:"resolver,omitempty"`
	// Authoritative is set when the question was put, without recursion,
	// to a name server of the domain's zone: its TTL is the configured
	// one, not a resolver's counted-down cache time.
	Authoritative bool `json:"authoritative,omitempty"`
	// SeenIn says where the domain was found (command line, UPN suffix,
	// proxy address).
	SeenIn []string `json:"seen_in,omitempty"`
}

// BlocklistResult is the outcome of one blocklist query.
type BlocklistResult struct {
	Zone string `json:"zone"`
	// Kind is "ip" (DNSBL) or "domain" (RHSBL).
	Kind string `json:"kind"`
	// Subject is the IP address or domain that was looked up; SelfTest is
	// set for the RFC 5782 test entries.
	Subject  string `json:"subject"`
	SelfTest bool   `json:"self_test,omitempty"`
	// Why the subject was queried ("MX mx1.example.com of example.com").
	Reason  string   `json:"reason,omitempty"`
	Outcome string   `json:"outcome"`
	Error   string   `json:"error,omitempty"`
	Answers []string `json:"answers,omitempty"`
	// Meaning decodes the answers from the zone's table.
	Meaning []string `json:"meaning,omitempty"`
}

// Probe outcomes.
const (
	ProbeOpen     = "open"
	ProbeRefused  = "refused"
	ProbeTimeout  = "timeout"
	ProbeReset    = "reset"
	ProbeTLSError = "tls-error"
	ProbeDNSError = "dns-error"
	ProbeError    = "error"
)

// ProbeResult is one TCP (and optionally TLS) connection attempt.
type ProbeResult struct {
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Address  string `json:"address,omitempty"`
	TLS      string `json:"tls,omitempty"` // "", "implicit", "starttls"
	Required bool   `json:"required"`
	Purpose  string `json:"purpose,omitempty"`
	Outcome  string `json:"outcome"`
	Error    string `json:"error,omitempty"`
	// Issuer and ChainTrusted describe the certificate presented, when TLS
	// was negotiated.
	Issuer       string `json:"issuer,omitempty"`
	ChainTrusted bool   `json:"chain_trusted,omitempty"`
	RTTMS        int64  `json:"rtt_ms,omitempty"`
}

// RangeRequirement is one address range the service needs allowed, and how
// much of it the firewall allow-list covers.
type RangeRequirement struct {
	Prefix    string   `json:"prefix"`
	Service   string   `json:"service,omitempty"`
	Uncovered []string `json:"uncovered,omitempty"`
}
