package checks

// addClients registers the clients checks.
func addClients(r Registry) {
	r["clients.unsupported_os"] = Typed(newUnsupportedOS)
	r["clients.mail_client"] = newSoftwareCheck("mail client")
	r["clients.browser"] = newSoftwareCheck("browser")
	r["clients.legacy_messaging"] = newSoftwareCheck("messaging client")
}
