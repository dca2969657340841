package flow

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/sandbox"
)

func TestReconcileEdges(t *testing.T) {
	r := newRig(t, sandbox.Options{})
	c, err := api.New(r.url, api.Credentials{AccountKey: sandbox.DemoAccountKey, AccountSecret: sandbox.DemoAccountSecret}, api.WithRateLimit(6000))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	now := time.Now()
	s := NewSession(r.url, sandbox.DemoAccountID, now)

	if _, err := Reconcile(ctx, c, s, Subscriber, now); !errors.Is(err, ErrSubscriberUnknown) {
		t.Errorf("subscriber without an ID: %v, want ErrSubscriberUnknown", err)
	}
	if _, err := Reconcile(ctx, c, s, MessageRoute, now); !errors.Is(err, ErrNothingToMatch) {
		t.Errorf("no stored request: %v, want ErrNothingToMatch", err)
	}
	for _, step := range []Step{Credentials, Availability} {
		if adopted, err := Reconcile(ctx, c, s, step, now); adopted || err != nil {
			t.Errorf("%v: %v %v; nothing is created there", step, adopted, err)
		}
	}

	// A route of another name is not taken for ours; ours is.
	a := exampleAnswers(t)
	other := s.MessageRouteRequest(*a.MessageRoute)
	other.RouteName = "Someone else's"
	if _, err := c.CreateMessageRoute(ctx, other); err != nil {
		t.Fatal(err)
	}
	req := s.MessageRouteRequest(*a.MessageRoute)
	s.Inputs.MessageRoute = &req
	s.MarkInFlight(MessageRoute, now)
	if adopted, err := Reconcile(ctx, c, s, MessageRoute, now); adopted || err != nil {
		t.Fatalf("adopted %v, %v: only another route exists", adopted, err)
	}
	created, err := c.CreateMessageRoute(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if adopted, err := Reconcile(ctx, c, s, MessageRoute, now); !adopted || err != nil || s.IDs.MessageRouteID != created.MessageRouteId || s.Status(MessageRoute) != Done {
		t.Fatalf("adopted %v, %v, MRID %q, want %q", adopted, err, s.IDs.MessageRouteID, created.MessageRouteId)
	}

	// A cancelled number on the route is not adopted.
	p := s.ProvisionRequest(api.ProvisionRequest{NumberType: "mvno", MessageType: "p2p", MessageEnabled: true, ProductType: "Sms-Only", AreaCode: "801"})
	n, err := c.ProvisionNumber(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ChangeNumberStatus(ctx, api.NumberStatusRequest{StatusChange: api.StatusChangeCancel, PhoneNumbers: []api.PhoneNumberRef{{Number: n.PhoneNumberAssigned}}}); err != nil {
		t.Fatal(err)
	}
	s.Inputs.Provision = &p
	s.MarkInFlight(Provision, now)
	if adopted, err := Reconcile(ctx, c, s, Provision, now); adopted || err != nil {
		t.Errorf("a cancelled number was adopted (%v, %v)", adopted, err)
	}
}
