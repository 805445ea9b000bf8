package migration

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"

	"github.com/preflight-scan/preflight/report/export"
)

// WriteAddresses writes addresses.csv: one row per mailbox, mail user,
// group and contact of the tenant exports and per mail-enabled user,
// group and contact of the directory (Exchange's system mailboxes left
// out), the back-out backup of [004 s49–50].
//
// The file is UTF-8 with a byte order mark and CRLF line ends, as
// Export-Csv -Encoding UTF8 writes it, so Import-Csv reads it back.
// EmailAddresses holds every proxy address with its prefix (SMTP: is the
// primary, smtp: the others, SIP:, X500:), sorted and joined with ';':
// ($row.EmailAddresses -split ';') gives the list Set-Mailbox
// -EmailAddresses takes. Values are written as read, so that they can be
// set again; only DisplayName, which is for reading, gets a leading ' when
// it starts with = + - or @ (a spreadsheet would run it as a formula).
//
// Rows are sorted by Source (source tenant, target tenant, directory),
// then RecipientTypeDetails, PrimarySmtpAddress, UserPrincipalName and
// Identity, compared case-insensitively, then by all columns: the same
// input gives the same bytes.
func (b *Book) WriteAddresses(w io.Writer) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return fmt.Errorf("addresses: %w", err)
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	if err := cw.Write(addressColumns); err != nil {
		return fmt.Errorf("addresses: %w", err)
	}
	out := make([]string, len(addressColumns))
	err := b.rows.each(func(r *row) error {
		copy(out, r.fields)
		out[1] = b.resolveSource(out[1])
		out[3] = export.SafeCell(out[3])
		return cw.Write(out)
	})
	if err != nil {
		return fmt.Errorf("addresses: %w", err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("addresses: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("addresses: %w", err)
	}
	return nil
}
