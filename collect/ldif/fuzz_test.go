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
			_ = snapshot.NewDirObject(e.DN, map[string][][]byte{})
			for _, a := range e.Attrs {
				if a.Name == "" {
					t.Fatalf("attribute without a name")
				}
			}
		}
	})
}
