package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/preflight-scan/preflight/internal/limits"
	"github.com/preflight-scan/preflight/snapshot"
)

// TestLoadBoundsTheFile: a configuration file at limits.ConfigBytes loads;
// one byte over is bad input naming the limit, refused before it is
// parsed.
func TestLoadBoundsTheFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, size int) string {
		line := "# " + strings.Repeat("c", 97) + "\n" // 100 bytes
		text := strings.Repeat(line, size/len(line)) + strings.Repeat("#", size%len(line))
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if _, err := Load(write("at.yaml", limits.ConfigBytes), nil); err != nil && strings.Contains(err.Error(), "ConfigBytes") {
		t.Errorf("file at the limit: %v", err)
	}
	_, err := Load(write("over.yaml", limits.ConfigBytes+1), nil)
	if !errors.Is(err, snapshot.ErrBadInput) || !strings.Contains(err.Error(), "configuration file longer than 1 MiB (limits.ConfigBytes") {
		t.Errorf("file over the limit: %v", err)
	}
}
