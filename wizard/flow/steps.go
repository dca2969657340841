package flow

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/webhook"
)

func isUnknown(err error) bool { return errors.Is(err, api.ErrOutcomeUnknown) }

func itoa(n int) string { return strconv.Itoa(n) }

// AlreadyCreated reports whether submitting input for step would only repeat
// what the session already created: the step is done and its input is
// unchanged. Callers then reuse the result instead of creating a duplicate;
// a changed input is for the user to confirm (a new resource).
func (s *Session) AlreadyCreated(step Step, input any) bool {
	if s.Steps[step].Status != Done {
		return false
	}
	var prev any
	switch step {
	case MessageRoute:
		prev = s.Inputs.MessageRoute
	case VoiceRoute:
		prev = s.Inputs.VoiceRoute
	case Subscriber:
		prev = s.Inputs.Subscriber
	case Provision:
		prev = s.Inputs.Provision
	case TestMessage:
		prev = s.Inputs.Message
	default:
		return false
	}
	v := reflect.ValueOf(prev)
	if !v.IsValid() || v.IsNil() {
		return false
	}
	return reflect.DeepEqual(v.Elem().Interface(), input)
}

// RecordCredentials records the outcome of authenticating.
func (s *Session) RecordCredentials(accountID string, err error, now time.Time) {
	if err != nil {
		s.mark(Credentials, Failed, err, now)
		return
	}
	s.AccountID = accountID
	s.mark(Credentials, Done, nil, now)
}

// MessageRouteRequest completes a message route body: the route belongs to
// the session's account.
func (s *Session) MessageRouteRequest(in api.MessageRouteRequest) api.MessageRouteRequest {
	if in.AccountId == "" {
		in.AccountId = s.AccountID
	}
	return in
}

// RecordMessageRoute stores the MRID every number needs.
func (s *Session) RecordMessageRoute(req api.MessageRouteRequest, resp *api.MessageRoute, err error, now time.Time) {
	if err != nil {
		s.settle(MessageRoute, err, now)
		return
	}
	s.Inputs.MessageRoute = &req
	s.IDs.MessageRouteID = resp.MessageRouteId
	s.mark(MessageRoute, Done, nil, now)
}

// VoiceRouteRequest completes a voice route body.
func (s *Session) VoiceRouteRequest(in api.VoiceRouteRequest) api.VoiceRouteRequest {
	if in.AccountId == "" {
		in.AccountId = s.AccountID
	}
	return in
}

// RecordVoiceRoute stores the CRID.
func (s *Session) RecordVoiceRoute(req api.VoiceRouteRequest, resp *api.VoiceRoute, err error, now time.Time) {
	if err != nil {
		s.settle(VoiceRoute, err, now)
		return
	}
	s.Inputs.VoiceRoute = &req
	s.IDs.VoiceRouteID = resp.CallRouteId
	s.mark(VoiceRoute, Done, nil, now)
}

// SkipVoiceRoute leaves voice out (SMS only). A voice route created earlier
// keeps its CRID in the session, so it is not forgotten, but provisioning no
// longer uses it.
func (s *Session) SkipVoiceRoute(now time.Time) { s.mark(VoiceRoute, Skipped, nil, now) }

// VoiceReady reports whether a voice route is there for provisioning.
func (s *Session) VoiceReady() bool {
	return s.Steps[VoiceRoute].Status == Done && s.IDs.VoiceRouteID != ""
}

// RecordAvailability stores a search's results. The step is done only when
// an area is picked.
func (s *Session) RecordAvailability(req api.AvailabilityRequest, resp *api.AvailabilityResponse, err error, now time.Time) {
	if err != nil {
		s.settle(Availability, err, now)
		return
	}
	s.Inputs.Availability = &req
	s.IDs.ResultsTotal = int(resp.ResultsTotal)
	s.Areas = resp.AvailableNumberAreas
	if s.Steps[Availability].Status != Done {
		s.mark(Availability, Pending, nil, now)
	}
}

// PickArea chooses where the number will come from.
func (s *Session) PickArea(area api.NumberArea, now time.Time) {
	s.IDs.PickedArea = &area
	s.mark(Availability, Done, nil, now)
}

// SubscriberRequest completes a subscriber body with the account.
func (s *Session) SubscriberRequest(in api.SubscriberRequest) api.SubscriberRequest {
	if in.AccountId == "" {
		in.AccountId = s.AccountID
	}
	// The quickstart writes "PhoneNumbers": [""] for none.
	numbers := []string{}
	for _, n := range in.PhoneNumbers {
		if n = strings.TrimSpace(n); n != "" {
			numbers = append(numbers, n)
		}
	}
	in.PhoneNumbers = numbers
	return in
}

// RecordSubscriber stores the TSUID.
func (s *Session) RecordSubscriber(req api.SubscriberRequest, resp *api.Subscriber, err error, now time.Time) {
	if err != nil {
		s.settle(Subscriber, err, now)
		return
	}
	s.Inputs.Subscriber = &req
	s.IDs.SubscriberID = resp.SubscriberId
	s.mark(Subscriber, Done, nil, now)
}

