package checks

// addBlocklist registers the blocklist checks.
func addBlocklist(r Registry) {}
