package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
)

// The first frame appears in a real pty and shows the credentials step:
// nothing before it (sandbox start, network) may fail or block it. How fast
// it appears, beside a bare huh form, is BenchmarkFirstFrame's business.
func TestStartupFirstFrame(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	wizard := binary(t, ".")
	screen, _ := firstFrame(t, wizard, []string{"--sandbox"}, "Step 1 · Credentials")
	for _, want := range []string{"SANDBOX", "AccountKey"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the first frame lacks %q:\n%s", want, screen)
		}
	}
}

// BenchmarkFirstFrame is the time from start until the first screen is
// readable in an 80×24 pty, for the wizard and for a bare huh form with the
// same fields built on the same module versions (testdata/barehuh): the
// figure behind CONTRIBUTING.md's first-frame row. Run it with:
//
//	go test -run '^$' -bench FirstFrame -benchtime 9x .
func BenchmarkFirstFrame(b *testing.B) {
	for _, bc := range []struct {
		name, pkg, marker string
		args              []string
	}{
		{"wizard", ".", "Step 1 · Credentials", []string{"--sandbox"}},
		{"bare_huh", "./testdata/barehuh", "AccountKey", nil},
	} {
		bin := binary(b, bc.pkg)
		b.Run(bc.name, func(b *testing.B) {
			var total time.Duration
			for b.Loop() {
				_, took := firstFrame(b, bin, bc.args, bc.marker)
				total += took
			}
			// The wall time of a loop includes each process's exit; the
			// figure that matters is start to first frame.
			b.ReportMetric(float64(total.Microseconds())/float64(b.N)/1000, "ms-to-frame")
		})
	}
}

var (
	buildMu sync.Mutex
	built   = map[string]string{} // package → binary
)

// binary builds pkg once per test run, into the temporary home TestMain
// made (removed when the tests end), and returns the binary's path.
func binary(t testing.TB, pkg string) string {
	t.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	if out, ok := built[pkg]; ok {
		return out
	}
	dir, err := os.MkdirTemp(os.Getenv("HOME"), "bin-")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "telegent-onboard")
	cmd := exec.Command("go", "build", "-o", out, pkg)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, b)
	}
	built[pkg] = out
	return out
}

// firstFrame starts bin in a pty and returns how long until the screen
// shows marker, as a terminal emulator reads it.
func firstFrame(t testing.TB, bin string, args []string, marker string) (screen string, took time.Duration) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color", "NO_COLOR=")
	start := time.Now()
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 80})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		_, _ = f.Write([]byte{3}) // ctrl+c
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		f.Close()
	}()
	emu := vt.NewEmulator(80, 24)
	go func() { _, _ = io.Copy(io.Discard, emu) }() // its answers to queries go nowhere
	defer func() { _ = emu.InputPipe().(io.Closer).Close() }()
	chunks := make(chan []byte, 64)
	go func() {
		for {
			buf := make([]byte, 16<<10)
			n, err := f.Read(buf)
			if n > 0 {
				chunks <- buf[:n]
			}
			if err != nil {
				close(chunks)
				return
			}
		}
	}()
	deadline := time.After(10 * time.Second)
	var seen bytes.Buffer
	for {
		select {
		case chunk, ok := <-chunks:
			if !ok {
				t.Fatalf("%s exited before showing %q:\n%s", bin, marker, seen.String())
			}
			seen.Write(chunk)
			_, _ = emu.Write(chunk)
			if screen := emu.String(); strings.Contains(screen, marker) {
				return screen, time.Since(start)
			}
		case <-deadline:
			t.Fatalf("%s never showed %q; screen:\n%s", bin, marker, emu.String())
		}
	}
}
