package checks

// addDNS registers the dns checks.
func addDNS(r Registry) {}
