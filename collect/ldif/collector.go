package ldif

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/preflight-scan/preflight/progress"
	"github.com/preflight-scan/preflight/snapshot"
)

// checkEvery is how many entries the collector reads between two looks at
// the context.
const checkEvery = 1000

// Collector reads one LDIF file into directory records.
type Collector struct {
	name string
	open func() (io.ReadCloser, error)
	prog *progress.Reporter
}

// Name is the source name given to NewCollector.
func (c *Collector) Name() string { return c.name }

// NewCollector returns a collector of the LDIF text that open returns.
// name identifies the source in the report and in error messages (a file
// path). prog may be nil.
func NewCollector(name string, open func() (io.ReadCloser, error), prog *progress.Reporter) snapshot.Collector {
	return &Collector{name: name, open: open, prog: prog}
}

// Collect reads every entry and puts one directory record per entry into
// sink. The source covers the directory area, and the clients area when the
// export holds computer objects. A malformed file is an error wrapping snapshot.ErrBadInput; a file
// that cannot be opened or read, or a cancelled context, gives a source with
// status error.
func (c *Collector) Collect(ctx context.Context, sink snapshot.Sink) (snapshot.Source, error) {
	start := time.Now()
	src := snapshot.Source{
		Name:   c.name,
		Kind:   "ldif",
		Areas:  []snapshot.Area{snapshot.AreaDirectory},
		Status: snapshot.StatusOK,
	}
	finish := func() snapshot.Source {
		if src.Status == snapshot.StatusError && !slices.Contains(src.Areas, snapshot.AreaClients) {
			// A failed export might have held computers: their rules
			// cannot pass either.
			src.Areas = append(src.Areas, snapshot.AreaClients)
		}
		src.DurationMS = time.Since(start).Milliseconds()
		c.prog.Done(c.name, src.Objects, 0, src.Status)
		return src
	}
	f, err := c.open()
	if err != nil {
		src.Status, src.Error = snapshot.StatusError, oneLine(fmt.Sprintf("open: %v", err))
		return finish(), nil
	}

	// A reader goroutine parses and converts entries while this one feeds
	// the sink (the rule engine): on two or more cores the two overlap. It
	// runs at most a few batches ahead.
	rd := NewReader(f, c.name)
	conv := newConverter()
	batches := make(chan *batch, 4)
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		readBatches(rd, conv, batches, stop)
	}()
	defer func() {
		close(stop)
		// Closing the input ends a read that waits on a pipe; then drain
		// what the reader still hands over so that it can end.
		_ = f.Close()
		for range batches {
		}
		<-stopped
	}()
	interrupted := func() snapshot.Source {
		src.Status = snapshot.StatusError
		src.Error = fmt.Sprintf("interrupted after %d objects", src.Objects)
		return finish()
	}
	var rec snapshot.Record
	var computers int64
	for {
		var b *batch
		var more bool
		select {
		case b, more = <-batches:
		case <-ctx.Done():
			return interrupted(), nil
		}
		if !more {
			break
		}
		for _, o := range b.objs {
			if src.Objects%checkEvery == 0 && ctx.Err() != nil {
				return interrupted(), nil
			}
			if o.Kind == snapshot.KindComputer {
				computers++
			}
			rec.Dir = o
			if err := sink.Put(&rec); err != nil {
				return src, fmt.Errorf("ldif %s: %w", c.name, err)
			}
			src.Objects++
			c.prog.Update(c.name, src.Objects, 0)
		}
		switch err := b.err; {
		case err == nil, errors.Is(err, io.EOF):
		case errors.Is(err, snapshot.ErrBadInput):
			return src, err
		default:
			src.Status, src.Error = snapshot.StatusError, oneLine(err.Error())
			return finish(), nil
		}
	}
	if ctx.Err() != nil {
		return interrupted(), nil
	}
	tr := rd.Trailer()
	conv.count.Fill(&src)
	if tr.Requested != nil {
		src.Requested = tr.Requested
		if len(src.Requested) == 0 {
			src.Requested = []string{"1.1"}
		}
	}
	if why := incomplete(tr); why != "" {
		src.Status, src.Error = snapshot.StatusError, why
	} else if src.Objects == 0 {
		// An empty export would otherwise pass every directory rule.
		return src, &snapshot.InputError{File: c.name, Msg: "no directory entries in the file (an empty or failed export?)"}
	}
	// The export covers the client area (operating systems) only if it
	// holds computer objects: an export of users alone must not make the
	// operating-system rules pass.
	if computers > 0 {
		src.Areas = append(src.Areas, snapshot.AreaClients)
	} else if src.Status == snapshot.StatusOK {
		src.Notes = append(src.Notes, "no computer objects in the export: operating systems not assessed from it")
	}
	if tr.Referrals > 0 {
		src.Notes = append(src.Notes, fmt.Sprintf("%d search reference(s) (referrals) in the export were not followed: objects in other naming contexts or domains are not in this file", tr.Referrals))
	}
	if conv.ranged > 0 {
		src.Notes = append(src.Notes, fmt.Sprintf(
			"%d object(s) carry a partial multi-valued attribute (%s): the export holds only the first range of values; export with a tool that follows range retrieval, or scan over LDAP, to see them all",
			conv.ranged, conv.rangedExample))
	}
	return finish(), nil
}

// batchSize is how many objects the reader goroutine hands over at once.
const batchSize = 256

// batch is a run of converted objects and, in the last batch, the error
// that ended reading (io.EOF at the end of the input).
type batch struct {
	objs []*snapshot.DirObject
	err  error
}

