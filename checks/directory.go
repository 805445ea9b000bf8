package checks

// addDirectory registers the directory checks.
func addDirectory(r Registry) {}
