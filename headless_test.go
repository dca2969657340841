package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/telegent/telegent-onboard/api/sandbox"
	"github.com/telegent/telegent-onboard/api/webhook"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// sandboxResources reads GET /_sandbox/resources.
func sandboxResources(t *testing.T, run *sandbox.Running) sandbox.Resources {
	t.Helper()
	resp, err := http.Get("http://" + run.Addr + "/_sandbox/resources")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var res sandbox.Resources
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		t.Fatal(err)
	}
	return res
}

func headlessEnv(baseURL string) []string {
	env := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TELEGENT_") {
			env = append(env, kv)
		}
	}
	return append(env, envBaseURL+"="+baseURL, envAccountKey+"="+sandbox.DemoAccountKey,
		envAccountSecret+"="+sandbox.DemoAccountSecret, envAccountID+"="+sandbox.DemoAccountID)
}

// The headless run as a real process, SIGKILLed during each create (once
// the state file shows the step in flight, while the sandbox's latency
// holds the request), then run again: every resource exists exactly once
// and the final --json summary holds every ID.
func TestHeadlessKillAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := binary(t, ".")
	run, err := sandbox.Start("127.0.0.1:0", sandbox.Options{Latency: 150 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	state := filepath.Join(dir, "session.json")
	args := []string{"--non-interactive", "--answers", "testdata/answers.yaml", "--state", state, "--json"}
	env := headlessEnv(run.URL)

	for _, step := range []flow.Step{flow.MessageRoute, flow.VoiceRoute, flow.Subscriber, flow.Provision, flow.TestMessage} {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		var stderr syncBuffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		deadline := time.Now().Add(20 * time.Second)
		for {
			if s, err := flow.LoadSession(state); err == nil && s.Status(step) == flow.InFlight {
				break
			}
			select {
			case err := <-exited:
				t.Fatalf("the run ended before %v was in flight: %v\n%s", step.Title(), err, stderr.String())
			default:
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatalf("%v never in flight:\n%s", step.Title(), stderr.String())
			}
			time.Sleep(2 * time.Millisecond)
		}
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		<-exited
		t.Logf("killed during %s", step.Title())
	}

	cmd := exec.Command(bin, args...)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("the last run: %v\n%s", err, stderr.String())
	}
	var sum flow.RunSummary
	if err := json.Unmarshal(stdout.Bytes(), &sum); err != nil {
		t.Fatalf("--json output: %v\n%s", err, stdout.String())
	}
	res := sandboxResources(t, run)
	if len(res.MessageRoutes) != 1 || len(res.VoiceRoutes) != 1 || len(res.Subscribers) != 1 || len(res.Numbers) != 1 || len(res.Messages) != 1 {
		t.Fatalf("sandbox holds %d message routes, %d voice routes, %d subscribers, %d numbers, %d messages; want one each\n%s",
			len(res.MessageRoutes), len(res.VoiceRoutes), len(res.Subscribers), len(res.Numbers), len(res.Messages), stderr.String())
	}
	for name, pair := range map[string][2]string{
		"MessageRouteId": {sum.MessageRouteId, res.MessageRoutes[0].MessageRouteId},
		"VoiceRouteId":   {sum.VoiceRouteId, res.VoiceRoutes[0].CallRouteId},
		"SubscriberId":   {sum.SubscriberId, res.Subscribers[0].SubscriberId},
		"PhoneNumber":    {sum.PhoneNumber, res.Numbers[0].Number},
		"PhoneNumberId":  {sum.PhoneNumberId, res.Numbers[0].TNID},
		"OrderId":        {sum.OrderId, res.Numbers[0].OrderId},
		"MessageId":      {sum.MessageId, res.Messages[0].MessageId},
	} {
		if pair[0] == "" || pair[0] != pair[1] {
			t.Errorf("summary %s = %q, sandbox has %q", name, pair[0], pair[1])
		}
	}
	for k, st := range sum.Steps {
		if st != flow.Done {
			t.Errorf("step %s is %s", k, st)
		}
	}
	checkStateFile(t, state)
}

// checkStateFile: mode 0600 and none of the secrets the runs used.
func checkStateFile(t *testing.T, path string) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v, want 0600", info.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	for _, secret := range []string{sandbox.DemoAccountSecret, "passwordORbearerToken", `"1234567890"`} {
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("the state file holds the secret %s", secret)
		}
	}
}

