package flow

import (
	"errors"
	"testing"
	"time"

	"github.com/telegent/telegent-onboard/api"
)

var t0 = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

func doneSession() *Session {
	s := NewSession("http://127.0.0.1:1/v1.0", "AID-1", t0)
	s.RecordCredentials("AID-1", nil, t0)
	s.RecordMessageRoute(api.MessageRouteRequest{RouteName: "r"}, &api.MessageRoute{MessageRouteId: "MRID-1"}, nil, t0)
	s.RecordVoiceRoute(api.VoiceRouteRequest{RouteName: "v"}, &api.VoiceRoute{CallRouteId: "CRID-1"}, nil, t0)
	s.RecordAvailability(api.AvailabilityRequest{NumberType: "mobile"}, &api.AvailabilityResponse{ResultsTotal: 40,
		AvailableNumberAreas: []api.NumberArea{{NGP: "SAG", AreaCode: 201, Zipcode: "07302"}, {NGP: "AGP", AreaCode: 201, Zipcode: "07030"}}}, nil, t0)
	s.RecordSubscriber(api.SubscriberRequest{Email: "a@b.co"}, &api.Subscriber{SubscriberId: "TSUID-1"}, nil, t0)
	return s
}

func TestProvisionCarriesEveryEarlierID(t *testing.T) {
	s := doneSession()
	s.PickArea(s.Areas[1], t0)
	got := s.ProvisionRequest(api.ProvisionRequest{NumberType: "mvno", MessageType: "a2p", VoiceEnabled: true, ProductType: "sms+data+voice"})
	want := api.ProvisionRequest{NumberType: "mvno", MessageType: "a2p", VoiceEnabled: true, ProductType: "Sms+Data+Voice",
		MessageRouteId: "MRID-1", VoiceRouteId: "CRID-1", AssignedSubscriberId: "TSUID-1", AreaCode: "201", ZipCode: "07030", AccountId: "AID-1"}
	if got != want {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestProvisionWithoutAPickUsesTheFirstResult(t *testing.T) {
	s := doneSession()
	got := s.ProvisionRequest(api.ProvisionRequest{NumberType: "mvno", ProductType: "Sms-Only"})
	if got.AreaCode != "201" || got.ZipCode != "07302" {
		t.Errorf("area %q zip %q, want the first result 201/07302", got.AreaCode, got.ZipCode)
	}
	if got.VoiceRouteId != "" {
		t.Error("CRID sent although voice is off")
	}
	typed := s.ProvisionRequest(api.ProvisionRequest{NumberType: "mvno", ProductType: "Sms-Only", ZipCode: "84043"})
	if typed.AreaCode != "" || typed.ZipCode != "84043" {
		t.Errorf("a typed zip was overridden: %+v", typed)
	}
}

func TestIotIsLockedToP2P(t *testing.T) {
	s := doneSession()
	if got := s.ProvisionRequest(api.ProvisionRequest{NumberType: "iot", MessageType: "a2p"}); got.MessageType != "p2p" {
		t.Errorf("iot MessageType = %q", got.MessageType)
	}
}

func TestSkippedVoiceRouteIsNotUsedButNotForgotten(t *testing.T) {
	s := doneSession()
	s.SkipVoiceRoute(t0)
	if got := s.ProvisionRequest(api.ProvisionRequest{NumberType: "mvno", VoiceEnabled: true}); got.VoiceRouteId != "" {
		t.Errorf("skipped voice route used: %q", got.VoiceRouteId)
	}
	if s.IDs.VoiceRouteID != "CRID-1" || s.ID(VoiceRoute) != "skipped" {
		t.Errorf("CRID %q, shown %q", s.IDs.VoiceRouteID, s.ID(VoiceRoute))
	}
}

func TestAlreadyCreatedOnlyForAnUnchangedDoneStep(t *testing.T) {
	s := doneSession()
	if !s.AlreadyCreated(MessageRoute, api.MessageRouteRequest{RouteName: "r"}) {
		t.Error("an unchanged resubmit would create a duplicate route")
	}
	if s.AlreadyCreated(MessageRoute, api.MessageRouteRequest{RouteName: "other"}) {
		t.Error("a changed route was taken for the old one")
	}
	if s.AlreadyCreated(TestMessage, api.OutboundMessageRequest{}) {
		t.Error("a step not done counts as created")
	}
}

func TestFailuresKeepWhatWasCreated(t *testing.T) {
	s := doneSession()
	s.RecordMessageRoute(api.MessageRouteRequest{RouteName: "new"}, nil, errors.New("400 bad"), t0)
	if s.Status(MessageRoute) != Done || s.IDs.MessageRouteID != "MRID-1" {
		t.Errorf("a failed re-creation lost the route: %v %q", s.Status(MessageRoute), s.IDs.MessageRouteID)
	}
	s.RecordProvision(api.ProvisionRequest{}, nil, &api.Error{Kind: api.KindOutcomeUnknown, Message: "lost"}, t0)
	if s.Status(Provision) != Unknown {
		t.Errorf("a lost answer is %v, want %v", s.Status(Provision), Unknown)
	}
	s.RecordSubscriber(api.SubscriberRequest{}, nil, errors.New("409"), t0)
	if s.Status(Subscriber) != Done {
		t.Error("subscriber lost")
	}
	s2 := NewSession("", "", t0)
	s2.RecordSubscriber(api.SubscriberRequest{}, nil, errors.New("409 email taken"), t0)
	if s2.Status(Subscriber) != Failed || s2.Steps[Subscriber].Error != "409 email taken" {
		t.Errorf("got %+v", s2.Steps[Subscriber])
	}
}

func TestOrderFailureKeepsTheNumber(t *testing.T) {
	s := doneSession()
	s.RecordProvision(api.ProvisionRequest{}, &api.ProvisionResponse{OrderId: "JNUOID-1", OrderStatus: "Pending",
		PhoneNumberAssigned: "+12015550100", PhoneNumberId: "NID-1"}, nil, t0)
	if s.OrderPhase() != api.OrderInProgress {
		t.Fatal("pending order not in progress")
	}
	s.RecordOrder(&api.Order{OrderId: "JNUOID-1", OrderStatus: "Rejected", OrderStatusMessage: "carrier said no"}, nil, t0)
	if s.Status(Provision) != Failed || s.IDs.PhoneNumber != "+12015550100" || s.Steps[Provision].Error == "" {
		t.Errorf("after a rejected order: %+v %+v", s.Steps[Provision], s.IDs)
	}
}

func TestFirstOpenAndIDs(t *testing.T) {
	s := doneSession()
	if got := s.FirstOpen(); got != Availability {
		t.Errorf("FirstOpen = %v, want Availability (searched, not picked)", got)
	}
	s.PickArea(s.Areas[0], t0)
	if got := s.FirstOpen(); got != Provision {
		t.Errorf("FirstOpen = %v, want Provision", got)
	}
	if s.ID(Availability) != "201 / 07302" || s.ID(MessageRoute) != "MRID-1" {
		t.Errorf("IDs %q %q", s.ID(Availability), s.ID(MessageRoute))
	}
	s.RecordMessage(api.OutboundMessageRequest{}, &api.Message{MessageId: "TMID-1", To: api.Recipients{{Number: "+1", Status: "Queued"}}}, nil, t0)
	if s.MessageRequest(api.OutboundMessageRequest{}).From != s.IDs.PhoneNumber {
		t.Error("From is not the new number")
	}
}
