package imap

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/preflight-scan/preflight/collect/csvin"
	"github.com/preflight-scan/preflight/internal/clip"
	"github.com/preflight-scan/preflight/internal/limits"
	"github.com/preflight-scan/preflight/snapshot"
)

// ReadAccounts reads the accounts file (CSV). Columns, matched
// case-insensitively:
//
//   - the login: user, username, login, SourceLoginID (required);
//   - the mailbox's name in the report: identity, EmailAddress,
//     SourceIdentity, mailbox (default: the login);
//   - the secret, one of: password (or SourcePassword), password_env (the
//     name of an environment variable holding it), password_file (a file
//     holding it; a trailing newline is dropped).
//
// The column names of Exchange Online's IMAP migration CSV
// (EmailAddress,UserName,Password) and of the BPOS migration tools
// (SourceIdentity,SourceLoginID,SourcePassword) are accepted as they are.
// With needPassword false (an administrator login) the secret columns are
// not needed. notes receives remarks for the source, such as a file with
// passwords that others can read.
func ReadAccounts(path string, getenv func(string) string, needPassword bool) (accs []Account, notes []string, err error) {
	return ReadAccountsAs(path, csvin.Encoding{}, getenv, needPassword)
}

// ReadAccountsAs is ReadAccounts for a file in enc (when it has no
// byte-order mark).
func ReadAccountsAs(path string, enc csvin.Encoding, getenv func(string) string, needPassword bool) (accs []Account, notes []string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, &snapshot.InputError{File: path, Msg: err.Error()}
	}
	defer func() { _ = f.Close() }() // read-only
	t, err := csvin.OpenWith(path, f, csvin.Options{Encoding: enc})
	if err != nil {
		return nil, nil, err
	}
	userCol, err := t.Require("user", "username", "login", "SourceLoginID")
	if err != nil {
		return nil, nil, err
	}
	idCol := t.Col("identity", "EmailAddress", "SourceIdentity", "mailbox", "email")
	pwCol := t.Col("password", "SourcePassword")
	envCol := t.Col("password_env")
	fileCol := t.Col("password_file")
	if needPassword && pwCol < 0 && envCol < 0 && fileCol < 0 {
		_, err := t.Require("password", "password_env", "password_file")
		return nil, nil, err
	}
	if pwCol >= 0 {
		if st, err := f.Stat(); err == nil && st.Mode().Perm()&0o077 != 0 {
			notes = append(notes, fmt.Sprintf("%s holds passwords and can be read by other users (mode %v): restrict it (chmod 600)", path, st.Mode().Perm()))
		}
	}
	for {
		row, err := t.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		a := Account{User: row.Get(userCol), Identity: row.Get(idCol), Line: row.Line}
		if a.User == "" {
			return nil, nil, &snapshot.InputError{File: path, Line: row.Line, Column: t.Header()[userCol], Msg: "empty login"}
		}
		if a.Identity == "" {
			a.Identity = a.User
		}
		if needPassword {
			switch {
			case row.Get(pwCol) != "":
				a.Password = row.Fields[pwCol] // passwords keep their spaces
			case row.Get(envCol) != "":
				name := row.Get(envCol)
				a.Password = getenv(name)
				if a.Password == "" {
					return nil, nil, &snapshot.InputError{File: path, Line: row.Line, Column: "password_env", Msg: fmt.Sprintf("environment variable %s is empty or not set", clip.SecretRef(name))}
				}
			case row.Get(fileCol) != "":
				b, err := limits.ReadFile(row.Get(fileCol), limits.SecretBytes, "password file", "SecretBytes")
				if err != nil {
					// The file name is not echoed: a password typed in
					// its place would be.
					var pe *fs.PathError
					if errors.As(err, &pe) {
						err = pe.Err
					}
					return nil, nil, &snapshot.InputError{File: path, Line: row.Line, Column: "password_file", Msg: "the file given: " + err.Error()}
				}
				a.Password = strings.TrimRight(string(b), "\r\n")
			default:
				return nil, nil, &snapshot.InputError{File: path, Line: row.Line, Column: "password", Msg: "no password, password_env or password_file for " + a.User}
			}
		}
		accs = append(accs, a)
	}
	if len(accs) == 0 {
		return nil, nil, &snapshot.InputError{File: path, Msg: "no accounts: the file has a header and no rows, so there is no mailbox to scan"}
	}
	return accs, append(notes, t.SourceNotes("accounts")...), nil
}