// readBatches reads and converts entries into batches until the input ends,
// an error occurs or stop is closed; it closes out when it returns.
func readBatches(rd *Reader, conv *converter, out chan<- *batch, stop <-chan struct{}) {
	defer close(out)
	for {
		b := &batch{objs: make([]*snapshot.DirObject, 0, batchSize)}
		for len(b.objs) < batchSize {
			e, err := rd.Next()
			if err != nil {
				b.err = err
				break
			}
			b.objs = append(b.objs, conv.object(e))
		}
		select {
		case out <- b:
		case <-stop:
			return
		}
		if b.err != nil {
			return
		}
	}
}

// converter turns entries into directory objects, reusing its buffers.
type converter struct {
	base          map[string]string  // attribute description -> kept lower-case base name, "" when dropped
	attrs         []snapshot.RawAttr // this entry's kept attributes by base name, in file order
	prevName      []string           // attribute names by position in the previous entry
	prevBase      []string           // and their base names
	ranged        int64
	rangedExample string
	count         snapshot.EntryCount
}

func newConverter() *converter {
	return &converter{base: map[string]string{}}
}

// object converts one entry. Attributes with options (member;range=0-1499)
// are merged into their base attribute.
func (c *converter) object(e *Entry) *snapshot.DirObject {
	// attrs keeps its value slices for reuse across entries: an entry
	// uses the first n.
	n := 0
	partial := false
	for i, a := range e.Attrs {
		var base string
		var ok bool
		if i < len(c.prevName) && c.prevName[i] == a.Name {
			base, ok = c.prevBase[i], true
		} else {
			base, ok = c.base[a.Name]
		}
		if !ok {
			b, keep := snapshot.KeepAttribute(a.Name)
			if keep {
				base = b
			}
			if len(c.base) < maxNames {
				c.base[a.Name] = base
			}
		}
		if i < len(c.prevName) {
			c.prevName[i], c.prevBase[i] = a.Name, base
		} else if i < maxNames {
			c.prevName = append(c.prevName, a.Name)
			c.prevBase = append(c.prevBase, base)
		}
		if base == "" {
			continue
		}
		if len(a.Name) != len(base) && isPartialRange(a.Name) {
			partial = true
			if c.rangedExample == "" {
				c.rangedExample = a.Name
			}
		}
		// Values of one attribute are usually adjacent: look at the last
		// attribute first, then the others.
		k := n - 1
		if k < 0 || c.attrs[k].Name != base {
			k = 0
			for k < n && c.attrs[k].Name != base {
				k++
			}
		}
		if k == n {
			if n == len(c.attrs) {
				c.attrs = append(c.attrs, snapshot.RawAttr{})
			}
			c.attrs[n].Name = base
			c.attrs[n].Vals = c.attrs[n].Vals[:0]
			n++
		}
		c.attrs[k].Vals = append(c.attrs[k].Vals, a.Value)
	}
	if partial {
		c.ranged++
	}
	o := snapshot.NewDirObjectAttrs(e.DN, c.attrs[:n])
	c.count.Add(o, len(e.Attrs))
	return o
}

// isPartialRange reports whether an attribute description carries a range
// option that does not run to the last value ("member;range=0-1499", as
// opposed to "member;range=1500-*").
func isPartialRange(desc string) bool {
	for _, opt := range strings.Split(desc, ";")[1:] {
		if r, ok := strings.CutPrefix(strings.ToLower(opt), "range="); ok {
			return !strings.HasSuffix(r, "-*")
		}
	}
	return false
}

// incomplete says why an export is known to hold only part of what was
// searched, from what ldapsearch wrote about the search, or "". An export
// without the "# extended LDIF" header (ldifde, ldapsearch -L) makes no
// claim either way, except a failed result line.
func incomplete(tr Trailer) string {
	if tr.Failed != "" {
		return fmt.Sprintf("ldapsearch reported result %s after %d entries: %s", tr.Failed, tr.Entries, resultAdvice(tr.Failed))
	}
	if !tr.Extended {
		return ""
	}
	if !tr.Closed {
		return fmt.Sprintf("ldapsearch export ends without its result trailer (\"# search result\", \"result: 0 Success\", \"# numResponses\") after %d entries: cut off? Export again and keep the whole output", tr.Entries)
	}
	if tr.NumEntries != tr.Entries {
		return fmt.Sprintf("ldapsearch's trailer says \"# numEntries: %d\" but the file holds %d entries: the export was cut or edited; export again", tr.NumEntries, tr.Entries)
	}
	return ""
}

// resultAdvice says what a failed ldapsearch result means and what to do,
// by LDAP result code (RFC 4511 4.1.9).
func resultAdvice(result string) string {
	code, _, _ := strings.Cut(result, " ")
	switch code {
	case "4":
		return "the server returned only part of the directory (its size limit, in Active Directory MaxPageSize, 1,000 by default); re-run with paged results: -E pr=1000/noprompt"
	case "3":
		return "the search ran out of time and the server returned only part of the directory; re-run with paged results (-E pr=1000/noprompt) and a longer time limit (-l)"
	case "11":
		return "the server stopped the search at an administrative limit and returned only part of the directory; re-run with paged results: -E pr=1000/noprompt"
	case "10":
		return "the server referred the search elsewhere (a Global Catalog or another domain controller holds the naming context); search the server that holds the base DN"
	}
	return "the search failed and the export holds at most part of the directory; fix the cause and export again"
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
