package ldap

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/preflight-scan/preflight/internal/clip"
	"github.com/preflight-scan/preflight/internal/limits"
)

// Secret is a bind password. Its String and GoString methods print a
// placeholder, so formatting a Secret (or a struct holding one) by
// mistake never shows the password; only Reveal does.
type Secret struct{ v string }

// NewSecret wraps a password.
func NewSecret(s string) Secret { return Secret{v: s} }

// Reveal returns the password, for the bind request only.
func (s Secret) Reveal() string { return s.v }

// Empty reports whether there is no password.
func (s Secret) Empty() bool { return s.v == "" }

// String returns a placeholder, never the password.
func (s Secret) String() string { return "[redacted]" }

// GoString returns a placeholder, never the password.
func (s Secret) GoString() string { return "ldap.Secret{[redacted]}" }

// ErrNoPassword is returned by PasswordFrom when neither source is given.
var ErrNoPassword = errors.New("no bind password source: use --bind-password-env VAR or --bind-password-file FILE")

// PasswordFrom reads the bind password from the environment variable
// envVar or the file path (exactly one of them), the only two places a
// password may come from. One trailing newline (LF or CRLF) of the file is
// removed, nothing else. Errors name the variable or the file, never the
// value.
func PasswordFrom(getenv func(string) string, envVar, path string) (Secret, error) {
	switch {
	case envVar != "" && path != "":
		return Secret{}, errors.New("give --bind-password-env or --bind-password-file, not both")
	case envVar != "":
		v := getenv(envVar)
		if v == "" {
			return Secret{}, fmt.Errorf("--bind-password-env: environment variable %s is not set or empty", clip.SecretRef(envVar))
		}
		return Secret{v: v}, nil
	case path != "":
		// The file name is not echoed: a password typed in its place
		// would be.
		b, err := limits.ReadFile(path, limits.SecretBytes, "password file", "SecretBytes")
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return Secret{}, fmt.Errorf("--bind-password-file (the file given): %w", err)
		}
		v := string(b)
		if strings.HasSuffix(v, "\r\n") {
			v = v[:len(v)-2]
		} else if strings.HasSuffix(v, "\n") {
			v = v[:len(v)-1]
		}
		if v == "" {
			return Secret{}, errors.New("--bind-password-file (the file given): file is empty")
		}
		return Secret{v: v}, nil
	}
	return Secret{}, ErrNoPassword
}
