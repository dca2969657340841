package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"

	"github.com/telegent/telegent-onboard/api/sandbox"
)

// ptyRun is the binary in a real terminal, with what it printed so far.
type ptyRun struct {
	t   *testing.T
	cmd *exec.Cmd
	f   *os.File
	mu  sync.Mutex
	out bytes.Buffer
}

func startPty(t *testing.T, args ...string) *ptyRun {
	t.Helper()
	cmd := exec.Command(binary(t, "."), args...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "TERM=dumb")
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		t.Fatal(err)
	}
	r := &ptyRun{t: t, cmd: cmd, f: f}
	go func() {
		buf := make([]byte, 8192)
		for {
			n, err := f.Read(buf)
			r.mu.Lock()
			r.out.Write(buf[:n])
			r.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		f.Close()
	})
	return r
}

func (r *ptyRun) text() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return ansi.Strip(r.out.String())
}

// prompt waits until the output stops at a prompt (no newline after it)
// that says want, and returns that prompt line; "" once the output says
// end instead.
func (r *ptyRun) prompt(after int, want, end string) (string, int) {
	r.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		text := r.text()
		if end != "" && strings.Contains(text, end) {
			return "", len(text)
		}
		if len(text) > after && !strings.HasSuffix(text, "\n") && !strings.HasSuffix(text, "\r") {
			last := text[strings.LastIndexAny(text, "\r\n")+1:]
			if strings.Contains(last, want) {
				return last, len(text)
			}
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("no prompt %q; output:\n%s", want, text)
		}
		time.Sleep(5 * time.Millisecond) // polling interval, bounded by the deadline
	}
}

// eventually reports whether the output comes to hold want, waiting for
// what is still in the pty after the process ended.
func (r *ptyRun) eventually(want string) bool {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if strings.Contains(r.text(), want) {
			return true
		}
		time.Sleep(5 * time.Millisecond) // polling interval, bounded by the deadline
	}
	return strings.Contains(r.text(), want)
}

func (r *ptyRun) exitCode(within time.Duration) int {
	r.t.Helper()
	done := make(chan error, 1)
	go func() { done <- r.cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			r.t.Fatal(err)
		}
		return 0
	case <-time.After(within):
		r.t.Fatalf("still running after %v; output:\n%s", within, r.text())
	}
	return -1
}

// --accessible walks the whole sandbox flow with plain prompts in a real
// terminal, as a screen reader user would: the AccountSecret and the
// subscriber Password are typed at their (masked) prompts, Enter keeps
// every other value, and the run reaches the summary. No typed secret
// appears in the output, no block art is drawn, and the eSIM QR code is a
// file.
func TestAccessibleModeWalksTheFlowWithPlainPrompts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	state := filepath.Join(t.TempDir(), "session.json")
	r := startPty(t, "--accessible", "--sandbox", "--state", state)
	const typedPassword = "typed-password-7781"
	seen := 0
	deadline := time.Now().Add(90 * time.Second)
	for !strings.Contains(r.text(), "All seven steps are done") {
		if time.Now().After(deadline) {
			t.Fatalf("the accessible run did not finish; output:\n%s", r.text())
		}
		last, n := r.prompt(seen, ":", "All seven steps are done")
		seen = n
		if last == "" {
			break
		}
		answer := "\r"
		switch {
		case strings.HasPrefix(last, "AccountSecret"):
			if !strings.Contains(last, "Enter keeps the one given") {
				t.Errorf("the secret prompt does not say Enter keeps it: %q", last)
			}
			answer = "sandbox-secret\r"
		case strings.HasPrefix(last, "Password"):
			answer = typedPassword + "\r"
		}
		if _, err := r.f.Write([]byte(answer)); err != nil {
			t.Fatal(err)
		}
	}
	if code := r.exitCode(30 * time.Second); code != 0 {
		t.Fatalf("exit %d; output:\n%s", code, r.text())
	}
	r.eventually("MessageId              TMID-") // the summary, last out of the pty
	text := r.text()
	for _, want := range []string{"SANDBOX at http://127.0.0.1:", "Step 2 of 7: Message route", "RouteName. A name you will recognise. Enter keeps Demo SMS Webhook",
		"Enter a number between", "Creating the message route…", "Provisioning the number…", "eSIM activation string: LPA:1$",
		"The eSIM QR code is saved as a picture: ", "Delivery confirmed", "Reply from", "All seven steps are done",
		"MessageRouteId (MRID)", "MessageId", "TMID-"} {
		if !strings.Contains(text, want) {
			t.Errorf("the accessible run never showed %q", want)
		}
	}
	if strings.Contains(r.out.String(), "\x1b[?1049h") || strings.ContainsAny(text, "▀▄█") {
		t.Error("accessible mode drew a full screen or block art")
	}
	for _, secret := range []string{"sandbox-secret", typedPassword} {
		if strings.Contains(text, secret) {
			t.Errorf("a typed secret was echoed: %q", secret)
		}
	}
	qr := text[strings.Index(text, "saved as a picture: ")+len("saved as a picture: "):]
	qr = strings.TrimSpace(qr[:strings.IndexAny(qr, "\r\n")])
	if png, err := os.ReadFile(qr); err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("the QR file %s is not a PNG: %v", qr, err)
	}
	if t.Failed() {
		t.Logf("output:\n%s", text)
	}
}

