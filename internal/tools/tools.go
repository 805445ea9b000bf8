//go:build tools

// Package tools pins modules that the project depends on before every
// package that imports them exists. It is never built.
package tools

import (
	_ "codeberg.org/go-pdf/fpdf"
	_ "github.com/go-ldap/ldap/v3"
	_ "github.com/miekg/dns"
	_ "github.com/olekukonko/tablewriter"
	_ "github.com/santhosh-tekuri/jsonschema/v6"
	_ "go.yaml.in/yaml/v3"
)
