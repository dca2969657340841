package wizard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/charmbracelet/x/vt"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/sandbox"
	"github.com/telegent/telegent-onboard/wizard"
)

// terminal runs the wizard as a real Bubble Tea program (teatest) and feeds
// everything it draws into a terminal emulator, so tests wait for and read
// the screen a person would see, whatever the renderer's diffing does.
type terminal struct {
	t    *testing.T
	tm   *teatest.TestModel
	mu   sync.Mutex
	emu  *vt.Emulator
	stop chan struct{}
	done chan struct{}
}

func startTerminal(t *testing.T, m tea.Model, width, height int) *terminal {
	t.Helper()
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(width, height),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	term := &terminal{t: t, tm: tm, emu: vt.NewEmulator(width, height), stop: make(chan struct{}), done: make(chan struct{})}
	go func() { _, _ = io.Copy(io.Discard, term.emu) }() // the emulator's answers to queries go nowhere
	go term.pump()
	t.Cleanup(func() {
		_ = tm.Quit()
		tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
		close(term.stop)
		<-term.done
		// Closing the emulator's input pipe ends the drain goroutine (Close
		// itself races with Read inside vt).
		_ = term.emu.InputPipe().(io.Closer).Close()
	})
	return term
}

func (term *terminal) pump() {
	defer close(term.done)
	buf := make([]byte, 32<<10)
	out := term.tm.Output()
	for {
		n, _ := out.Read(buf)
		if n > 0 {
			// A real tty maps LF to CRLF on output (ONLCR); the emulator
			// gets what the tty driver would pass on.
			chunk := bytes.ReplaceAll(buf[:n], []byte("\n"), []byte("\r\n"))
			term.mu.Lock()
			_, _ = term.emu.Write(chunk)
			term.mu.Unlock()
			continue
		}
		select {
		case <-term.stop:
			return
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// screen is the visible text.
func (term *terminal) screen() string {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.emu.String()
}

// waitFor polls the screen until every fragment is on it.
func (term *terminal) waitFor(fragments ...string) {
	term.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		s := term.screen()
		ok := true
		for _, f := range fragments {
			if !strings.Contains(s, f) {
				ok = false
				break
			}
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("screen never showed %q; it shows:\n%s", fragments, s)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (term *terminal) enter(n int) {
	for range n {
		term.tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	}
}

func (term *terminal) key(k tea.KeyPressMsg) { term.tm.Send(k) }

// retype clears the focused input and types s.
func (term *terminal) retype(s string) {
	term.tm.Send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	term.tm.Type(s)
}

var (
	keyEsc   = tea.KeyPressMsg{Code: tea.KeyEscape}
	keyCtrlC = tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	keyDown  = tea.KeyPressMsg{Code: tea.KeyDown}
)

func char(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Text: string(r)} }

// finalModel waits for the program to end and returns the root.
func (term *terminal) finalModel() *wizard.Model {
	term.t.Helper()
	return term.tm.FinalModel(term.t, teatest.WithFinalTimeout(15*time.Second)).(*wizard.Model)
}

// sandboxEnv is an in-process sandbox for one test.
type sandboxEnv struct {
	url string
	srv *httptest.Server
}

func newSandbox(t *testing.T, opts sandbox.Options) *sandboxEnv {
	t.Helper()
	sb := sandbox.New(opts)
	srv := httptest.NewServer(sb)
	t.Cleanup(func() { srv.Close(); sb.Close() })
	return &sandboxEnv{url: srv.URL + "/v1.0", srv: srv}
}

// resources counts what the sandbox holds, by kind.
func (s *sandboxEnv) resources(t *testing.T) map[string][]map[string]any {
	t.Helper()
	resp, err := http.Get(s.srv.URL + "/_sandbox/resources")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string][]map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// create makes a resource behind the wizard's back (to provoke conflicts).
func (s *sandboxEnv) client(t *testing.T) *api.Client {
	t.Helper()
	c, err := api.New(s.url, api.Credentials{AccountKey: sandbox.DemoAccountKey, AccountSecret: sandbox.DemoAccountSecret}, api.WithRateLimit(100000))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Authenticate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return c
}

// demoWizard is the --sandbox wizard against this sandbox.
func (s *sandboxEnv) demoWizard() wizard.Options {
	return wizard.Options{
		Sandbox:           true,
		StartSandbox:      func() (string, error) { return s.url, nil },
		Credentials:       api.Credentials{AccountKey: sandbox.DemoAccountKey, AccountSecret: sandbox.DemoAccountSecret},
		AccountID:         sandbox.DemoAccountID,
		ClientOptions:     []api.Option{api.WithRateLimit(100000), api.WithRetry(3, time.Millisecond, 5*time.Millisecond)},
		OrderPollInterval: 10 * time.Millisecond,
		DemoSuffix:        "test",
	}
}
