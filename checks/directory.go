package checks

// addDirectory registers the directory checks (rules DIR-001 … DIR-012).
// Each check reads its scope decisions from the evaluation's shared stage
// (see Shared and scopeFrom).
func addDirectory(r Registry) {
	add := func(name string, s Spec) { r[name] = withScope(s) }
	add("dir.unsupported_characters", Typed(newUnsupportedChars))
	add("dir.invalid_format", Typed(newInvalidFormat))
	add("dir.required_attributes", Typed(newRequiredAttrs))
	add("dir.gal_attributes", Typed(newGALFill))
	add("dir.duplicate_address", Typed(newDuplicateAddress))
	add("dir.object_count", Typed(newObjectCount))
	add("dir.password_fresh", Typed(newPasswordFresh))
	add("dir.password_never_expires", Typed(newPasswordNeverExpires))
	add("dir.sip_mismatch", Typed(newSIPMismatch))
	add("dir.upn_suffix", Typed(newUPNSuffix))
	add("dir.password_policy", Typed(newPasswordPolicy))
	add("dir.forwarding_inventory", Typed(newForwardingInventory))
}
