package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/telegent/telegent-onboard/api/webhook"
	"github.com/telegent/telegent-onboard/api/webhook/check"
	"github.com/telegent/telegent-onboard/api/webhook/check/checktest"
)

const hookPath = "/telegent/messages"

// webhookCA makes a test CA and points the command at it through
// $TELEGENT_WEBHOOK_CA_FILE, the way a private CA would be added.
func webhookCA(t *testing.T) *checktest.CA {
	t.Helper()
	ca := checktest.NewCA(t)
	file := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(file, ca.PEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(envWebhookCAFile, file)
	t.Setenv(envWebhookAuth, "")
	return ca
}

// statusesOf is a --json checklist as "id=status" pairs.
func statusesOf(t *testing.T, stdout string) (check.Report, string) {
	t.Helper()
	var rep check.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("--json output is not one JSON object: %v\n%s", err, stdout)
	}
	var parts []string
	for _, r := range rep.Checks {
		parts = append(parts, r.ID+"="+string(r.Status))
	}
	return rep, strings.Join(parts, " ")
}

// Each kind of endpoint through the real command: the checklist it prints
// as JSON and the exit status.
func TestWebhookTestCommand(t *testing.T) {
	ca := webhookCA(t)
	const all = "url=pass dns=pass tcp=pass tls=pass event/inbound=pass event/delivery-report=pass refuse/inbound=pass refuse/delivery-report=pass"
	const tlsFails = "url=pass dns=pass tcp=pass tls=fail event/inbound=skip event/delivery-report=skip refuse/inbound=skip refuse/delivery-report=skip"
	redirect := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://elsewhere.example.test/hooks", http.StatusMovedPermanently)
	})
	fail500 := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "database down", http.StatusInternalServerError)
	})
	for _, tc := range []struct {
		name   string
		srv    func() *httptest.Server
		args   []string
		want   string
		code   int
		detail string // in the first failed or warned check's detail
	}{
		{"good POST basic", func() *httptest.Server {
			return checktest.TLSServer(t, webhook.NewReceiver(hookPath, webhook.Auth{Kind: "basic", User: "hooks", Pass: "pw-basic-1"}), ca.Valid(t, "127.0.0.1"))
		}, []string{"--auth", "basic:hooks:pw-basic-1", "--sandbox"}, all, 0, ""},
		{"good GET bearer", func() *httptest.Server {
			return checktest.TLSServer(t, webhook.NewReceiver(hookPath, webhook.Auth{Kind: "bearer", Token: "tok-bearer-1"}), ca.Valid(t, "127.0.0.1"))
		}, []string{"--auth", "bearer:tok-bearer-1", "--method", "GET", "--sandbox"}, all, 0, ""},
		{"good, live: loopback warns", func() *httptest.Server {
			return checktest.TLSServer(t, webhook.NewReceiver(hookPath, webhook.Auth{Kind: "bearer", Token: "tok-bearer-1"}), ca.Valid(t, "127.0.0.1"))
		}, []string{"--auth", "bearer:tok-bearer-1", "--kind", "inbound"}, "url=pass dns=warn tcp=pass tls=pass event/inbound=pass refuse/inbound=pass", 0, "loopback"},
		{"expired certificate", func() *httptest.Server {
			return checktest.TLSServer(t, webhook.NewReceiver(hookPath, webhook.Auth{Kind: "none"}), ca.Expired(t, "127.0.0.1"))
		}, []string{"--sandbox"}, tlsFails, 1, "expired"},
		{"certificate for another name", func() *httptest.Server {
			return checktest.TLSServer(t, webhook.NewReceiver(hookPath, webhook.Auth{Kind: "none"}), ca.Valid(t, "other.example.test"))
		}, []string{"--sandbox"}, tlsFails, 1, "other.example.test"},
		{"500", func() *httptest.Server { return checktest.TLSServer(t, fail500, ca.Valid(t, "127.0.0.1")) },
			[]string{"--sandbox", "--auth", "bearer:tok-bearer-1"},
			"url=pass dns=pass tcp=pass tls=pass event/inbound=fail event/delivery-report=fail refuse/inbound=skip refuse/delivery-report=skip", 1, "500"},
		{"slow past the timeout", func() *httptest.Server { return checktest.Slow(t, ca.Valid(t, "127.0.0.1")) },
			[]string{"--sandbox", "--timeout", "200ms", "--kind", "delivery-report", "--auth", "bearer:tok-bearer-1"},
			"url=pass dns=pass tcp=pass tls=pass event/delivery-report=fail refuse/delivery-report=skip", 1, "no answer within 200ms"},
		{"redirect", func() *httptest.Server { return checktest.TLSServer(t, redirect, ca.Valid(t, "127.0.0.1")) },
			[]string{"--sandbox", "--kind", "inbound", "--auth", "basic:hooks:pw-basic-1"},
			"url=pass dns=pass tcp=pass tls=pass event/inbound=fail refuse/inbound=skip", 1, "https://elsewhere.example.test/hooks"},
		{"accepts wrong credentials", func() *httptest.Server {
			return checktest.TLSServer(t, webhook.NewReceiver(hookPath, webhook.Auth{Kind: "none"}), ca.Valid(t, "127.0.0.1"))
		}, []string{"--sandbox", "--auth", "basic:hooks:pw-basic-1"},
			"url=pass dns=pass tcp=pass tls=pass event/inbound=pass event/delivery-report=pass refuse/inbound=fail refuse/delivery-report=fail", 1, "fake messages"},
		{"no authentication warns", func() *httptest.Server {
			return checktest.TLSServer(t, webhook.NewReceiver(hookPath, webhook.Auth{Kind: "none"}), ca.Valid(t, "127.0.0.1"))
		}, []string{"--sandbox", "--auth", "none", "--kind", "inbound"},
			"url=pass dns=pass tcp=pass tls=pass event/inbound=pass refuse/inbound=warn", 0, "anyone"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := tc.srv()
			args := append([]string{"webhook", "test", srv.URL + hookPath, "--json"}, tc.args...)
			stdout, stderr, code, err := runHeadlessCmd(t, args...)
			rep, got := statusesOf(t, stdout)
			if got != tc.want || code != tc.code {
				t.Fatalf("exit %d (%v), want %d\n got %s\nwant %s\n%s%s", code, err, tc.code, got, tc.want, stdout, stderr)
			}
			if rep.OK != (tc.code == 0) {
				t.Errorf("ok = %v with exit %d", rep.OK, code)
			}
			for _, r := range rep.Checks {
				if r.Status == check.StatusFail || r.Status == check.StatusWarn {
					if r.Remedy == "" {
						t.Errorf("%s: %s without a remedy", r.ID, r.Status)
					}
					if tc.detail != "" && !strings.Contains(r.Detail, tc.detail) {
						t.Errorf("%s: detail %q lacks %q", r.ID, r.Detail, tc.detail)
					}
					break
				}
			}
			for _, secret := range []string{"pw-basic-1", "tok-bearer-1"} {
				if strings.Contains(stdout+stderr, secret) {
					t.Errorf("the secret %q was printed:\n%s%s", secret, stdout, stderr)
				}
			}
		})
	}
}

