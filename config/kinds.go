package config

import "github.com/santhosh-tekuri/jsonschema/v6/kind"

// Aliases of the schema error kinds explain treats specially.
type (
	kindAdditional    = kind.AdditionalProperties
	kindRequired      = kind.Required
	kindAnyOf         = kind.AnyOf
	kindOneOf         = kind.OneOf
	kindPropertyNames = kind.PropertyNames
	kindFormat        = kind.Format
)
