package report

import (
	"bytes"
	_ "embed"
	"fmt"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/preflight-scan/preflight/internal/schemas"
)

//go:embed schema.json
var schemaJSON []byte

// Schema returns the report's JSON Schema.
func Schema() []byte { return append([]byte(nil), schemaJSON...) }

// Validate checks a report document against the schema. It compiles the
// schema on each call; a caller validating many documents builds a
// Validator once with NewValidator.
func Validate(doc []byte) error {
	v, err := NewValidator()
	if err != nil {
		return err
	}
	return v.Validate(doc)
}

// Validator checks report documents against the compiled schema. It holds
// no state beyond the schema and may be used by several goroutines.
type Validator struct {
	sch *jsonschema.Schema
}

// NewValidator compiles the report schema once.
func NewValidator() (*Validator, error) {
	sch, err := schemas.Compile("report.schema.json", schemaJSON)
	if err != nil {
		return nil, fmt.Errorf("report: schema: %w", err)
	}
	return &Validator{sch: sch}, nil
}

// Validate checks a report document against the schema.
func (v *Validator) Validate(doc []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("report: not JSON: %w", err)
	}
	if err := v.sch.Validate(inst); err != nil {
		return fmt.Errorf("report does not match the schema: %w", err)
	}
	return nil
}
