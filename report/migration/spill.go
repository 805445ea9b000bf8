package migration

import (
	"bufio"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
)

// chunkRows is how many rows a sorter holds in memory before it writes
// them, sorted, to a temporary file. At a few hundred bytes a row that is
// some tens of megabytes, whatever the size of the directory.
const chunkRows = 65536

// row is one output row: the key it sorts by and its CSV fields.
type row struct {
	key    string
	fields []string
}

// sorter sorts rows by key (ties by their fields) in bounded memory: full
// chunks go to temporary files (mode 0600, removed by Close) and are
// merged when the rows are read back.
type sorter struct {
	// dir holds the temporary files; "" is os.TempDir().
	dir    string
	mem    []row
	chunks []*os.File
	limit  int
}

func newSorter(dir string) *sorter { return &sorter{dir: dir, limit: chunkRows} }

func less(a, b *row) bool {
	if a.key != b.key {
		return a.key < b.key
	}
	for i := 0; i < len(a.fields) && i < len(b.fields); i++ {
		if a.fields[i] != b.fields[i] {
			return a.fields[i] < b.fields[i]
		}
	}
	return len(a.fields) < len(b.fields)
}

// add adds a row; it may spill the rows held so far.
func (s *sorter) add(r row) error {
	s.mem = append(s.mem, r)
	if len(s.mem) >= s.limit {
		return s.spill()
	}
	return nil
}

func (s *sorter) sortMem() {
	sort.Slice(s.mem, func(i, j int) bool { return less(&s.mem[i], &s.mem[j]) })
}

func (s *sorter) spill() error {
	s.sortMem()
	f, err := os.CreateTemp(s.dir, ".preflight-sort-*")
	if err != nil {
		return fmt.Errorf("sort rows: %w", err)
	}
	// Unlinked at once where the system allows it: nothing stays behind
	// if the process dies.
	_ = os.Remove(f.Name())
	s.chunks = append(s.chunks, f)
	w := bufio.NewWriter(f)
	for i := range s.mem {
		writeRow(w, &s.mem[i])
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("sort rows: %w", err)
	}
	s.mem = s.mem[:0]
	return nil
}

func writeString(w *bufio.Writer, v string) {
	var b [binary.MaxVarintLen64]byte
	n := binary.PutUvarint(b[:], uint64(len(v)))
	_, _ = w.Write(b[:n])
	_, _ = w.WriteString(v)
}

func writeRow(w *bufio.Writer, r *row) {
	writeString(w, r.key)
	var b [binary.MaxVarintLen64]byte
	n := binary.PutUvarint(b[:], uint64(len(r.fields)))
	_, _ = w.Write(b[:n])
	for _, f := range r.fields {
		writeString(w, f)
	}
}

func readString(r *bufio.Reader) (string, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return "", err
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", err
	}
	return string(b), nil
}

func readRow(r *bufio.Reader) (row, error) {
	key, err := readString(r)
	if err != nil {
		return row{}, err
	}
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return row{}, err
	}
	out := row{key: key, fields: make([]string, 0, n)}
	for range n {
		f, err := readString(r)
		if err != nil {
			return row{}, err
		}
		out.fields = append(out.fields, f)
	}
	return out, nil
}

// each calls fn with every row in order.
func (s *sorter) each(fn func(r *row) error) error {
	s.sortMem()
	if len(s.chunks) == 0 {
		for i := range s.mem {
			if err := fn(&s.mem[i]); err != nil {
				return err
			}
		}
		return nil
	}
	h := &mergeHeap{}
	next := func(src int) error {
		if src == len(s.chunks) { // the rows still in memory
			if h.memAt < len(s.mem) {
				heap.Push(h, mergeItem{r: s.mem[h.memAt], src: src})
				h.memAt++
			}
			return nil
		}
		r, err := readRow(h.readers[src])
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("sort rows: %w", err)
		}
		heap.Push(h, mergeItem{r: r, src: src})
		return nil
	}
	for _, f := range s.chunks {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("sort rows: %w", err)
		}
		h.readers = append(h.readers, bufio.NewReader(f))
	}
	for src := 0; src <= len(s.chunks); src++ {
		if err := next(src); err != nil {
			return err
		}
	}
	for h.Len() > 0 {
		it := heap.Pop(h).(mergeItem)
		if err := fn(&it.r); err != nil {
			return err
		}
		if err := next(it.src); err != nil {
			return err
		}
	}
	return nil
}

// Close removes the temporary files.
func (s *sorter) Close() {
	for _, f := range s.chunks {
		name := f.Name()
		_ = f.Close()
		_ = os.Remove(name)
	}
	s.chunks, s.mem = nil, nil
}

type mergeItem struct {
	r   row
	src int
}

type mergeHeap struct {
	items   []mergeItem
	readers []*bufio.Reader
	memAt   int
}

func (h *mergeHeap) Len() int { return len(h.items) }
func (h *mergeHeap) Less(i, j int) bool {
	if less(&h.items[i].r, &h.items[j].r) {
		return true
	}
	if less(&h.items[j].r, &h.items[i].r) {
		return false
	}
	return h.items[i].src < h.items[j].src
}
func (h *mergeHeap) Swap(i, j int) { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *mergeHeap) Push(x any)    { h.items = append(h.items, x.(mergeItem)) }
func (h *mergeHeap) Pop() any {
	it := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return it
}
