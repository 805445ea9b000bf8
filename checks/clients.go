package checks

// addClients registers the clients checks.
func addClients(r Registry) {}
