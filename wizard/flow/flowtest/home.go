// Package flowtest keeps tests away from the user's files: every package
// whose tests can reach the session directory runs them under Main, with
// HOME and XDG_CONFIG_HOME pointing at a fresh temporary directory.
package flowtest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Main runs the package's tests with a temporary home and exits with their
// status. The go tool's own caches stay where they were, so a test that
// builds the binary does not rebuild the world in the empty home.
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	keepGoToolDirs()
	home, err := os.MkdirTemp("", "telegent-test-home-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "flowtest: no temporary home:", err)
		return 1
	}
	defer os.RemoveAll(home)
	for k, v := range map[string]string{
		"HOME":            home,
		"XDG_CONFIG_HOME": filepath.Join(home, ".config"),
		"XDG_CACHE_HOME":  filepath.Join(home, ".cache"),
		"XDG_DATA_HOME":   filepath.Join(home, ".local", "share"),
		"XDG_STATE_HOME":  filepath.Join(home, ".local", "state"),
	} {
		os.Setenv(k, v)
	}
	return m.Run()
}

// keepGoToolDirs pins the go tool's cache, module and settings directories
// to where they are before HOME moves: their defaults are derived from it.
func keepGoToolDirs() {
	pin := func(key string, def func() (string, error), sub ...string) {
		if os.Getenv(key) != "" {
			return
		}
		if dir, err := def(); err == nil {
			os.Setenv(key, filepath.Join(append([]string{dir}, sub...)...))
		}
	}
	pin("GOCACHE", os.UserCacheDir, "go-build")
	pin("GOPATH", os.UserHomeDir, "go")
	pin("GOENV", os.UserConfigDir, "go", "env")
}