// ProvisionRequest completes a provision body with everything earlier steps
// produced: the MRID, the CRID when voice is on, the TSUID, the picked area,
// and the account. An iot number is p2p only, so its message type is locked.
func (s *Session) ProvisionRequest(in api.ProvisionRequest) api.ProvisionRequest {
	if in.MessageRouteId == "" {
		in.MessageRouteId = s.IDs.MessageRouteID
	}
	if in.VoiceEnabled && in.VoiceRouteId == "" && s.VoiceReady() {
		in.VoiceRouteId = s.IDs.VoiceRouteID
	}
	if in.AssignedSubscriberId == "" && s.Steps[Subscriber].Status == Done {
		in.AssignedSubscriberId = s.IDs.SubscriberID
	}
	if in.AreaCode == "" && in.ZipCode == "" {
		if a := s.IDs.PickedArea; a != nil {
			in.AreaCode = strconv.Itoa(int(a.AreaCode))
			in.ZipCode = string(a.Zipcode)
		} else if len(s.Areas) > 0 {
			in.AreaCode = strconv.Itoa(int(s.Areas[0].AreaCode))
			in.ZipCode = string(s.Areas[0].Zipcode)
		}
	}
	if in.AccountId == "" {
		in.AccountId = s.AccountID
	}
	if strings.EqualFold(in.NumberType, "iot") {
		in.MessageType = "p2p"
	}
	in.ProductType = api.NormalizeProductType(in.ProductType)
	return in
}

// RecordProvision stores the purchased number and its order.
func (s *Session) RecordProvision(req api.ProvisionRequest, resp *api.ProvisionResponse, err error, now time.Time) {
	if err != nil {
		s.settle(Provision, err, now)
		return
	}
	s.Inputs.Provision = &req
	s.IDs.OrderID = resp.OrderId
	s.IDs.OrderStatus = resp.OrderStatus
	s.IDs.PhoneNumber = resp.PhoneNumberAssigned
	s.IDs.PhoneNumberID = resp.PhoneNumberId
	s.IDs.QRCode = resp.QRCode
	s.Order = nil
	s.mark(Provision, Done, nil, now)
}

// OrderPhase is where the provisioned number's order stands.
func (s *Session) OrderPhase() api.OrderPhase { return api.OrderState(s.IDs.OrderStatus) }

// RecordOrder stores a look at the order. A failed order fails the step but
// keeps the IDs: the purchase happened and the user must see its IDs.
func (s *Session) RecordOrder(o *api.Order, err error, now time.Time) {
	if err != nil {
		s.Steps[Provision].Error = err.Error()
		return
	}
	s.Order = o
	s.IDs.OrderStatus = o.OrderStatus
	if api.OrderState(o.OrderStatus) == api.OrderFailed {
		msg := fmt.Errorf("order %s ended %s: %s", o.OrderId, o.OrderStatus, o.OrderStatusMessage)
		s.mark(Provision, Failed, msg, now)
	}
}

// MessageRequest completes a test message: it is sent from the new number.
func (s *Session) MessageRequest(in api.OutboundMessageRequest) api.OutboundMessageRequest {
	if in.From == "" {
		in.From = s.IDs.PhoneNumber
	}
	return in
}

// RecordMessage stores the MessageId and each recipient's status.
func (s *Session) RecordMessage(req api.OutboundMessageRequest, resp *api.Message, err error, now time.Time) {
	if err != nil {
		s.settle(TestMessage, err, now)
		return
	}
	s.Inputs.Message = &req
	s.Message = resp
	s.IDs.MessageID = resp.MessageId
	s.IDs.Recipients = append([]api.Recipient(nil), resp.To...)
	s.IDs.DeliveredTo, s.IDs.Reply = nil, nil // a new message: its own reports
	s.mark(TestMessage, Done, nil, now)
}

// SetInput stores the request a step is about to send. Reconcile looks an
// unknown outcome up by it, so it must be there before MarkInFlight.
func (s *Session) SetInput(step Step, input any) {
	switch v := input.(type) {
	case api.MessageRouteRequest:
		s.Inputs.MessageRoute = &v
	case api.VoiceRouteRequest:
		s.Inputs.VoiceRoute = &v
	case api.SubscriberRequest:
		s.Inputs.Subscriber = &v
	case api.ProvisionRequest:
		s.Inputs.Provision = &v
	case api.OutboundMessageRequest:
		s.Inputs.Message = &v
	}
	_ = step
}

// RecordDelivery notes a delivery report for one recipient of the test
// message; reports for other messages, or repeats, change nothing. It
// reports whether the report was new.
func (s *Session) RecordDelivery(messageID, recipient string) bool {
	if messageID != s.IDs.MessageID || slices.Contains(s.IDs.DeliveredTo, recipient) {
		return false
	}
	for _, r := range s.IDs.Recipients {
		if r.Number == recipient {
			s.IDs.DeliveredTo = append(s.IDs.DeliveredTo, recipient)
			return true
		}
	}
	return false
}

// DeliveryConfirmed reports whether every recipient's report arrived.
func (s *Session) DeliveryConfirmed() bool {
	return s.IDs.MessageID != "" && len(s.IDs.Recipients) > 0 && len(s.IDs.DeliveredTo) == len(s.IDs.Recipients)
}

// RecordReply notes an inbound message to the new number.
func (s *Session) RecordReply(messageID, from, to, body string) bool {
	if to != s.IDs.PhoneNumber || s.IDs.PhoneNumber == "" || s.IDs.Reply != nil {
		return false
	}
	s.IDs.Reply = &Reply{MessageID: messageID, From: from, Body: body}
	return true
}

// NoteEvent records what a webhook event says about the test message: a
// delivery report for one of its recipients, or a reply to the new number.
// It reports whether the event said something new. Refused (unauthorized)
// calls say nothing.
func (s *Session) NoteEvent(ev webhook.Event) bool {
	if !ev.Authorized {
		return false
	}
	switch ev.Kind {
	case "delivery":
		return s.RecordDelivery(ev.MessageID, ev.To)
	case "inbound":
		return s.RecordReply(ev.MessageID, ev.From, ev.To, ev.Body)
	}
	return false
}

// DeliverySettled: every delivery report and the reply have arrived.
func (s *Session) DeliverySettled() bool { return s.DeliveryConfirmed() && s.IDs.Reply != nil }
