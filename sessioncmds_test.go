package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/sandbox"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// onboardedSessionFile runs the seven steps against a fresh in-process sandbox
// with the client and the session's builders, and saves the session.
func onboardedSessionFile(t *testing.T) (*sandbox.Running, *flow.Session, string) {
	t.Helper()
	run, err := sandbox.Start("127.0.0.1:0", sandbox.Options{RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { run.Close() })
	c, err := api.New(run.URL, api.Credentials{AccountKey: sandbox.DemoAccountKey, AccountSecret: sandbox.DemoAccountSecret}, api.WithRateLimit(6000))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ok := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	s := flow.NewSession(run.URL, sandbox.DemoAccountID, now)
	s.RecordCredentials(sandbox.DemoAccountID, nil, now)
	d := flow.DemoDefaults("", "cmd-test")
	mr := s.MessageRouteRequest(d.MessageRoute)
	mrResp, err := c.CreateMessageRoute(ctx, mr)
	ok(err)
	s.RecordMessageRoute(mr, mrResp, nil, now)
	vr := s.VoiceRouteRequest(d.VoiceRoute)
	vrResp, err := c.CreateVoiceRoute(ctx, vr)
	ok(err)
	s.RecordVoiceRoute(vr, vrResp, nil, now)
	av, err := c.SearchAvailability(ctx, d.Availability)
	ok(err)
	s.RecordAvailability(d.Availability, av, nil, now)
	s.PickArea(av.AvailableNumberAreas[0], now)
	sub := s.SubscriberRequest(d.Subscriber)
	subResp, err := c.CreateSubscriber(ctx, sub)
	ok(err)
	s.RecordSubscriber(sub, subResp, nil, now)
	in := d.Provision
	in.VoiceEnabled, in.ProductType = true, "Sms+Data+Voice"
	prov := s.ProvisionRequest(in)
	provResp, err := c.ProvisionNumber(ctx, prov)
	ok(err)
	s.RecordProvision(prov, provResp, nil, now)
	path := filepath.Join(t.TempDir(), "session.json")
	ok(s.Save(path, now))
	return run, s, path
}

type sessionCmdResult struct {
	stdout, stderr string
	err            error
}

func runSessionCmd(t *testing.T, stdin io.Reader, args ...string) sessionCmdResult {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := newRootCmd(&out, &errb)
	cmd.SetArgs(args)
	if stdin != nil {
		cmd.SetIn(stdin)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := cmd.ExecuteContext(ctx)
	return sessionCmdResult{out.String(), errb.String(), err}
}

func wantSessionUsage(t *testing.T, r sessionCmdResult, says string) {
	t.Helper()
	if r.err == nil || exitCode(r.err) != exitUsage || !strings.Contains(r.err.Error(), says) {
		t.Errorf("got %v (exit %d), want a usage error saying %q", r.err, exitCode(r.err), says)
	}
}

func TestExportCommand(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv(envBaseURL, "")
	t.Setenv(envAccountID, "AID-1")
	s := flow.NewSession(api.DefaultBaseURL, "AID-1", time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	s.RecordCredentials("AID-1", nil, s.StartedAt)
	s.RecordMessageRoute(api.MessageRouteRequest{RouteName: "r", MessagePasswordToken: "hunter2-secret"},
		&api.MessageRoute{MessageRouteId: "MRID-1"}, nil, s.StartedAt)

	r := runSessionCmd(t, nil, "export", "--format", "env")
	wantSessionUsage(t, r, "no session file")
	if !strings.Contains(r.err.Error(), "AID-1") {
		t.Errorf("the error does not say which account it looked for: %v", r.err)
	}

	def, err := flow.DefaultStatePath(api.DefaultBaseURL, "AID-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(def, time.Now()); err != nil {
		t.Fatal(err)
	}
	for format, want := range map[string]string{
		"env": "TELEGENT_MESSAGE_ROUTE_ID='MRID-1'", "json": `"messageRouteId": "MRID-1"`,
		"markdown": "| 2 | Message route | ✓ done | `MRID-1` |", "curl": "field MessageRouteId",
	} {
		r := runSessionCmd(t, nil, "export", "--format", format)
		if r.err != nil || !strings.Contains(r.stdout, want) {
			t.Errorf("%s: err %v, output lacks %q:\n%s", format, r.err, want, r.stdout)
		}
		if strings.Contains(r.stdout, "hunter2-secret") {
			t.Errorf("%s export holds the password", format)
		}
	}
	if r := runSessionCmd(t, nil, "export"); r.err != nil || !strings.HasPrefix(r.stdout, "# Telegent onboarding hand-off") {
		t.Errorf("the default format is not markdown: %v\n%s", r.err, r.stdout)
	}
	wantSessionUsage(t, runSessionCmd(t, nil, "export", "--format", "yaml"), "choose curl, json, env, markdown")
	wantSessionUsage(t, runSessionCmd(t, nil, "export", "--state", filepath.Join(t.TempDir(), "none.json")), "no session file")
}

func TestCleanupCommand(t *testing.T) {
	run, s, path := onboardedSessionFile(t)
	t.Setenv(envAccountKey, sandbox.DemoAccountKey)
	t.Setenv(envAccountSecret, sandbox.DemoAccountSecret)
	counts := func() (int, int, string) {
		res := run.Server.Resources()
		return len(res.MessageRoutes), len(res.VoiceRoutes), res.Numbers[0].Status
	}

	// No terminal and no --yes: refused before anything is sent.
	r := runSessionCmd(t, strings.NewReader("y\ny\n"), "cleanup", "--state", path)
	wantSessionUsage(t, r, "pass --yes")
	if !strings.Contains(r.stdout, "voice route "+s.IDs.VoiceRouteID) || !strings.Contains(r.stdout, "subscriber "+s.IDs.SubscriberID) {
		t.Errorf("the plan does not list what the session created:\n%s", r.stdout)
	}

	interactive := cleanupStdinIsTerminal
	t.Cleanup(func() { cleanupStdinIsTerminal = interactive })
	cleanupStdinIsTerminal = func(io.Reader) bool { return true }

	// Declined: nothing changes.
	r = runSessionCmd(t, strings.NewReader("n\n"), "cleanup", "--state", path)
	if r.err != nil || !strings.Contains(r.stdout, "Nothing was changed.") || !strings.Contains(r.stderr, "[y/N]") {
		t.Errorf("declined: %v\n%s\n%s", r.err, r.stdout, r.stderr)
	}
	// Routes confirmed, number cancel declined: the live number keeps its routes.
	r = runSessionCmd(t, strings.NewReader("y\nn\n"), "cleanup", "--state", path, "--cancel-number")
	if r.err != nil || !strings.Contains(r.stdout, "a number still uses it") || !strings.Contains(r.stdout, "--cancel-number") {
		t.Errorf("routes in use: %v\n%s", r.err, r.stdout)
	}
	if m, v, n := counts(); m != 1 || v != 1 || n != "Active" {
		t.Fatalf("after declining the cancel: %d %d %s", m, v, n)
	}

	cleanupStdinIsTerminal = interactive
	r = runSessionCmd(t, nil, "cleanup", "--state", path, "--cancel-number", "--yes")
	if r.err != nil {
		t.Fatalf("cleanup --yes --cancel-number: %v\n%s", r.err, r.stdout)
	}
	for _, want := range []string{"Cancelled number " + s.IDs.PhoneNumber, "Deleted voice route", "Deleted message route", "no way to delete a subscriber"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the report lacks %q:\n%s", want, r.stdout)
		}
	}
	if m, v, n := counts(); m != 0 || v != 0 || n != "Cancelled" {
		t.Errorf("after cleanup: %d message routes, %d voice routes, number %s", m, v, n)
	}
	saved, err := flow.LoadSession(path)
	if err != nil || len(saved.Cleanup) != 3 {
		t.Fatalf("the session file does not record the cleanup: %v %+v", err, saved)
	}
	r = runSessionCmd(t, nil, "cleanup", "--state", path, "--cancel-number", "--yes")
	if r.err != nil || !strings.Contains(r.stdout, "already removed") || !strings.Contains(r.stdout, "Nothing to delete.") {
		t.Errorf("a second cleanup: %v\n%s", r.err, r.stdout)
	}
}

func TestCleanupNeedsCredentials(t *testing.T) {
	_, _, path := onboardedSessionFile(t)
	t.Setenv(envAccountKey, "")
	t.Setenv(envAccountSecret, "")
	wantSessionUsage(t, runSessionCmd(t, nil, "cleanup", "--state", path, "--yes"), envAccountSecret)
}
