// Package report reads, validates and writes readiness reports: the JSON
// writer and reader, the report's JSON Schema, and the terminal table
// renderer. The report's data types are in report/model; the PDF, HTML
// and export renderers are in the packages below.
package report
