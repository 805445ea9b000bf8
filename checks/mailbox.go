package checks

// addMailbox registers the mailbox checks.
func addMailbox(r Registry) {}
