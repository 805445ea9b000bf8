// Package deps holds the test of the dependency rule: the evaluate stage
// (checks, engine) sees snapshot records and the report model only. It
// imports no collector, no DNS resolver, no renderer, no progress output
// and no network code; code both sides need (SPF and DMARC parsing, DNSBL
// answer decoding, address-range arithmetic) lives in neutral packages
// (mailauth/..., blocklist, netrange) that import none of those either.
// The report model (report/model) is a leaf: the standard library and the
// snapshot's record types only. See docs/architecture.md.
package deps