// runHeadlessCmd runs the root command in-process and returns stdout, stderr and
// the exit code main would use.
func runHeadlessCmd(t *testing.T, args ...string) (string, string, int, error) {
	t.Helper()
	var stdout, stderr syncBuffer
	cmd := newRootCmd(&stdout, &stderr)
	cmd.SetArgs(args)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := cmd.ExecuteContext(ctx)
	code := 0
	if err != nil {
		code = exitCode(err)
	}
	return stdout.String(), stderr.String(), code, err
}

func TestHeadlessWithTheBuiltInSandbox(t *testing.T) {
	state := filepath.Join(t.TempDir(), "s.json")
	stdout, stderr, code, err := runHeadlessCmd(t, "--non-interactive", "--answers", "testdata/answers.yaml", "--sandbox", "--json", "--state", state)
	if code != 0 {
		t.Fatalf("exit %d: %v\n%s", code, err, stderr)
	}
	var sum flow.RunSummary
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	for name, id := range map[string]string{"MRID-": sum.MessageRouteId, "CRID-": sum.VoiceRouteId, "TSUID-": sum.SubscriberId,
		"NID-": sum.PhoneNumberId, "JNUOID-": sum.OrderId, "TMID-": sum.MessageId, "+1": sum.PhoneNumber} {
		if !strings.HasPrefix(id, name) {
			t.Errorf("summary ID %q, want %s…", id, name)
		}
	}
	steps := 0
	for _, line := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(line, "✓ ") || strings.HasPrefix(line, "– ") {
			steps++
		}
	}
	if sum.OrderStatus != "Complete" || steps != flow.NumSteps {
		t.Errorf("order %s; progress:\n%s", sum.OrderStatus, stderr)
	}
	checkStateFile(t, state)
}

