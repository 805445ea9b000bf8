// Package atomicfile writes files so that a reader never sees a partial
// file: the content goes to a temporary file in the same directory, which
// is synced and renamed over the target only when complete. A Set does
// this for all the outputs of a run together: nothing is renamed until
// every file of the set is complete, so a failure or a signal leaves the
// old outputs, never a mix of old and new.
//
// Files are written with mode 0600 (Mode): reports, snapshots, history
// files and CSVs hold directory data. Temporary names carry the writing
// process's ID (".report.json.tmp-<pid>-<random>"); creating a file
// removes the stale temporaries of its own target left by a process that
// no longer runs (a run killed with SIGKILL).
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Mode is the permission of every file written.
const Mode fs.FileMode = 0o600

// staleAge is how old a temporary file without a readable process ID
// must be to count as stale.
const staleAge = time.Hour

// Write writes path atomically with the content fill produces. On any
// error the target is left as it was.
func Write(path string, fill func(w io.Writer) error) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	if err := fill(f); err != nil {
		f.Abort()
		return err
	}
	return f.Commit()
}

// File is a file being written atomically.
type File struct {
	*os.File
	path string
	done bool
}

// tempPrefix is the start of the temporary names of path's target.
func tempPrefix(path string) string {
	return "." + filepath.Base(path) + ".tmp-"
}

// Create starts writing path atomically.
func Create(path string) (*File, error) {
	dir := filepath.Dir(path)
	RemoveStale(path)
	tmp, err := os.CreateTemp(dir, tempPrefix(path)+strconv.Itoa(os.Getpid())+"-*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return &File{File: tmp, path: path}, nil
}

// RemoveStale removes the temporary files of path's target that a dead
// process left behind: those whose process ID names no running process,
// and those without one older than an hour. Failures are ignored; the
// next run tries again.
func RemoveStale(path string) {
	dir := filepath.Dir(path)
	prefix := tempPrefix(path)
	es, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range es {
		name := e.Name()
		if !strings.HasPrefix(name, prefix) || !e.Type().IsRegular() {
			continue
		}
		if stale(e, strings.TrimPrefix(name, prefix)) {
			_ = os.Remove(filepath.Join(dir, name))
		}
	}
}

// stale reports whether the temporary file e (rest is its name after the
// prefix) belongs to no running process.
func stale(e fs.DirEntry, rest string) bool {
	pidText, _, ok := strings.Cut(rest, "-")
	if pid, err := strconv.Atoi(pidText); ok && err == nil && pid > 0 {
		if pid == os.Getpid() {
			return false
		}
		err := syscall.Kill(pid, 0)
		return errors.Is(err, syscall.ESRCH)
	}
	info, err := e.Info()
	return err == nil && time.Since(info.ModTime()) > staleAge
}

// finish syncs, closes and sets the mode of the temporary file, so that
// only a rename is left.
func (f *File) finish() error {
	tmp := f.Name()
	if err := f.Sync(); err != nil {
		// The sync error is the one to report; closing is only cleanup.
		_ = f.Close()
		return removeTemp(tmp, fmt.Errorf("write %s: %w", f.path, err))
	}
	if err := f.Close(); err != nil {
		return removeTemp(tmp, fmt.Errorf("write %s: %w", f.path, err))
	}
	if err := os.Chmod(tmp, Mode); err != nil {
		return removeTemp(tmp, fmt.Errorf("write %s: %w", f.path, err))
	}
	return nil
}

// rename puts the finished temporary file in place.
func (f *File) rename() error {
	tmp := f.Name()
	if err := os.Rename(tmp, f.path); err != nil {
		return removeTemp(tmp, fmt.Errorf("write %s: %w", f.path, err))
	}
	return nil
}

// Commit syncs the temporary file and renames it over the target. On
// failure the temporary file is removed and the target left as it was.
func (f *File) Commit() error {
	if f.done {
		return nil
	}
	f.done = true
	if err := f.finish(); err != nil {
		return err
	}
	return f.rename()
}

// removeTemp removes the temporary file after err; when that fails too,
// the error says so, as a file is left behind.
func removeTemp(tmp string, err error) error {
	if rerr := os.Remove(tmp); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
		return errors.Join(err, rerr)
	}
	return err
}

// Abort removes the temporary file; the target is untouched. It is safe
// to call after Commit. Abort runs on a path that already has an error to
// report, so its own cleanup is best effort.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	_ = f.Close()
	_ = os.Remove(f.Name())
}

// Set is the outputs of one run, replaced together. The zero Set is
// ready to use; it is not safe for concurrent use.
type Set struct {
	files []*File
	done  bool
}

// Create starts one file of the set.
func (s *Set) Create(path string) (*File, error) {
	if s.done {
		return nil, errors.New("atomicfile: set already committed or aborted")
	}
	f, err := Create(path)
	if err != nil {
		return nil, err
	}
	s.files = append(s.files, f)
	return f, nil
}

// Add makes f, already being written, a file of the set.
func (s *Set) Add(f *File) { s.files = append(s.files, f) }

// Write writes one file of the set with the content fill produces. On
// error the file's temporary is removed (the set's other files are left
// to Commit or Abort).
func (s *Set) Write(path string, fill func(w io.Writer) error) error {
	f, err := s.Create(path)
	if err != nil {
		return err
	}
	if err := fill(f); err != nil {
		f.Abort()
		return err
	}
	return nil
}

// Commit completes every file of the set (sync, close, mode) and only
// then renames them over their targets. When any file fails before the
// renames, every temporary is removed and no target is touched.
func (s *Set) Commit() error {
	if s.done {
		return nil
	}
	s.done = true
	for i, f := range s.files {
		if f.done {
			continue // aborted by Write
		}
		if err := f.finish(); err != nil {
			f.done = true
			for _, g := range s.files[i+1:] {
				g.Abort()
			}
			for _, g := range s.files[:i] {
				if !g.done {
					g.done = true
					_ = os.Remove(g.Name())
				}
			}
			return err
		}
	}
	var errs []error
	for _, f := range s.files {
		if f.done {
			continue
		}
		f.done = true
		if err := f.rename(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Abort removes every temporary file of the set; no target is touched.
// It is safe to call after Commit.
func (s *Set) Abort() {
	if s.done {
		return
	}
	s.done = true
	for _, f := range s.files {
		f.Abort()
	}
}
