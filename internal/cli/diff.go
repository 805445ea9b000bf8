package cli

func runDiff(args []string, sys IO) error {
	return usagef("diff is not implemented yet")
}
