// Command genscale writes synthetic Get-MailboxStatistics and
// Get-MailboxFolderStatistics exports for the import benchmark in
// docs/benchmarks.md: N mailboxes with PER folders each, in DIR.
//
//	go run ./collect/mailbox/internal/genscale N PER DIR
package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: genscale MAILBOXES FOLDERS_PER_MAILBOX DIR")
		os.Exit(2)
	}
	n, _ := strconv.Atoi(os.Args[1])
	per, _ := strconv.Atoi(os.Args[2])
	if err := run(n, per, os.Args[3]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// run writes the two exports into dir.
func run(n, per int, dir string) error {
	mf, err := os.Create(dir + "/mailbox-stats.csv")
	if err != nil {
		return err
	}
	ff, err := os.Create(dir + "/folder-stats.csv")
	if err != nil {
		_ = mf.Close()
		return err
	}
	// bufio.Writer keeps the first write error and returns it from Flush,
	// which is checked below; the writes in between need no check.
	mw := bufio.NewWriterSize(mf, 1<<20)
	fw := bufio.NewWriterSize(ff, 1<<20)
	_, _ = fmt.Fprintln(mw, `#TYPE Microsoft.Exchange.Management.MapiTasks.Presentation.MailboxStatistics`)
	_, _ = fmt.Fprintln(mw, `"DisplayName","ItemCount","TotalItemSize","TotalDeletedItemSize","LegacyDN","MailboxGuid","Identity"`)
	_, _ = fmt.Fprintln(fw, `"Identity","Name","FolderPath","FolderType","ItemsInFolder","FolderSize","TopSubjectSize"`)
	types := []string{"Inbox", "SentItems", "DeletedItems", "Calendar", "Contacts", "Drafts", "JunkEmail", "Outbox", "Notes", "Tasks"}
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("corp.example.com/Users/User %06d", i)
		size := int64(i%5000) * 7340032
		_, _ = fmt.Fprintf(mw, "\"User %06d\",\"%d\",\"%.3f GB (%d bytes)\",\"0 B (0 bytes)\",\"/o=Example/ou=First Administrative Group/cn=Recipients/cn=user%06d\",\"%08x-0000-4000-8000-%012x\",\"%s\"\n",
			i, i%40000, float64(size)/(1<<30), size, i, i, i, id)
		for j := 0; j < per; j++ {
			t := "User Created"
			name := fmt.Sprintf("Folder %d", j)
			if j < len(types) {
				t, name = types[j], types[j]
			}
			items := (i*7 + j*13) % 25000
			_, _ = fmt.Fprintf(fw, "\"%s\\%s\",\"%s\",\"/%s\",\"%s\",\"%d\",\"%d KB (%d bytes)\",\"%d KB (%d bytes)\"\n", id, name, name, name, t, items, items*50, items*51200, 900, 921600)
		}
	}
	return errors.Join(mw.Flush(), fw.Flush(), mf.Close(), ff.Close())
}