// Without --json: one line per check with its mark, a remedy under a
// failure, and a summary.
func TestWebhookTestCommandPrintsAChecklist(t *testing.T) {
	ca := webhookCA(t)
	srv := checktest.TLSServer(t, webhook.NewReceiver(hookPath, webhook.Auth{Kind: "none"}), ca.Valid(t, "127.0.0.1"))
	stdout, stderr, code, err := runHeadlessCmd(t, "webhook", "test", srv.URL+hookPath, "--auth", "basic:hooks:pw-basic-1")
	if code != 1 || err == nil {
		t.Fatalf("exit %d, want 1\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{
		"Testing " + srv.URL + hookPath, "auth basic:hooks:****",
		"✓ URL is https: https\n",
		"! Host resolves to a public address: an IP address → 127.0.0.1 (loopback)",
		"✓ TLS certificate and version: TLS 1.3",
		"✓ Inbound message answered 2xx: 200 OK",
		"✗ Inbound message with wrong credentials refused: accepted (200 OK)",
		"    → Check the Authorization header",
		"5 passed, 1 warning, 2 failed, 0 skipped.",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the checklist lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout+stderr+err.Error(), "pw-basic-1") || !strings.Contains(err.Error(), "2 checks failed") {
		t.Errorf("error %q; stdout:\n%s", err, stdout)
	}
}

func TestWebhookUsageErrors(t *testing.T) {
	webhookCA(t)
	u := "https://127.0.0.1:9/x" // never reached: every case stops at its flags
	for _, args := range [][]string{
		{"webhook", "test"},
		{"webhook", "test", u, u},
		{"webhook", "test", u, "--auth", "basic:onlyuser"},
		{"webhook", "test", u, "--auth", "digest:x"},
		{"webhook", "test", u, "--auth", "bearer:" + strings.Repeat("t", 5000)},
		{"webhook", "test", u, "--method", "PUT"},
		{"webhook", "test", u, "--kind", "voice"},
		{"webhook", "test", u, "--timeout", "0s"},
		{"webhook", "test", u, "--timeout", "10m"},
		{"webhook", "test", u, "--nope"},
		{"webhook", "test", "https://x.example.test/" + strings.Repeat("a", 3000)},
		{"webhook", "nope"},
		{"webhook", "send", u},
		{"webhook", "send", u, "--kind", "both"},
		{"webhook", "send", u, "--kind", "inbound", "--status", "Failed"},
		{"webhook", "send", u, "--kind", "delivery-report", "--body", "hi"},
		{"webhook", "send", u, "--kind", "inbound", "--from", "12345"},
		{"webhook", "send", u, "--kind", "inbound", "--to", "+1 801 555"},
		{"webhook", "send", u, "--kind", "inbound", "--body", strings.Repeat("b", 1601)},
		{"webhook", "send", u, "--kind", "inbound", "--message-id", "TMID with spaces"},
		{"webhook", "send", u, "--kind", "delivery-report", "--status", "\x1b[2J"},
		{"webhook", "send", "http://hooks.example.test/x", "--kind", "inbound"},
	} {
		stdout, stderr, code, err := runHeadlessCmd(t, args...)
		if code != exitUsage {
			t.Errorf("%.80q: exit %d (%v), want %d\n%s%s", args, code, err, exitUsage, stdout, stderr)
		}
	}
	t.Setenv(envWebhookCAFile, filepath.Join(t.TempDir(), "missing.pem"))
	if _, _, code, err := runHeadlessCmd(t, "webhook", "test", u); code != exitUsage || !strings.Contains(err.Error(), envWebhookCAFile) {
		t.Errorf("a missing CA file: exit %d, %v", code, err)
	}
}

// webhook send, received by the project's own receiver as `listen` runs
// it: the event arrives with the fields sent.
func TestWebhookSendReachesTheListenReceiver(t *testing.T) {
	webhookCA(t)
	auth := webhook.Auth{Kind: "basic", User: "hooks", Pass: "pw-basic-1"}
	run, err := webhook.Start("127.0.0.1:0", hookPath, auth)
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()

	stdout, stderr, code, err := runHeadlessCmd(t, "webhook", "send", run.URL, "--kind", "inbound", "--auth", "basic:hooks:pw-basic-1",
		"--from", "+18015557777", "--to", "+12015550123", "--body", "STOP please", "--message-id", "TMID-TEST-42")
	if code != 0 {
		t.Fatalf("exit %d: %v\n%s%s", code, err, stdout, stderr)
	}
	evs := run.Receiver.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events arrived", len(evs))
	}
	e := evs[0]
	if e.Kind != webhook.KindInbound || !e.Authorized || e.Method != "POST" || e.MessageID != "TMID-TEST-42" || e.From != "+18015557777" ||
		e.To != "+12015550123" || e.Owner != "+12015550123" || e.Body != "STOP please" || e.Segments != 1 || !bytes.Contains(e.Raw, []byte(`"Test":true`)) {
		t.Errorf("received %+v\n%s", e, e.Raw)
	}
	for _, want := range []string{"POST " + run.URL, "auth basic:hooks:****", `"Message_Body":"STOP please"`, "← 200 OK in ", `{"ok":true}`} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}

	// A delivery report by GET with the defaults: a TMID-TEST- ID.
	stdout, stderr, code, err = runHeadlessCmd(t, "webhook", "send", run.URL, "--kind", "delivery-report", "--method", "get",
		"--auth", "basic:hooks:pw-basic-1", "--status", "Failed")
	if code != 0 {
		t.Fatalf("exit %d: %v\n%s%s", code, err, stdout, stderr)
	}
	e = run.Receiver.Events()[1]
	if e.Kind != webhook.KindDelivery || e.Method != "GET" || e.Status != "Failed" || !strings.HasPrefix(e.MessageID, check.TestIDPrefix) ||
		e.From != check.DefaultNumber || e.To != check.DefaultPeer || !strings.Contains(e.Query, "Test=true") {
		t.Errorf("received %+v", e)
	}

	// Wrong credentials: the 401 is shown, and the exit status is 1.
	stdout, stderr, code, err = runHeadlessCmd(t, "webhook", "send", run.URL, "--kind", "inbound", "--auth", "basic:hooks:wrong-pw-2")
	if code != 1 || !strings.Contains(stdout, "401 Unauthorized") || err == nil || !strings.Contains(err.Error(), "2xx") || strings.Contains(stdout+stderr, "wrong-pw-2") {
		t.Errorf("exit %d (%v)\n%s%s", code, err, stdout, stderr)
	}
	for _, e := range run.Receiver.Events() {
		if strings.Contains(e.Header.Get("Authorization"), "pw") {
			t.Errorf("the receiver kept a credential: %v", e.Header)
		}
	}
}

