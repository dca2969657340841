package flow

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/sandbox"
)

// The secrets a test flow uses. Quotes and dollars check the quoting.
const (
	testMessagePW  = `mr-Pa$$'w"rd-1`
	testCallbackPW = `cb-$(echo pwned)'-2`
	testVoicePW    = "voice-s3cret-3"
	testSubPW      = `sub'pass$word-4`
)

var testSecrets = []string{testMessagePW, testCallbackPW, testVoicePW, testSubPW, sandbox.DemoAccountSecret}

func startSandbox(t *testing.T, opts sandbox.Options) *sandbox.Running {
	t.Helper()
	opts.RateLimit = -1
	run, err := sandbox.Start("127.0.0.1:0", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { run.Close() })
	return run
}

func sandboxClient(t *testing.T, url string, opts ...api.Option) *api.Client {
	t.Helper()
	c, err := api.New(url, api.Credentials{AccountKey: sandbox.DemoAccountKey, AccountSecret: sandbox.DemoAccountSecret},
		append([]api.Option{api.WithRateLimit(6000)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// runFlow drives the seven steps against a sandbox with the client and the
// session's builders and recorders, as the wizard does.
func runFlow(t *testing.T, c *api.Client, url string, voice bool) *Session {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	now := time.Now()
	s := NewSession(url, sandbox.DemoAccountID, now)
	s.RecordCredentials(sandbox.DemoAccountID, nil, now)
	d := DemoDefaults("", "export-test")
	d.MessageRoute.RouteName = "Joe's SMS hook"
	d.MessageRoute.MessagePasswordToken = testMessagePW
	d.MessageRoute.CallbackMessagePasswordToken = testCallbackPW

	mr := s.MessageRouteRequest(d.MessageRoute)
	mrResp, err := c.CreateMessageRoute(ctx, mr)
	must(t, err)
	s.RecordMessageRoute(mr, mrResp, nil, now)

	if voice {
		d.VoiceRoute.VoiceUrl = "https://voice.example.com/hook"
		d.VoiceRoute.VoiceAuthenticationType = api.AuthBearer
		d.VoiceRoute.VoicePasswordToken = testVoicePW
		vr := s.VoiceRouteRequest(d.VoiceRoute)
		vrResp, err := c.CreateVoiceRoute(ctx, vr)
		must(t, err)
		s.RecordVoiceRoute(vr, vrResp, nil, now)
	} else {
		s.SkipVoiceRoute(now)
	}

	av, err := c.SearchAvailability(ctx, d.Availability)
	must(t, err)
	s.RecordAvailability(d.Availability, av, nil, now)
	s.PickArea(av.AvailableNumberAreas[0], now)

	d.Subscriber.Password = testSubPW
	sub := s.SubscriberRequest(d.Subscriber)
	subResp, err := c.CreateSubscriber(ctx, sub)
	must(t, err)
	s.RecordSubscriber(sub, subResp, nil, now)

	in := d.Provision
	if voice {
		in.VoiceEnabled, in.ProductType = true, "Sms+Data+Voice"
	}
	prov := s.ProvisionRequest(in)
	provResp, err := c.ProvisionNumber(ctx, prov)
	must(t, err)
	s.RecordProvision(prov, provResp, nil, now)
	for s.OrderPhase() == api.OrderInProgress {
		o, err := c.GetOrder(ctx, s.IDs.OrderID)
		must(t, err)
		s.RecordOrder(o, nil, now)
		if ctx.Err() != nil {
			t.Fatal("the order never completed")
		}
	}

	msg := s.MessageRequest(d.Message)
	msgResp, err := c.SendMessage(ctx, msg)
	must(t, err)
	s.RecordMessage(msg, msgResp, nil, now)
	if s.FirstOpen() != NumSteps {
		t.Fatalf("the flow did not finish: %+v", s.Steps)
	}
	return s
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func resources(t *testing.T, run *sandbox.Running) sandbox.Resources {
	t.Helper()
	resp, err := http.Get("http://" + run.Addr + "/_sandbox/resources")
	must(t, err)
	defer resp.Body.Close()
	var res sandbox.Resources
	must(t, json.NewDecoder(resp.Body).Decode(&res))
	return res
}

func needTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the exported script needs %s: %v", tool, err)
		}
	}
}

// runScript runs an exported script with bash and the given variables
// (and none of the caller's TELEGENT_* ones).
func runScript(t *testing.T, script string, env map[string]string) (string, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "replay.sh")
	must(t, os.WriteFile(path, []byte(script), 0o700))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", path)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TELEGENT_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func scriptEnv(base string) map[string]string {
	return map[string]string{
		EnvBaseURL: base, EnvAccountKey: sandbox.DemoAccountKey, EnvAccountSecret: sandbox.DemoAccountSecret,
		EnvMessagePasswordToken: testMessagePW, EnvCallbackMessagePasswordToken: testCallbackPW,
		EnvVoicePasswordToken: testVoicePW, EnvSubscriberPassword: testSubPW,
	}
}

// The exported curl script, run with bash against a fresh sandbox,
// recreates the flow: one of each, every ID chained, secrets from the
// environment.
func TestExportedCurlScriptRecreatesTheFlow(t *testing.T) {
	needTools(t)
	first := startSandbox(t, sandbox.Options{})
	s := runFlow(t, sandboxClient(t, first.URL), first.URL, true)
	script := ExportCurl(s)

	fresh := startSandbox(t, sandbox.Options{OrderDelay: 300 * time.Millisecond})
	out, err := runScript(t, script, scriptEnv(fresh.URL))
	if err != nil {
		t.Fatalf("the script failed: %v\n%s\n--- script ---\n%s", err, out, script)
	}
	res := resources(t, fresh)
	if len(res.MessageRoutes) != 1 || len(res.VoiceRoutes) != 1 || len(res.Subscribers) != 1 ||
		len(res.Numbers) != 1 || len(res.Messages) != 1 {
		t.Fatalf("want one of each, got %d message routes, %d voice routes, %d subscribers, %d numbers, %d messages\n%s",
			len(res.MessageRoutes), len(res.VoiceRoutes), len(res.Subscribers), len(res.Numbers), len(res.Messages), out)
	}
	mr, vr, sub, num, msg := res.MessageRoutes[0], res.VoiceRoutes[0], res.Subscribers[0], res.Numbers[0], res.Messages[0]
	if mr.RouteName != "Joe's SMS hook" || mr.MessagePasswordToken == "" || mr.CallbackMessagePasswordToken == "" {
		t.Errorf("message route not as sent: %+v", mr)
	}
	if vr.VoicePasswordToken == "" || vr.VoiceAuthenticationType != api.AuthBearer {
		t.Errorf("voice route lacks its token: %+v", vr)
	}
	if num.MessageRouteId != mr.MessageRouteId || num.VoiceRouteId != vr.CallRouteId || num.AssignedSubscriberId != sub.SubscriberId {
		t.Errorf("IDs not chained: number %+v, MRID %s, CRID %s, TSUID %s", num, mr.MessageRouteId, vr.CallRouteId, sub.SubscriberId)
	}
	if num.Status != "Active" {
		t.Errorf("number status %q: the script did not follow the order", num.Status)
	}
	if msg.From != num.Number || sub.Email != s.Inputs.Subscriber.Email {
		t.Errorf("message from %s (number %s), email %s", msg.From, num.Number, sub.Email)
	}
	for _, want := range []string{mr.MessageRouteId, vr.CallRouteId, sub.SubscriberId, num.Number, msg.MessageId, "OrderStatus: Complete"} {
		if !strings.Contains(out, want) {
			t.Errorf("the script did not echo %q:\n%s", want, out)
		}
	}
}

func TestExportedScriptWithSkippedVoiceAndNewEmail(t *testing.T) {
	needTools(t)
	run := startSandbox(t, sandbox.Options{})
	s := runFlow(t, sandboxClient(t, run.URL), run.URL, false)
	script := ExportCurl(s)
	if strings.Contains(script, EnvVoicePasswordToken) || strings.Contains(script, "post /voice/routes") {
		t.Error("a skipped voice route is in the script")
	}
	// The same platform: the email is taken, so the override is needed.
	env := scriptEnv("")
	delete(env, EnvBaseURL) // the session's own URL is the default
	delete(env, EnvVoicePasswordToken)
	out, err := runScript(t, script, env)
	if err == nil || !strings.Contains(out, "409") {
		t.Fatalf("a replay with a taken email: %v\n%s", err, out)
	}
	env[EnvSubscriberEmail] = "someone-else@example.com"
	if out, err := runScript(t, script, env); err != nil {
		t.Fatalf("with a new email: %v\n%s", err, out)
	}
	res := resources(t, run)
	if len(res.Subscribers) != 2 || res.Subscribers[1].Email != "someone-else@example.com" || len(res.VoiceRoutes) != 0 {
		t.Errorf("subscribers %+v, voice routes %d", res.Subscribers, len(res.VoiceRoutes))
	}
}

// A missing secret stops the script before anything is sent, naming every
// missing variable.
func TestExportedScriptNamesMissingSecrets(t *testing.T) {
	needTools(t)
	first := startSandbox(t, sandbox.Options{})
	s := runFlow(t, sandboxClient(t, first.URL), first.URL, true)
	fresh := startSandbox(t, sandbox.Options{})
	env := scriptEnv(fresh.URL)
	delete(env, EnvSubscriberPassword)
	delete(env, EnvVoicePasswordToken)
	out, err := runScript(t, ExportCurl(s), env)
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
		t.Fatalf("exit %v, want 2\n%s", err, out)
	}
	for _, want := range []string{EnvSubscriberPassword, EnvVoicePasswordToken, "nothing was sent"} {
		if !strings.Contains(out, want) {
			t.Errorf("the message lacks %q:\n%s", want, out)
		}
	}
	if res := resources(t, fresh); len(res.MessageRoutes) != 0 {
		t.Error("a route was created although a secret was missing")
	}
}