// ctrl+c at a prompt, even a masked one, ends the run with 130 at once and
// leaves the terminal echoing again; ctrl+d likewise.
func TestAccessibleInterruptAtAPrompt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	for _, tc := range []struct {
		name, key, at string
	}{
		{"ctrl+c at the secret", "\x03", "AccountSecret"},
		{"ctrl+c at a text prompt", "\x03", "AccountKey"},
		{"ctrl+d at a text prompt", "\x04", "AccountKey"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := startPty(t, "--accessible", "--sandbox")
			seen := 0
			for {
				last, n := r.prompt(seen, ":", "")
				seen = n
				if strings.HasPrefix(last, tc.at) {
					break
				}
				_, _ = r.f.Write([]byte("\r"))
			}
			if _, err := r.f.Write([]byte(tc.key)); err != nil {
				t.Fatal(err)
			}
			if code := r.exitCode(10 * time.Second); code != 130 {
				t.Fatalf("exit %d, want 130; output:\n%s", code, r.text())
			}
			state, err := getTermios(r.f)
			if err != nil {
				t.Skipf("cannot read the terminal's state: %v", err)
			}
			if !state.echo {
				t.Error("the terminal was left with echo off")
			}
		})
	}
}

// Starting over in accessible mode keeps the old session as a backup and
// begins again at step 2 (it once renamed the file twice and failed).
func TestAccessibleStartOver(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	sb, err := sandbox.Start("127.0.0.1:0", sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	t.Setenv(envBaseURL, sb.URL)
	t.Setenv(envAccountKey, sandbox.DemoAccountKey)
	t.Setenv(envAccountSecret, sandbox.DemoAccountSecret)
	t.Setenv(envAccountID, sandbox.DemoAccountID)
	dir := t.TempDir()
	state := filepath.Join(dir, "session.json")
	answers := map[string]string{"RouteName": "r", "MessageUrl": "https://example.com/hook", "MessageUsername": "u", "MessagePasswordToken": "p"}
	answer := func(last string) string {
		for field, value := range answers {
			if strings.HasPrefix(last, field+".") || strings.HasPrefix(last, field+":") {
				return value + "\r"
			}
		}
		return "\r"
	}

	first := startPty(t, "--accessible", "--state", state)
	seen := 0
	for !strings.Contains(first.text(), "== Step 3 of 7") {
		last, n := first.prompt(seen, ":", "== Step 3 of 7")
		seen = n
		if last == "" {
			break
		}
		_, _ = first.f.Write([]byte(answer(last)))
	}
	_, _ = first.f.Write([]byte{3}) // at step 3 the route is saved: the move on waits for it
	if code := first.exitCode(10 * time.Second); code != 130 {
		t.Fatalf("exit %d\n%s", code, first.text())
	}

	second := startPty(t, "--accessible", "--state", state)
	seen = 0
	for !strings.Contains(second.text(), "== Step 2 of 7") {
		last, n := second.prompt(seen, ":", "== Step 2 of 7")
		seen = n
		if last == "" {
			break
		}
		reply := answer(last)
		if strings.Contains(second.text(), "Resume the earlier session?") && strings.HasPrefix(last, "Enter a number between 1 and 3") {
			reply = "2\r" // Start over
		}
		_, _ = second.f.Write([]byte(reply))
	}
	_, _ = second.f.Write([]byte{3})
	second.exitCode(10 * time.Second)
	second.eventually("The earlier session is kept as")
	text := second.text()
	if !strings.Contains(text, "Resume the earlier session?") || !strings.Contains(text, "The earlier session is kept as") {
		t.Errorf("no start over:\n%s", text)
	}
	backups, _ := filepath.Glob(filepath.Join(dir, "session.*.bak.json"))
	if len(backups) != 1 {
		t.Errorf("%d backups of the old session, want 1; output:\n%s", len(backups), text)
	}
	if strings.Contains(text, "Error") {
		t.Errorf("starting over failed:\n%s", text)
	}
}

// --debug in accessible mode writes the redacted trace to the debug file
// and says where it is when the run ends.
func TestAccessibleDebugTrace(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	trace := filepath.Join(t.TempDir(), "trace.log")
	r := startPty(t, "--accessible", "--sandbox", "--debug", "--debug-file", trace)
	seen := 0
	for !strings.Contains(r.text(), "== Step 3 of 7") {
		last, n := r.prompt(seen, ":", "== Step 3 of 7")
		seen = n
		if last == "" {
			break
		}
		answer := "\r"
		if strings.HasPrefix(last, "AccountSecret") {
			answer = "sandbox-secret\r"
		}
		_, _ = r.f.Write([]byte(answer))
	}
	_, _ = r.f.Write([]byte{3})
	r.exitCode(10 * time.Second)
	data, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte("/v1.0/message/routes")) || bytes.Contains(data, []byte("sandbox-secret")) {
		t.Errorf("trace: has the route request %v, has the secret %v", bytes.Contains(data, []byte("/v1.0/message/routes")), bytes.Contains(data, []byte("sandbox-secret")))
	}
	// The process has exited; its last lines may still be on their way
	// through the pty.
	if !r.eventually(trace) {
		t.Errorf("the trace's path is not said:\n%s", r.text())
	}
}
