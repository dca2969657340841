package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
)

// The first frame must appear about as fast as a bare huh form's: nothing
// slow (sandbox start, network) may run before it. Both programs are built,
// started in an 80×24 pty several times, and timed from start until their
// first screen is readable; the medians are compared.
func TestStartupFirstFrame(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two binaries")
	}
	dir := t.TempDir()
	wizard := build(t, dir, ".", "telegent-onboard")
	bare := build(t, dir, "./testdata/barehuh", "barehuh")

	const runs = 9
	var wizTimes, bareTimes []time.Duration
	for range runs { // interleaved, so load affects both alike
		wizTimes = append(wizTimes, firstFrame(t, wizard, []string{"--sandbox"}, "Step 1 · Credentials"))
		bareTimes = append(bareTimes, firstFrame(t, bare, nil, "AccountKey"))
	}
	wiz, base := median(wizTimes), median(bareTimes)
	t.Logf("first frame, median of %d in a pty: wizard %v, bare huh form %v", runs, wiz.Round(100*time.Microsecond), base.Round(100*time.Microsecond))
	if limit := 2*base + 25*time.Millisecond; wiz > limit {
		t.Errorf("the wizard's first frame takes %v, a bare huh form's %v: something slow runs before it (limit %v)", wiz, base, limit)
	}
}

func build(t *testing.T, dir, pkg, name string) string {
	t.Helper()
	out := filepath.Join(dir, name)
	cmd := exec.Command("go", "build", "-o", out, pkg)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, b)
	}
	return out
}

// firstFrame starts bin in a pty and returns how long until the screen
// shows marker, as a terminal emulator reads it.
func firstFrame(t *testing.T, bin string, args []string, marker string) time.Duration {
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
			if strings.Contains(emu.String(), marker) {
				return time.Since(start)
			}
		case <-deadline:
			t.Fatalf("%s never showed %q; screen:\n%s", bin, marker, emu.String())
		}
	}
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}
