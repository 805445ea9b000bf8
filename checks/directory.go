package checks

// addDirectory registers the directory checks (rules DIR-001 … DIR-012).
// The checks share one scope cache per registry (see scopeCache).
func addDirectory(r Registry) {
	sc := &scopeCache{}
	add := func(name string, f Factory) { r[name] = shareScope(sc, f) }
	add("dir.unsupported_characters", newUnsupportedChars)
	add("dir.invalid_format", newInvalidFormat)
	add("dir.required_attributes", newRequiredAttrs)
	add("dir.gal_attributes", newGALFill)
	add("dir.duplicate_address", newDuplicateAddress)
	add("dir.object_count", newObjectCount)
	add("dir.password_fresh", newPasswordFresh)
	add("dir.password_never_expires", newPasswordNeverExpires)
	add("dir.sip_mismatch", newSIPMismatch)
	add("dir.upn_suffix", newUPNSuffix)
	add("dir.password_policy", newPasswordPolicy)
	add("dir.forwarding_inventory", newForwardingInventory)
}