// Only the secrets the session's steps need are asked for.
func TestExportAsksOnlyForNeededSecrets(t *testing.T) {
	s := doneSession()
	s.Inputs.MessageRoute.MessageAuthenticationType = api.AuthNone
	s.Inputs.MessageRoute.CallbackMessageAuthenticationType = "bearer"
	script := ExportCurl(s)
	if strings.Contains(script, "need "+EnvMessagePasswordToken) || !strings.Contains(script, "need "+EnvCallbackMessagePasswordToken) {
		t.Errorf("wrong needs:\n%s", script)
	}
	if strings.Contains(script, "need "+EnvVoicePasswordToken) {
		t.Error("a voice route without authentication needs no token")
	}
}

// No export holds a secret, and neither does the state file.
func TestExportsHoldNoSecret(t *testing.T) {
	run := startSandbox(t, sandbox.Options{})
	s := runFlow(t, sandboxClient(t, run.URL), run.URL, true)
	path := filepath.Join(t.TempDir(), "s.json")
	must(t, s.Save(path, time.Now()))
	state, err := os.ReadFile(path)
	must(t, err)
	outputs := map[string]string{"state file": string(state)}
	for _, f := range ExportFormats {
		data, err := Export(s, f)
		must(t, err)
		outputs[f] = string(data)
	}
	for name, out := range outputs {
		for _, secret := range testSecrets {
			if strings.Contains(out, secret) {
				t.Errorf("%s contains the secret %q", name, secret)
			}
		}
	}
	if s.Inputs.MessageRoute.MessagePasswordToken != testMessagePW {
		t.Error("exporting changed the session in memory")
	}
	if _, err := Export(s, "yaml"); err == nil {
		t.Error("an unknown format was accepted")
	}
}