// The quickstart's bodies pasted as an answers file, with its // comments,
// trailing commas and "PhoneNumbers": [""], run from start to end.
func TestHeadlessTakesTheQuickstartAsWritten(t *testing.T) {
	answers := filepath.Join(t.TempDir(), "quickstart.json")
	if err := os.WriteFile(answers, []byte(`{
  "MessageRoute": {
    "RouteName": "Main SMS Webhook",
    "MessageUrl": "https://apiendpoint.com",
    "MessageUrlMethod": "POST", // the webhook's method
  },
  "Availability": {"NumberType": "mobile", "MessageType": "p2p", "MessageEnabled": true, "VoiceEnabled": false, "PageNumber": 1, "AreaCode": "201", "ZipCode": ""},
  "Subscriber": {"Name": "Jerome User 4", "Email": "jerome4@joonto.com", "PhoneNumbers": [""], "Role": "Subscriber", "Password": "1234567890"},
  "Provision": {"NumberType": "mvno", "MessageType": "p2p", "MessageEnabled": true, "VoiceEnabled": false, "ProductType": "sms+data", /* carried */},
  "Message": {"To": [{"Number": "+18015737111"}], "Body": "Hello there!!!"},
}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code, err := runHeadlessCmd(t, "--non-interactive", "--answers", answers, "--sandbox")
	if code != 0 {
		t.Fatalf("exit %d: %v\n%s", code, err, stderr)
	}
}

// Bad input stops before any API call (no server runs here at all: the
// base URL points at a closed port) with the file, step, field and what is
// expected, and exit code 2.
func TestHeadlessBadInputIsAUsageError(t *testing.T) {
	dir := t.TempDir()
	for k, v := range map[string]string{envBaseURL: "http://127.0.0.1:1", envAccountKey: "k", envAccountSecret: "s", envAccountID: "AID-1"} {
		t.Setenv(k, v)
	}
	example, err := os.ReadFile("testdata/answers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	badZip := write("zip.yaml", strings.Replace(string(example), "ProductType: Sms+Data+Voice", "ProductType: Sms+Data+Voice\n  ZipCode: XXXXX", 1))
	unknown := write("unknown.yaml", strings.Replace(string(example), "Trunk1Priortiy: 10", "Trunk1Priority: 10", 1))
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"no answers", []string{"--non-interactive"}, []string{"--non-interactive needs --answers FILE"}},
		{"unreadable", []string{"--non-interactive", "--answers", filepath.Join(dir, "nope.yaml")}, []string{"nope.yaml: cannot read the answers file"}},
		{"unknown key", []string{"--non-interactive", "--answers", unknown}, []string{"unknown.yaml:", "VoiceRoute.Trunk1Priority: unknown field", `did you mean "Trunk1Priortiy"`}},
		{"refused field", []string{"--non-interactive", "--answers", badZip}, []string{`zip.yaml:`, `Provision.ZipCode: must be exactly 5 digits (a US zip code like 84043), got "XXXXX"`}},
		{"json without headless", []string{"--json"}, []string{"--json, --account-key and --check-webhooks go with --non-interactive"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, code, err := runHeadlessCmd(t, append(tc.args, "--state", filepath.Join(dir, "state.json"))...)
			if code != exitUsage || err == nil {
				t.Fatalf("exit %d: %v", code, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "state.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("bad input wrote a state file: %v", err)
	}
}

// Missing credentials are a usage error naming the variables.
func TestHeadlessNeedsCredentialsFromTheEnvironment(t *testing.T) {
	for _, k := range []string{envAccountKey, envAccountSecret, envAccountID} {
		t.Setenv(k, "")
	}
	t.Setenv(envBaseURL, "http://127.0.0.1:1")
	_, _, code, err := runHeadlessCmd(t, "--non-interactive", "--answers", "testdata/answers.yaml", "--state", filepath.Join(t.TempDir(), "s.json"))
	if code != exitUsage || err == nil || !strings.Contains(err.Error(), envAccountSecret) || !strings.Contains(err.Error(), "--account-key") {
		t.Errorf("exit %d: %v", code, err)
	}
}

// An API failure names the step and the remedy, with its own exit code.
func TestHeadlessAuthFailureExitCode(t *testing.T) {
	run, err := sandbox.Start("127.0.0.1:0", sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	t.Setenv(envBaseURL, run.URL)
	t.Setenv(envAccountSecret, "wrong")
	t.Setenv(envAccountID, sandbox.DemoAccountID)
	_, _, code, err := runHeadlessCmd(t, "--non-interactive", "--answers", "testdata/answers.yaml", "--account-key", sandbox.DemoAccountKey,
		"--state", filepath.Join(t.TempDir(), "s.json"))
	if code != exitAuth || err == nil || !strings.Contains(err.Error(), "credentials:") || !strings.Contains(err.Error(), "What to do:") {
		t.Errorf("exit %d: %v", code, err)
	}
}

// holdAfterCreate passes requests to the sandbox; for one create path it
// carries the create out, reports it, and withholds the answer until the
// client goes away: the moment between "created" and "recorded".
type holdAfterCreate struct {
	h       http.Handler
	mu      sync.Mutex
	path    string
	created chan struct{}
}

func (p *holdAfterCreate) hold(path string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.path = path
}

func (p *holdAfterCreate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	hold := r.Method == http.MethodPost && p.path != "" && strings.EqualFold(r.URL.Path, p.path)
	if hold {
		p.path = ""
	}
	p.mu.Unlock()
	if !hold {
		p.h.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	p.h.ServeHTTP(rec, r)
	p.created <- struct{}{}
	<-r.Context().Done()
}

// The headless run as a real process, SIGKILLed after each create was
// carried out but before its answer arrived: a re-run adopts each resource
// instead of creating it again; the subscriber, which the API cannot look
// up, stops the run with the unknown-outcome code and the way to finish,
// and naming Subscriber.SubscriberId finishes it.
func TestHeadlessKilledAfterCreateAdoptsOnResume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := binary(t, ".")
	run, err := sandbox.Start("127.0.0.1:0", sandbox.Options{Latency: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	proxy := &holdAfterCreate{h: run.Server, created: make(chan struct{}, 1)}
	srv := httptest.NewServer(proxy)
	defer srv.Close()
	state := filepath.Join(dir, "session.json")
	answers := "testdata/answers.yaml"
	env := headlessEnv(srv.URL + "/v1.0")
	start := func() (*exec.Cmd, *syncBuffer, *syncBuffer, chan error) {
		cmd := exec.Command(bin, "--non-interactive", "--answers", answers, "--state", state, "--json")
		cmd.Env = env
		var stdout, stderr syncBuffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		return cmd, &stdout, &stderr, exited
	}

	for _, tc := range []struct {
		step flow.Step
		path string
	}{
		{flow.MessageRoute, "/v1.0/message/routes"},
		{flow.VoiceRoute, "/v1.0/voice/routes"},
		{flow.Subscriber, "/v1.0/subscribers/create"},
		{flow.Provision, "/v1.0/numbers/provision"},
		{flow.TestMessage, "/v1.0/message/outbound"},
	} {
		proxy.hold(tc.path)
		cmd, _, stderr, exited := start()
		select {
		case <-proxy.created:
		case err := <-exited:
			t.Fatalf("the run ended before creating the %s: %v\n%s", tc.step.Title(), err, stderr)
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("no %s created:\n%s", tc.step.Title(), stderr)
		}
		cmd.Process.Kill()
		<-exited
		if s, err := flow.LoadSession(state); err != nil || s.Status(tc.step) != flow.InFlight {
			t.Fatalf("after a kill during the %s: %v, %v", tc.step.Title(), s.Status(tc.step), err)
		}
		if tc.step == flow.Subscriber {
			_, _, stderr, exited := start()
			err := <-exited
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != exitUnknownOutcome ||
				!strings.Contains(stderr.String(), "Subscriber.SubscriberId") {
				t.Fatalf("resume after a created subscriber: %v\n%s", err, stderr)
			}
			id := sandboxResources(t, run).Subscribers[0].SubscriberId
			example, _ := os.ReadFile("testdata/answers.yaml")
			answers = filepath.Join(dir, "answers.yaml")
			fixed := strings.Replace(string(example), "Subscriber:\n", "Subscriber:\n  SubscriberId: "+id+"\n", 1)
			if err := os.WriteFile(answers, []byte(fixed), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}

	_, stdout, stderr, exited := start()
	if err := <-exited; err != nil {
		t.Fatalf("the last run: %v\n%s", err, stderr)
	}
	var sum flow.RunSummary
	if err := json.Unmarshal([]byte(stdout.String()), &sum); err != nil {
		t.Fatalf("--json output: %v\n%s", err, stdout)
	}
	res := sandboxResources(t, run)
	if len(res.MessageRoutes) != 1 || len(res.VoiceRoutes) != 1 || len(res.Subscribers) != 1 || len(res.Numbers) != 1 || len(res.Messages) != 1 {
		t.Fatalf("sandbox holds %d message routes, %d voice routes, %d subscribers, %d numbers, %d messages; want one each\n%s",
			len(res.MessageRoutes), len(res.VoiceRoutes), len(res.Subscribers), len(res.Numbers), len(res.Messages), stderr)
	}
	if sum.MessageRouteId != res.MessageRoutes[0].MessageRouteId || sum.VoiceRouteId != res.VoiceRoutes[0].CallRouteId ||
		sum.SubscriberId != res.Subscribers[0].SubscriberId || sum.PhoneNumberId != res.Numbers[0].TNID ||
		sum.OrderId != res.Numbers[0].OrderId || sum.MessageId != res.Messages[0].MessageId {
		t.Errorf("summary %+v does not match the sandbox %+v", sum, res)
	}
	checkStateFile(t, state)
}

// Input that could exhaust memory, hang, or slip past the field checks is
// refused with exit 2 before anything is sent: a device, a FIFO nobody
// writes to, a file over 1 MiB, and a field over its bound. A sandbox
// stands by to prove nothing was created.
func TestHeadlessRefusesUnboundedInput(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", dir)
	run, err := sandbox.Start("127.0.0.1:0", sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	for k, v := range map[string]string{envBaseURL: run.URL, envAccountKey: sandbox.DemoAccountKey,
		envAccountSecret: sandbox.DemoAccountSecret, envAccountID: sandbox.DemoAccountID} {
		t.Setenv(k, v)
	}
	example, err := os.ReadFile("testdata/answers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	withBody := func(name string, n int) string {
		p := filepath.Join(dir, name)
		text := strings.Replace(string(example), "Body: Hello there!!!", "Body: "+strings.Repeat("x", n), 1)
		if text == string(example) {
			t.Fatal("testdata/answers.yaml has no 'Body: Hello there!!!' to replace")
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fifo := filepath.Join(dir, "answers.fifo")
	if err := mkfifo(fifo); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		t.Fatal(err)
	} else if err != nil {
		fifo = "" // this OS has no named pipes: that case is skipped
	}
	for _, tc := range []struct {
		name, file string
		want       []string
	}{
		{"device", deviceFile, []string{deviceFile + ": is not a regular file (a character device)"}},
		{"fifo without a writer", fifo, []string{"answers.fifo: is not a regular file (a FIFO)"}},
		{"10 MB body", withBody("huge.yaml", 10<<20), []string{"huge.yaml: is ", "at most 1048576 (1 MiB)"}},
		{"body over 1,600 characters", withBody("long.yaml", 1601), []string{"long.yaml:", "Message.Body: must be at most 1600 characters, got 1601"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.file == "" {
				t.Skip("no such file on " + runtime.GOOS)
			}
			type result struct {
				code int
				err  error
			}
			done := make(chan result, 1)
			go func() {
				_, _, code, err := runHeadlessCmd(t, "--non-interactive", "--answers", tc.file, "--state", filepath.Join(dir, "state.json"))
				done <- result{code, err}
			}()
			var r result
			select {
			case r = <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("the run did not return: it is blocked on the answers file")
			}
			if r.code != exitUsage || r.err == nil {
				t.Fatalf("exit %d: %v", r.code, r.err)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.err.Error(), w) {
					t.Errorf("error %q lacks %q", r.err, w)
				}
			}
		})
	}
	res := sandboxResources(t, run)
	if n := len(res.MessageRoutes) + len(res.VoiceRoutes) + len(res.Subscribers) + len(res.Numbers) + len(res.Messages); n != 0 {
		t.Errorf("bad input created %d resources", n)
	}
}

// holdPath passes requests to a sandbox, except one path, which it holds
// until the client goes away, reporting that it arrived.
type holdPath struct {
	h        http.Handler
	method   string
	path     string
	once     sync.Once
	arrived  chan struct{}
	released atomic.Bool
}

func (p *holdPath) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !p.released.Load() && r.Method == p.method && r.URL.Path == p.path {
		// Read the body first: only then does net/http notice the client
		// going away and end the request's context.
		_, _ = io.Copy(io.Discard, r.Body)
		p.once.Do(func() { close(p.arrived) })
		<-r.Context().Done()
		return
	}
	p.h.ServeHTTP(w, r)
}

// SIGINT during a headless run exits 130 after saving, also in the middle
// of a create (which the next run looks up) and of the availability search
// (which is not an unknown outcome: it created nothing). The next run
// finishes with one of everything.
func TestHeadlessSIGINTExits130AfterSaving(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := binary(t, ".")
	for _, tc := range []struct {
		method, path string
		step         flow.Step
		wantStatus   flow.Status // of the interrupted step, in the saved session
	}{
		{"POST", "/v1.0/numbers/availability", flow.Availability, flow.Pending}, // a search creates nothing: nothing to settle,
		{"POST", "/v1.0/subscribers/create", flow.Subscriber, flow.Unknown},
	} {
		t.Run(tc.path, func(t *testing.T) {
			sb := sandbox.New(sandbox.Options{OrderDelay: 10 * time.Millisecond})
			hold := &holdPath{h: sb, method: tc.method, path: tc.path, arrived: make(chan struct{})}
			srv := httptest.NewServer(hold)
			defer func() { srv.Close(); sb.Close() }()
			state := filepath.Join(t.TempDir(), "session.json")
			args := []string{"--non-interactive", "--answers", "testdata/answers.yaml", "--state", state, "--json"}
			env := append(headlessEnv(srv.URL+"/v1.0"), "HOME="+dir, "XDG_CONFIG_HOME="+dir)

			cmd := exec.Command(bin, args...)
			cmd.Env = env
			var stderr syncBuffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			select {
			case <-hold.arrived:
			case err := <-exited:
				t.Fatalf("the run ended before %s: %v\n%s", tc.path, err, stderr.String())
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("%s never arrived:\n%s", tc.path, stderr.String())
			}
			if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
			var err error
			select {
			case err = <-exited:
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("SIGINT did not end the run:\n%s", stderr.String())
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 130 {
				t.Fatalf("exit %v, want 130\n%s", err, stderr.String())
			}
			if out := stderr.String(); !strings.Contains(out, "session is saved") || strings.Contains(out, "create it twice") {
				t.Errorf("stderr:\n%s", out)
			}
			s, lerr := flow.LoadSession(state)
			if lerr != nil {
				t.Fatal(lerr)
			}
			if s.Status(flow.MessageRoute) != flow.Done || s.Status(tc.step) != tc.wantStatus {
				t.Errorf("saved: message route %v, %s %v (want %v)", s.Status(flow.MessageRoute), tc.step.Title(), s.Status(tc.step), tc.wantStatus)
			}

			// Resume without the hold: one of everything.
			hold.released.Store(true)
			again := exec.Command(bin, args...)
			again.Env = env
			if out, err := again.CombinedOutput(); err != nil {
				t.Fatalf("resume: %v\n%s", err, out)
			}
			res := sb.Resources()
			if len(res.MessageRoutes) != 1 || len(res.Subscribers) != 1 || len(res.Numbers) != 1 || len(res.Messages) != 1 {
				t.Errorf("after resuming: %d message routes, %d subscribers, %d numbers, %d messages; want one each",
					len(res.MessageRoutes), len(res.Subscribers), len(res.Numbers), len(res.Messages))
			}
		})
	}
}

// --check-webhooks proves the route's webhooks first: an endpoint that
// checks the route's credentials lets the run go on; one nobody listens on
// stops it with exit 5 before anything is created.
func TestHeadlessChecksWebhooksBeforeCreatingTheRoute(t *testing.T) {
	hook, err := webhook.Start("127.0.0.1:0", "/hooks", webhook.Auth{Kind: "basic", User: "admin", Pass: "hook-pass-1"})
	if err != nil {
		t.Fatal(err)
	}
	defer hook.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String() + "/hooks"
	l.Close() // nobody listens there now

	answers := func(url string) string {
		p := filepath.Join(t.TempDir(), "answers.yaml")
		text := `MessageRoute: {RouteName: Checked, MessageUrl: "` + url + `", MessageUrlMethod: POST,
  MessageAuthenticationType: Basic, MessageUsername: admin, MessagePasswordToken: hook-pass-1}
Availability: {NumberType: mobile, MessageEnabled: true, VoiceEnabled: false, AreaCode: "201"}
Subscriber: {Name: Nora Checked, Email: checked@example.com, Role: Subscriber, Password: "12345678"}
Provision: {NumberType: mvno, MessageType: p2p, MessageEnabled: true, VoiceEnabled: false, ProductType: Sms+Data}
Message: {To: [{Number: "+18015737111"}], Body: hi}
`
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}

	_, stderr, code, err := runHeadlessCmd(t, "--non-interactive", "--sandbox", "--check-webhooks", "--answers", answers(closed))
	if code != exitRefused || !strings.Contains(stderr, "✗ MessageUrl") || err == nil || !strings.Contains(err.Error(), "nothing was created") {
		t.Fatalf("exit %d (%v)\n%s", code, err, stderr)
	}
	if strings.Contains(stderr, "✓ message route") {
		t.Errorf("the route was created after a failed check:\n%s", stderr)
	}

	_, stderr, code, err = runHeadlessCmd(t, "--non-interactive", "--sandbox", "--check-webhooks", "--answers", answers(hook.URL))
	if code != 0 {
		t.Fatalf("a good webhook: exit %d (%v)\n%s", code, err, stderr)
	}
	for _, want := range []string{"✓ MessageUrl: ", "✓ message route"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("progress lacks %q:\n%s", want, stderr)
		}
	}
}

// A wait the server asks for (429 with Retry-After) is one line on stderr,
// so a log shows why the run paused; the run then goes on.
func TestHeadlessSaysWhyItWaits(t *testing.T) {
	sb := sandbox.New(sandbox.Options{OrderDelay: 0})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		busy := false
		if r.URL.Path == "/v1.0/numbers/availability" {
			once.Do(func() { busy = true })
		}
		if busy {
			w.Header().Set("Retry-After", "1")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"StatusCode": 429, "Message": "Too many requests"}`))
			return
		}
		sb.ServeHTTP(w, r)
	}))
	defer func() { srv.Close(); sb.Close() }()
	t.Setenv(envBaseURL, srv.URL+"/v1.0")
	t.Setenv(envAccountKey, sandbox.DemoAccountKey)
	t.Setenv(envAccountSecret, sandbox.DemoAccountSecret)
	t.Setenv(envAccountID, sandbox.DemoAccountID)
	_, stderr, code, err := runHeadlessCmd(t, "--non-interactive", "--answers", "testdata/answers.yaml", "--state", filepath.Join(t.TempDir(), "s.json"))
	if code != 0 {
		t.Fatalf("exit %d: %v\n%s", code, err, stderr)
	}
	if !strings.Contains(stderr, "Waiting 1 s: Telegent answered 429 Too Many Requests and asked to retry later") {
		t.Errorf("the wait is not explained:\n%s", stderr)
	}
}