// TELEGENT_WEBHOOK_AUTH gives --auth without putting the secret on the
// command line, and --help never shows it.
func TestWebhookAuthFromTheEnvironment(t *testing.T) {
	webhookCA(t)
	t.Setenv(envWebhookAuth, "bearer:tok-from-env")
	run, err := webhook.Start("127.0.0.1:0", hookPath, webhook.Auth{Kind: "bearer", Token: "tok-from-env"})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	stdout, stderr, code, err := runHeadlessCmd(t, "webhook", "send", run.URL, "--kind", "inbound")
	if code != 0 || !strings.Contains(stdout, "auth bearer:****") {
		t.Fatalf("exit %d: %v\n%s%s", code, err, stdout, stderr)
	}
	stdout, _, _, _ = runHeadlessCmd(t, "webhook", "test", "--help")
	if strings.Contains(stdout, "tok-from-env") {
		t.Errorf("--help shows the token:\n%s", stdout)
	}
}

// The built binary: exit statuses as a shell sees them, with the CA given
// through the environment.
func TestWebhookBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := binary(t, ".")
	ca := checktest.NewCA(t)
	caFile := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, ca.PEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	good := checktest.TLSServer(t, webhook.NewReceiver(hookPath, webhook.Auth{Kind: "bearer", Token: "tok-bin-1"}), ca.Valid(t, "127.0.0.1"))
	expired := checktest.TLSServer(t, webhook.NewReceiver(hookPath, webhook.Auth{Kind: "bearer", Token: "tok-bin-1"}), ca.Expired(t, "127.0.0.1"))
	env := []string{"HOME=" + t.TempDir(), "XDG_CONFIG_HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH"), envWebhookCAFile + "=" + caFile}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"webhook", "test", good.URL + hookPath, "--auth", "bearer:tok-bin-1", "--sandbox"}, 0, "8 passed, 0 warnings, 0 failed"},
		{[]string{"webhook", "test", good.URL + hookPath, "--auth", "bearer:tok-bin-1", "--method", "GET", "--kind", "inbound"}, 0, "✓ Inbound message with wrong credentials refused: refused: 401"},
		{[]string{"webhook", "test", expired.URL + hookPath, "--auth", "bearer:tok-bin-1"}, 1, "✗ TLS certificate and version: the certificate expired on"},
		{[]string{"webhook", "send", good.URL + hookPath, "--kind", "delivery-report", "--auth", "bearer:tok-bin-1"}, 0, "← 200 OK"},
		{[]string{"webhook", "test", good.URL + hookPath, "--method", "DELETE"}, 2, ""},
	} {
		cmd := exec.Command(bin, tc.args...)
		cmd.Env = env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tc.code || !strings.Contains(stdout.String(), tc.want) || strings.Contains(stdout.String()+stderr.String(), "tok-bin-1") {
			t.Errorf("%v: exit %d, want %d with %q\n%s%s", tc.args[1:3], code, tc.code, tc.want, stdout.String(), stderr.String())
		}
	}
}

// A long answer is read up to a bound and shown shorter still; escape
// sequences in it never reach the terminal.
func TestWebhookSendShowsABoundedAnswer(t *testing.T) {
	ca := webhookCA(t)
	srv := checktest.TLSServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusAccepted)
		w.Write([]byte("\x1b]0;owned\x07" + strings.Repeat("y", 10<<10)))
	}), ca.Valid(t, "127.0.0.1"))
	stdout, stderr, code, err := runHeadlessCmd(t, "webhook", "send", srv.URL+hookPath, "--kind", "inbound")
	if code != 0 {
		t.Fatalf("exit %d: %v\n%s%s", code, err, stdout, stderr)
	}
	if !strings.Contains(stdout, "← 202 Accepted") || !strings.Contains(stdout, "the first 4096 shown") || strings.ContainsAny(stdout, "\x1b\x07") {
		t.Errorf("output:\n%.600q", stdout)
	}
	if n := strings.Count(stdout, "y"); n > 4200 {
		t.Errorf("%d bytes of the answer shown", n)
	}
}
