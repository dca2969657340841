package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/telegent/telegent-onboard/api/sandbox"
)

// syncBuffer is a bytes.Buffer safe to read while a command writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startSandboxCmd runs `telegent-onboard sandbox` in-process on a free port
// and returns its base URL once it prints it.
func startSandboxCmd(t *testing.T, args ...string) (baseURL string, out *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out = &syncBuffer{}
	cmd := newRootCmd(out, out)
	cmd.SetArgs(append([]string{"sandbox", "--addr", "127.0.0.1:0"}, args...))
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("sandbox command: %v", err)
		}
		if !strings.Contains(out.String(), "Sandbox stopped.") {
			t.Errorf("no goodbye on stop:\n%s", out)
		}
	})
	re := regexp.MustCompile(`Base URL\s+(http://127\.0\.0\.1:\d+/v1\.0)`)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m[1], out
		}
		select {
		case err := <-done:
			t.Fatalf("sandbox command ended early: %v\n%s", err, out)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the sandbox never printed its base URL:\n%s", out)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestSandboxCommandPrintsWhatANewcomerNeeds(t *testing.T) {
	base, out := startSandboxCmd(t)
	for _, want := range []string{sandbox.DemoAccountKey, sandbox.DemoAccountSecret, sandbox.DemoAccountID, "/_sandbox/resources"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the banner lacks %q:\n%s", want, out)
		}
	}
	resp, err := http.Get(strings.TrimSuffix(base, "/v1.0") + "/_sandbox/info")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var info map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&info); err != nil {
		t.Fatal(err)
	}
	if info["AccountId"] != sandbox.DemoAccountID || info["BaseURL"] != base {
		t.Errorf("info = %v, want account %s at %s", info, sandbox.DemoAccountID, base)
	}
}

func TestSandboxFlagsReachTheServer(t *testing.T) {
	base, _ := startSandboxCmd(t, "--rate-limit", "2", "--order-delay", "0")
	body := `{"AccountKey":"sandbox-key","AccountSecret":"sandbox-secret"}`
	var last int
	for range 3 {
		resp, err := http.Post(base+"/oauth2/tokens", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		last = resp.StatusCode
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("third request in a minute with --rate-limit 2: status %d, want 429", last)
	}
}

func TestBadFlagsAreUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sandbox", "--fault-rate", "2"}, "--fault-rate must be between 0 and 1"},
		{[]string{"sandbox", "--addr", "8089"}, "must be host:port"},
		{[]string{"sandbox", "--latency", "soon"}, "invalid argument"},
		{[]string{"--base-url", "http://api.telegent.com"}, "must use https"},
	} {
		var out bytes.Buffer
		cmd := newRootCmd(&out, &out)
		cmd.SetArgs(tc.args)
		err := cmd.Execute()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want one saying %q", tc.args, err, tc.want)
			continue
		}
		if code := exitCode(err); code != exitUsage {
			t.Errorf("%v: exit code %d, want %d", tc.args, code, exitUsage)
		}
	}
}

// Without a terminal the wizard says so at once instead of hanging.
func TestWizardWithoutATerminalSaysWhatToDo(t *testing.T) {
	var out bytes.Buffer
	cmd := newRootCmd(&out, &out)
	cmd.SetArgs([]string{"--sandbox"})
	done := make(chan error, 1)
	go func() { done <- cmd.Execute() }()
	select {
	case err := <-done:
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != exitUsage || !strings.Contains(err.Error(), "interactive terminal") {
			t.Errorf("got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the wizard waited for a terminal that is not there")
	}
}

// The README's curl walk-through works as written against the sandbox
// command: it is extracted from README.md and run with bash.
func TestReadmeWalkthroughRunsAsWritten(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the walk-through needs %s: %v", tool, err)
		}
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- walkthrough -->\\s*```bash\\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no ```bash block after <!-- walkthrough -->")
	}
	base, _ := startSandboxCmd(t, "--order-delay", "0")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", string(m[1]))
	cmd.Env = append(os.Environ(), "BASE="+base)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the walk-through failed: %v\n%s", err, out)
	}
	for _, want := range []string{"MRID-", "CRID-", "TSUID-", "JNUOID-", "NID-", `"OrderStatus": "Complete"`, "TMID-"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("walk-through output lacks %q:\n%s", want, out)
		}
	}
}

func TestAccessibleModeFromTheEnvironment(t *testing.T) {
	t.Setenv("TERM", "xterm-256color")
	for value, want := range map[string]bool{"": false, "0": false, "false": false, "1": true, "true": true, "yes": true} {
		t.Setenv("ACCESSIBLE", value)
		if got := (&uiFlags{}).accessibleMode(); got != want {
			t.Errorf("ACCESSIBLE=%q: accessible %v, want %v", value, got, want)
		}
	}
	t.Setenv("ACCESSIBLE", "")
	if !(&uiFlags{accessible: true}).accessibleMode() {
		t.Error("--accessible ignored")
	}
	t.Setenv("TERM", "dumb")
	if !(&uiFlags{}).accessibleMode() {
		t.Error("TERM=dumb does not choose plain prompts")
	}
}