func TestExportEnvJSONMarkdown(t *testing.T) {
	s := doneSession()
	s.PickArea(s.Areas[0], t0)
	s.RecordProvision(api.ProvisionRequest{}, &api.ProvisionResponse{OrderId: "JNUOID-1", OrderStatus: "Pending",
		PhoneNumberAssigned: "+12015550100", PhoneNumberId: "NID-1"}, nil, t0)
	s.Inputs.Subscriber.Name = "O'Brien | ops"

	env := ExportEnv(s)
	for _, want := range []string{"TELEGENT_MESSAGE_ROUTE_ID='MRID-1'\n", "TELEGENT_VOICE_ROUTE_ID='CRID-1'\n",
		"TELEGENT_PHONE_NUMBER='+12015550100'\n", "TELEGENT_ORDER_ID='JNUOID-1'\n", "TELEGENT_ACCOUNT_ID='AID-1'\n"} {
		if !strings.Contains(env, want) {
			t.Errorf("env lacks %q:\n%s", want, env)
		}
	}
	if strings.Contains(env, "TELEGENT_MESSAGE_ID") {
		t.Error("an empty MessageId is exported")
	}
	if bash, err := exec.LookPath("bash"); err == nil {
		out, err := exec.Command(bash, "-c", `set -eu; eval "$1"; printf '%s %s' "$TELEGENT_SUBSCRIBER_ID" "$TELEGENT_PHONE_NUMBER_ID"`, "x", env).CombinedOutput()
		if err != nil || string(out) != "TSUID-1 NID-1" {
			t.Errorf("sourcing the env file: %v %q", err, out)
		}
	}

	data, err := ExportJSON(s)
	must(t, err)
	var got RunSummary
	must(t, json.Unmarshal(data, &got))
	if got.SchemaVersion != SummarySchemaVersion || got.OrderId != "JNUOID-1" || got.MessageRouteId != "MRID-1" ||
		got.PhoneNumberId != "NID-1" || got.Steps["messageRoute"] != Done || got.Steps["message"] != Pending ||
		!got.Checks["authenticated"] || got.Checks["messageSent"] {
		t.Errorf("json: %+v", got)
	}

	md := ExportMarkdown(s)
	for _, want := range []string{"`AID-1`", "| 2 | Message route | ✓ done | `MRID-1` |", "- [x] Authenticated with the API",
		"- [ ] A test message sent", "Step 7 (Test SMS): not done yet.", "Order `JNUOID-1` is Pending", "2026-11-24 09:00 UTC"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}

// Partial sessions still give a valid script: the steps not done are left
// out, and a body that cannot be replayed falls back to the session's ID.
func TestExportCurlOfPartialSessionsIsValidBash(t *testing.T) {
	needTools(t)
	partial := doneSession()
	partial.Inputs.MessageRoute = nil // e.g. a route adopted by reconcile
	partial.Inputs.Subscriber.Name = "x'; touch /tmp/pwned; echo '\n"
	for name, s := range map[string]*Session{"empty": NewSession("", "", t0), "partial": partial, "done": doneSession()} {
		script := ExportCurl(s)
		if out, err := exec.Command("bash", "-n", "-c", script).CombinedOutput(); err != nil {
			t.Errorf("%s: bash -n: %v\n%s\n%s", name, err, out, script)
		}
	}
	if script := ExportCurl(partial); !strings.Contains(script, "MRID='MRID-1'") || strings.Contains(script, "post /numbers/provision") {
		t.Errorf("partial session:\n%s", script)
	}
}
