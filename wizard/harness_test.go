package wizard_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/sandbox"
	"github.com/telegent/telegent-onboard/wizard"
	"github.com/telegent/telegent-onboard/wizard/internal/termtest"
)

// terminal is the shared harness (termtest) with the wizard's own waits.
type terminal struct {
	*termtest.Terminal
	t  *testing.T
	tm *teatest.TestModel
}

func startTerminal(t *testing.T, m tea.Model, width, height int) *terminal {
	t.Helper()
	tt := termtest.Start(t, m, width, height)
	return &terminal{Terminal: tt, t: t, tm: tt.TM}
}

func (term *terminal) screen() string              { return term.Screen() }
func (term *terminal) waitFor(fragments ...string) { term.t.Helper(); term.WaitFor(fragments...) }
func (term *terminal) enter(n int)                 { term.Enter(n) }
func (term *terminal) key(k tea.KeyPressMsg)       { term.Key(k) }

// retypeSecret types over a masked input: there is no text to wait for.
func (term *terminal) retypeSecret(s string) {
	term.Retype(s)
	term.settle()
}

// retype types s over the focused input and, where it is shown, waits
// until it is on screen, so the next key is not pressed on a frame from
// before it. (A masked field shows no text to wait for.)
func (term *terminal) retype(s string) {
	term.Retype(s)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(term.screen(), s) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond) // polling interval, bounded by the deadline
	}
	term.settle()
}

var (
	keyEsc   = tea.KeyPressMsg{Code: tea.KeyEscape}
	keyCtrlC = tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	keyCtrlT = tea.KeyPressMsg{Code: 't', Mod: tea.ModCtrl}
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
