package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/telegent/telegent-onboard/api/sandbox"
)

// noSecrets fails when a trace holds a secret: the AccountSecret, a
// password, a route's password token, or any bearer token.
func noSecrets(t *testing.T, trace string, secrets ...string) {
	t.Helper()
	for _, s := range append(secrets, sandbox.DemoAccountSecret, "passwordORbearerToken", "1234567890") {
		if strings.Contains(trace, s) {
			t.Errorf("the trace holds the secret %q", s)
		}
	}
	for _, m := range regexp.MustCompile(`"(?i:token|password|accountsecret|\w*passwordtoken)":\s*"([^"]*)"`).FindAllStringSubmatch(trace, -1) {
		if m[1] != "[REDACTED]" && m[1] != "" {
			t.Errorf("the trace shows %s", m[0])
		}
	}
	if strings.Contains(trace, "Bearer ") && !strings.Contains(trace, "Bearer [redacted]") {
		t.Error("the trace shows a bearer token")
	}
}

// --debug on a headless run and TELEGENT_DEBUG=1 on cleanup write the
// redacted trace to stderr.
func TestDebugTraceOnHeadlessAndCleanup(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", dir)
	run, err := sandbox.Start("127.0.0.1:0", sandbox.Options{OrderDelay: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	for k, v := range map[string]string{envBaseURL: run.URL, envAccountKey: sandbox.DemoAccountKey,
		envAccountSecret: sandbox.DemoAccountSecret, envAccountID: sandbox.DemoAccountID, envDebug: ""} {
		t.Setenv(k, v)
	}
	state := filepath.Join(dir, "s.json")
	_, stderr, code, err := runHeadlessCmd(t, "--non-interactive", "--answers", "testdata/answers.yaml", "--state", state, "--debug")
	if code != 0 {
		t.Fatalf("exit %d: %v\n%s", code, err, stderr)
	}
	for _, want := range []string{"--> POST " + run.URL + "/oauth2/tokens", `"token": "[REDACTED]"`, "--> POST " + run.URL + "/numbers/provision",
		`"MessagePasswordToken": "[REDACTED]"`, `"Password": "[REDACTED]"`, "<-- 200"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the trace lacks %q", want)
		}
	}
	noSecrets(t, stderr)

	t.Setenv(envDebug, "1")
	r := runSessionCmd(t, nil, "cleanup", "--state", state, "--yes")
	if r.err != nil {
		t.Fatalf("cleanup: %v\n%s", r.err, r.stderr)
	}
	if !strings.Contains(r.stderr, "--> POST "+run.URL+"/message/routes/delete") {
		t.Errorf("TELEGENT_DEBUG=1 cleanup wrote no trace:\n%s", r.stderr)
	}
	noSecrets(t, r.stderr)

	t.Setenv(envDebug, "0")
	if r := runSessionCmd(t, nil, "export", "--state", state); strings.Contains(r.stderr, "debug:") {
		t.Errorf("TELEGENT_DEBUG=0 still debugs: %s", r.stderr)
	}
}

// listen --debug traces each call it receives, credentials redacted.
func TestDebugTraceOnListen(t *testing.T) {
	var stdout, stderr syncBuffer
	cmd := newRootCmd(&stdout, &stderr)
	cmd.SetArgs([]string{"listen", "--addr", "127.0.0.1:0", "--json", "--auth", "bearer:hook-s3cret", "--debug"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	re := regexp.MustCompile(`Listening on (http://127\.0\.0\.1:\d+/telegent/messages)`)
	var url string
	for deadline := time.Now().Add(10 * time.Second); url == ""; time.Sleep(5 * time.Millisecond) {
		if m := re.FindStringSubmatch(stderr.String()); m != nil {
			url = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("listen never printed its URL:\n%s", stderr.String())
		}
	}
	req, _ := http.NewRequest("POST", url, strings.NewReader(`{"Message_ID":"TMID-7","Message_Body":"hi"}`))
	req.Header.Set("Authorization", "Bearer hook-s3cret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(stderr.String(), "TMID-7"); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no trace of the call on stderr:\n%s", stderr.String())
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	trace := stderr.String()
	if !strings.Contains(trace, "<-- POST /telegent/messages") || !strings.Contains(trace, "Bearer [redacted]") {
		t.Errorf("trace:\n%s", trace)
	}
	noSecrets(t, trace, "hook-s3cret")
}

// The full-screen wizard's trace file: beside the session file, 0600.
func TestDebugFileBesideTheSession(t *testing.T) {
	dir := t.TempDir()
	f, path, err := (&rootFlags{}).debugFile(filepath.Join(dir, "sessions", "s.json"))
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if want := filepath.Join(dir, "sessions", "telegent-onboard-debug.log"); path != want {
		t.Errorf("trace file %s, want %s", path, want)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("trace file: %v, mode %v", err, info.Mode().Perm())
	}
	custom := filepath.Join(dir, "mine.log")
	f, path, err = (&rootFlags{debugPath: custom}).debugFile(filepath.Join(dir, "s.json"))
	if err != nil || path != custom {
		t.Fatalf("--debug-file: %s, %v", path, err)
	}
	f.Close()
}
