package flow

import (
	"context"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/sandbox"
)

func TestCleanupPlanListsWhatTheSessionCreated(t *testing.T) {
	s := doneSession()
	s.RecordProvision(api.ProvisionRequest{}, &api.ProvisionResponse{OrderId: "JNUOID-1", OrderStatus: "Complete",
		PhoneNumberAssigned: "+12015550100", PhoneNumberId: "NID-1"}, nil, t0)
	var got []string
	for _, it := range CleanupPlan(s) {
		got = append(got, it.String())
	}
	want := []string{"number +12015550100 (NID-1)", "voice route CRID-1 (v)", "message route MRID-1 (r)",
		"subscriber TSUID-1 (a@b.co): cannot be deleted through the documented API"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("plan:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(CleanupPlan(NewSession("", "", t0))) != 0 {
		t.Error("an empty session has something to clean")
	}
}

func joined(r CleanupReport) string {
	return "DONE:\n" + strings.Join(r.Done, "\n") + "\nREMAINS:\n" + strings.Join(r.Remains, "\n")
}

// Without --cancel-number the live number holds both routes: cleanup says
// so and deletes nothing; with it, the number is cancelled, both routes are
// deleted, the session records it, and a second run sends nothing.
func TestCleanupDeletesRoutesAndCancelsOnlyWhenAsked(t *testing.T) {
	run := startSandbox(t, sandbox.Options{})
	var calls atomic.Int32
	c := sandboxClient(t, run.URL, api.WithObserver(func(api.Exchange) { calls.Add(1) }))
	s := runFlow(t, c, run.URL, true)
	ctx := context.Background()

	rep, err := Cleanup(ctx, c, s, false)
	if err != nil {
		t.Fatal(err)
	}
	text := joined(rep)
	for _, want := range []string{"Number " + s.IDs.PhoneNumber, "--cancel-number", "Voice route " + s.IDs.VoiceRouteID,
		"Message route " + s.IDs.MessageRouteID, "Subscriber " + s.IDs.SubscriberID, "no way to delete a subscriber"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	if len(rep.Done) != 0 || len(s.Cleanup) != 0 {
		t.Errorf("something was removed without --cancel-number:\n%s", text)
	}
	if res := resources(t, run); len(res.MessageRoutes) != 1 || len(res.VoiceRoutes) != 1 {
		t.Fatal("a route in use was deleted")
	}

	rep, err = Cleanup(ctx, c, s, true)
	if err != nil {
		t.Fatal(err)
	}
	text = joined(rep)
	if len(rep.Done) != 3 || !strings.Contains(text, "Cancelled number "+s.IDs.PhoneNumber) ||
		!strings.Contains(text, "Deleted voice route "+s.IDs.VoiceRouteID) || !strings.Contains(text, "Deleted message route "+s.IDs.MessageRouteID) {
		t.Errorf("second run:\n%s", text)
	}
	res := resources(t, run)
	if len(res.MessageRoutes) != 0 || len(res.VoiceRoutes) != 0 || res.Numbers[0].Status != "Cancelled" {
		t.Errorf("after cleanup: %d message routes, %d voice routes, number %s", len(res.MessageRoutes), len(res.VoiceRoutes), res.Numbers[0].Status)
	}
	if !s.Removed(s.IDs.MessageRouteID) || !s.Removed(s.IDs.VoiceRouteID) || !s.Removed(s.IDs.PhoneNumber) || s.Removed(s.IDs.SubscriberID) {
		t.Errorf("session records %+v", s.Cleanup)
	}

	// Saved and loaded, a third run sends nothing.
	path := filepath.Join(t.TempDir(), "s.json")
	must(t, s.Save(path, time.Now()))
	loaded, err := LoadSession(path)
	must(t, err)
	before := calls.Load()
	rep, err = Cleanup(ctx, c, loaded, true)
	if err != nil || calls.Load() != before {
		t.Errorf("a third cleanup sent %d requests (err %v)", calls.Load()-before, err)
	}
	if text := joined(rep); !strings.Contains(text, "already been removed") || !strings.Contains(text, "Subscriber") {
		t.Errorf("third run:\n%s", text)
	}
	md := ExportMarkdown(loaded)
	if !strings.Contains(md, "Removed by cleanup: message route `"+s.IDs.MessageRouteID+"` deleted") {
		t.Errorf("the hand-off note does not say what cleanup removed:\n%s", md)
	}
}

// A route already gone (deleted elsewhere) counts as removed; other
// failures are returned after the rest was tried.
func TestCleanupRouteAlreadyGoneAndErrors(t *testing.T) {
	run := startSandbox(t, sandbox.Options{})
	c := sandboxClient(t, run.URL)
	s := NewSession(run.URL, sandbox.DemoAccountID, time.Now())
	s.RecordMessageRoute(api.MessageRouteRequest{RouteName: "gone"}, &api.MessageRoute{MessageRouteId: "MRID-nope"}, nil, time.Now())
	s.MarkInFlight(Subscriber, time.Now())
	rep, err := Cleanup(context.Background(), c, s, false)
	if err != nil {
		t.Fatal(err)
	}
	if text := joined(rep); !strings.Contains(text, "already gone") || !strings.Contains(text, "Subscriber: the answer to its request was lost") {
		t.Errorf("report:\n%s", text)
	}
	if !s.Removed("MRID-nope") {
		t.Error("a route already gone is not recorded")
	}

	bad, err := api.New(run.URL, api.Credentials{AccountKey: "wrong", AccountSecret: "wrong"}, api.WithRetry(1, time.Millisecond, time.Millisecond))
	must(t, err)
	s2 := NewSession(run.URL, sandbox.DemoAccountID, time.Now())
	s2.RecordMessageRoute(api.MessageRouteRequest{}, &api.MessageRoute{MessageRouteId: "MRID-x"}, nil, time.Now())
	rep, err = Cleanup(context.Background(), bad, s2, false)
	if err == nil || len(rep.Remains) != 1 || len(s2.Cleanup) != 0 {
		t.Errorf("bad credentials: err %v, report %+v", err, rep)
	}
}
