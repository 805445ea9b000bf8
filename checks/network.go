package checks

// addNetwork registers the network checks.
func addNetwork(r Registry) {}
