package ldif

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/preflight-scan/preflight/snapshot"
)

// fuzzMaxInput bounds the inputs FuzzReader tries.
const fuzzMaxInput = 8 << 10

// FuzzReader feeds arbitrary bytes to the reader: it must never panic, must
// end, and every error other than a read error must be a bad-input error
// that names the file.
func FuzzReader(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.ld*")
	more, _ := filepath.Glob("../../testdata/ldapsearch/*.ldif")
	files = append(files, more...)
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"version: 1\n\ndn: CN=a,DC=x\nobjectClass: user\n",
		"dn:: Q049YQ==\r\nchangetype: add\r\nobjectGUID:: AAECAwQFBgcICQoLDA0ODw==\r\n\r\n",
		"# c\n cont\ndn: x\n m\nmember;range=0-*: a\n\nsearch: 2\nresult: 0 Success\n",
		"\xff\xfed\x00n\x00:\x00 \x00a\x00\n\x00",
		"\xef\xbb\xbfdn: a\nx:< file:///etc/passwd\n",
		"dn: a\nsn:\nmail::\n",
		// ldapsearch's header and trailer, paged with the prompt, a
		// failed result, a count that disagrees.
		"# extended LDIF\n#\n# LDAPv3\n#\n\n# a\ndn: CN=a,DC=x\nuserAccountControl: 4096\nsAMAccountName: a$\n\n# search result\nsearch: 2\nresult: 0 Success\npagedresults: cookie=AQ==\nPress [size] Enter for the next {1|size} entries.\n# extended LDIF\n\n# search result\nsearch: 3\nresult: 0 Success\n\n# numResponses: 3\n# numEntries: 1\n",
		"# extended LDIF\ndn: CN=a,DC=x\n\nsearch: 2\nresult: 4 Size limit exceeded\n\n# numResponses: 2\n# numEntries: 9223372036854775807\n# numEntries: 9\n",
		// Entries without objectClass: classified or counted.
		"dn: CN=g,DC=x\nsAMAccountType: 268435456\n\ndn: CN=p,DC=x\nobjectCategory: CN=Person,CN=Schema,DC=x\nuserAccountControl: 512\n\ndn: CN=d,DC=x\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Bounded inputs keep the target fast (a few kilobytes of gzip
		// can expand to megabytes): the limits are tested on their own.
		if len(data) > fuzzMaxInput {
			return
		}
		r := NewReader(bytes.NewReader(data), "f.ldif")
		var count snapshot.EntryCount
		defer func() {
			// The verdict on the whole input never panics, and an
			// export cut or failed is never called whole.
			tr := r.Trailer()
			why := incomplete(tr)
			if tr.Failed != "" && why == "" {
				t.Fatalf("failed result %q but no reason", tr.Failed)
			}
			var src snapshot.Source
			count.Fill(&src)
			if src.Unclassified < 0 || src.DNOnly < 0 {
				t.Fatalf("negative counts %+v", src)
			}
		}()
		for i := 0; ; i++ {
			e, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				var ie *snapshot.InputError
				if !errors.As(err, &ie) || ie.File != "f.ldif" {
					t.Fatalf("error %v is not an input error naming the file", err)
				}
				break
			}
			if i > len(data) {
				t.Fatalf("more entries than input bytes")
			}
			raw := map[string][][]byte{}
			for _, a := range e.Attrs {
				if a.Name == "" {
					t.Fatalf("attribute without a name")
				}
				raw[a.Name] = append(raw[a.Name], a.Value)
			}
			o := snapshot.NewDirObject(e.DN, raw)
			if o.Kind == "" {
				t.Fatalf("entry without a kind")
			}
			count.Add(o, len(e.Attrs))
		}
	})
}
