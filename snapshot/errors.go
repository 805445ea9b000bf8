package snapshot

import (
	"errors"
	"fmt"
)

// ErrBadInput marks errors caused by input the user must fix: a malformed
// file, a missing column, an unknown value. The command line turns them into
// exit code 2 and writes nothing.
var ErrBadInput = errors.New("bad input")

// InputError is a bad-input error that names where the problem is.
type InputError struct {
	File   string // path of the input file, if any
	Line   int    // 1-based line, 0 if unknown
	Column string // column or attribute name, if any
	Msg    string
}

// Error formats the error as "file:line: column: msg".
func (e *InputError) Error() string {
	s := e.File
	if e.Line > 0 {
		s = fmt.Sprintf("%s:%d", s, e.Line)
	}
	if e.Column != "" {
		if s != "" {
			s += ": "
		}
		s += "column " + e.Column
	}
	if s != "" {
		return s + ": " + e.Msg
	}
	return e.Msg
}

// Unwrap lets errors.Is(err, ErrBadInput) find input errors.
func (e *InputError) Unwrap() error { return ErrBadInput }
