// Package html renders a readiness report as one self-contained HTML
// file: the content of the PDF (verdict, score, counts, the chart by area,
// what was not assessed, the data sources, each failing rule, the
// migration estimate, the trend over earlier runs and the checklist) plus
// the whole findings list, searchable, filterable, sortable and
// downloadable as CSV in the browser.
//
// Every name in a report comes from a directory that anyone in the
// customer's organisation can write to, so the page is built with
// html/template, the findings travel as JSON in a data block that no
// browser executes, and the page's own script writes them with
// textContent only. A Content-Security-Policy forbids every fetch and
// allows only the page's own style and script, by their hashes.
package html

import (
	"bytes"
	"crypto/sha256"
	_ "embed" // the template, style sheet and script
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/preflight-scan/preflight/report/model"
)

//go:embed report.html.tmpl
var pageTemplate string

//go:embed style.css
var styleSheet string

//go:embed app.js
var script string

// MaxExamples is how many findings of a rule the rule's section shows;
// the findings list has them all.
const MaxExamples = 5

// Write renders rep as HTML. The same report always gives the same bytes.
func Write(rep *model.Report, w io.Writer) error {
	t, err := template.New("report").Funcs(template.FuncMap{"visible": Visible}).Parse(pageTemplate)
	if err != nil {
		return fmt.Errorf("html: template: %w", err)
	}
	data, err := findingsJSON(rep)
	if err != nil {
		return fmt.Errorf("html: %w", err)
	}
	pg := build(rep)
	pg.Data = template.JS(data) //nolint:gosec // encoding/json output with <, >, &, U+2028 and U+2029 escaped: inert in a data block (see findingsJSON)
	pg.CSS = template.CSS(styleSheet)
	pg.Script = template.JS(script) //nolint:gosec // the page's own script, embedded at build time
	pg.CSP = CSP()
	var buf bytes.Buffer
	if err := t.Execute(&buf, pg); err != nil {
		return fmt.Errorf("html: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("html: %w", err)
	}
	return nil
}

// CSP is the page's Content-Security-Policy: nothing may be fetched or
// sent anywhere; only the page's own style sheet and script run, named by
// their SHA-256 hashes; images only as data: URLs (none are used).
func CSP() string {
	return "default-src 'none'; style-src " + hashSource(styleSheet) + "; script-src " + hashSource(script) +
		"; img-src data:; base-uri 'none'; form-action 'none'"
}

func hashSource(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// Visible makes the characters that reorder or hide text visible, so a
// name cannot pretend to be another: bidirectional controls (U+202A-202E,
// U+2066-2069, U+200E, U+200F, U+061C) and zero-width characters are shown
// as ⟨U+XXXX⟩. The script does the same for the findings list.
func Visible(s string) string {
	if !strings.ContainsFunc(s, hiddenRune) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if hiddenRune(r) {
			fmt.Fprintf(&b, "⟨U+%04X⟩", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func hiddenRune(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r >= 0x200B && r <= 0x200F:
		return true
	case r == 0x061C, r == 0xFEFF, r == 0x2060:
		return true
	}
	return false
}
