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

// Validate checks a report document against the schema.
func Validate(doc []byte) error {
	sch, err := compile()
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("report: not JSON: %w", err)
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Errorf("report does not match the schema: %w", err)
	}
	return nil
}

func compile() (*jsonschema.Schema, error) {
	sch, err := schemas.Compile("report.schema.json", schemaJSON)
	if err != nil {
		return nil, fmt.Errorf("report: schema: %w", err)
	}
	return sch, nil
}
