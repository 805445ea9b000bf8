// Package atomicfile writes files so that a reader never sees a partial
// file: the content goes to a temporary file in the same directory, which
// is synced and renamed over the target only when complete.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

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

// Create starts writing path atomically.
func Create(path string) (*File, error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return &File{File: tmp, path: path}, nil
}

// Commit syncs the temporary file and renames it over the target. On
// failure the temporary file is removed and the target left as it was.
func (f *File) Commit() error {
	if f.done {
		return nil
	}
	f.done = true
	tmp := f.Name()
	if err := f.Sync(); err != nil {
		// The sync error is the one to report; closing is only cleanup.
		_ = f.Close()
		return removeTemp(tmp, fmt.Errorf("write %s: %w", f.path, err))
	}
	if err := f.Close(); err != nil {
		return removeTemp(tmp, fmt.Errorf("write %s: %w", f.path, err))
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return removeTemp(tmp, fmt.Errorf("write %s: %w", f.path, err))
	}
	if err := os.Rename(tmp, f.path); err != nil {
		return removeTemp(tmp, fmt.Errorf("write %s: %w", f.path, err))
	}
	return nil
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
