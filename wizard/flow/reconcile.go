package flow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/telegent/telegent-onboard/api"
)

// ErrSubscriberUnknown is Reconcile's answer for a subscriber whose create
// may have succeeded: the API has no lookup by email, so it cannot tell.
// The caller sends the create again; a 409 "email taken" (api.KindEmailTaken)
// on it means the first attempt succeeded, and only the person who knows
// the subscriber's ID can finish (for a headless run: Subscriber.SubscriberId
// in the answers file).
var ErrSubscriberUnknown = errors.New("the subscriber may exist, but the API cannot look a subscriber up by email")

// AmbiguousError is a look-up that found more than one resource the lost
// create could have made (several runs with the same answers at once):
// adopting one would be a guess, so a person chooses.
type AmbiguousError struct{ IDs []string }

func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("%d routes could be the one that was created (%s): it cannot be told which", len(e.IDs), strings.Join(e.IDs, ", "))
}

// ErrNothingToMatch means the session does not hold the request that was
// in flight, so there is nothing to look up by.
var ErrNothingToMatch = errors.New("the session does not hold the request that was sent, so it cannot be looked up")

// NeedsReconcile reports whether a step's outcome is open: its request was
// (or may have been) sent and no answer was recorded.
func (s *Session) NeedsReconcile(step Step) bool {
	st := s.Steps[step].Status
	return st == InFlight || st == Unknown
}

// Reconcile looks up the resource an in-flight or unknown-outcome step may
// have created, and adopts it into the session when found (the step becomes
// Done with the resource's IDs). adopted false with a nil error means the
// resource is surely absent: create it again. Any error means it could not
// be told: do not create it.
//
// It matches against the request stored in s.Inputs for the step, so a
// caller stores the completed request there before MarkInFlight:
//
//   - message route: the account's message routes, by RouteName (and
//     MessageUrl and method); the last match wins
//   - voice route: the account's voice routes, by RouteName and RouteType
//   - subscriber: by the SubscriberId the session already holds, else
//     ErrSubscriberUnknown (no lookup by email exists)
//   - provision: the number inventory, a number on the request's
//     MessageRouteId (and AssignedSubscriberId when set) that is not
//     cancelled; its order is read for the status
//   - test message: the From number's messages, by Body and recipients
//
// Credentials and availability create nothing: they are never adopted.
func Reconcile(ctx context.Context, c *api.Client, s *Session, step Step, now time.Time) (adopted bool, err error) {
	switch step {
	case MessageRoute:
		return reconcileMessageRoute(ctx, c, s, now)
	case VoiceRoute:
		return reconcileVoiceRoute(ctx, c, s, now)
	case Subscriber:
		return reconcileSubscriber(ctx, c, s, now)
	case Provision:
		return reconcileProvision(ctx, c, s, now)
	case TestMessage:
		return reconcileMessage(ctx, c, s, now)
	}
	return false, nil
}

func reconcileMessageRoute(ctx context.Context, c *api.Client, s *Session, now time.Time) (bool, error) {
	in := s.Inputs.MessageRoute
	if in == nil {
		return false, ErrNothingToMatch
	}
	list, err := c.ListMessageRoutes(ctx, s.AccountID)
	if err != nil {
		return false, err
	}
	existing := s.Steps[MessageRoute].Existing
	var found []*api.MessageRoute
	for i := range list.Results {
		r := &list.Results[i]
		if s.adopting != "" && r.MessageRouteId != s.adopting {
			continue
		}
		if r.RouteName == in.RouteName && r.MessageRouteId != "" && !slices.Contains(existing, r.MessageRouteId) &&
			(r.MessageUrl == "" || r.MessageUrl == in.MessageUrl) &&
			(r.MessageUrlMethod == "" || strings.EqualFold(r.MessageUrlMethod, in.MessageUrlMethod)) {
			found = append(found, r)
		}
	}
	switch len(found) {
	case 0:
		return false, nil
	case 1:
		s.RecordMessageRoute(*in, found[0], nil, now)
		return true, nil
	}
	ids := make([]string, len(found))
	for i, r := range found {
		ids[i] = r.MessageRouteId
	}
	return false, &AmbiguousError{IDs: ids}
}

func reconcileVoiceRoute(ctx context.Context, c *api.Client, s *Session, now time.Time) (bool, error) {
	in := s.Inputs.VoiceRoute
	if in == nil {
		return false, ErrNothingToMatch
	}
	list, err := c.ListVoiceRoutes(ctx, s.AccountID)
	if err != nil {
		return false, err
	}
	existing := s.Steps[VoiceRoute].Existing
	var found []*api.VoiceRoute
	for i := range list.Results {
		r := &list.Results[i]
		if s.adopting != "" && r.CallRouteId != s.adopting {
			continue
		}
		if r.RouteName == in.RouteName && r.CallRouteId != "" && !slices.Contains(existing, r.CallRouteId) &&
			(r.RouteType == "" || strings.EqualFold(r.RouteType, in.RouteType)) &&
			!strings.EqualFold(r.CallRouteStatus, "Deleted") {
			found = append(found, r)
		}
	}
	switch len(found) {
	case 0:
		return false, nil
	case 1:
		s.RecordVoiceRoute(*in, found[0], nil, now)
		return true, nil
	}
	ids := make([]string, len(found))
	for i, r := range found {
		ids[i] = r.CallRouteId
	}
	return false, &AmbiguousError{IDs: ids}
}

func reconcileSubscriber(ctx context.Context, c *api.Client, s *Session, now time.Time) (bool, error) {
	if s.IDs.SubscriberID == "" {
		return false, ErrSubscriberUnknown
	}
	sub, err := c.GetSubscriber(ctx, s.IDs.SubscriberID)
	if err != nil {
		return false, err
	}
	req := api.SubscriberRequest{}
	if s.Inputs.Subscriber != nil {
		req = *s.Inputs.Subscriber
	}
	s.RecordSubscriber(req, sub, nil, now)
	return true, nil
}

// AdoptSubscriber records an existing subscriber, named by the user, as the
// step's result (after a lost answer: the API cannot find it by email).
func AdoptSubscriber(ctx context.Context, c *api.Client, s *Session, id string, now time.Time) error {
	sub, err := c.GetSubscriber(ctx, id)
	if err != nil {
		return err
	}
	if sub.SubscriberId == "" {
		sub.SubscriberId = id
	}
	req := api.SubscriberRequest{}
	if s.Inputs.Subscriber != nil {
		req = *s.Inputs.Subscriber
	}
	s.RecordSubscriber(req, sub, nil, now)
	return nil
}

// inventoryPage is how many numbers one inventory request asks for.
const inventoryPage = 1000

func reconcileProvision(ctx context.Context, c *api.Client, s *Session, now time.Time) (bool, error) {
	in := s.Inputs.Provision
	if in == nil || in.MessageRouteId == "" {
		return false, ErrNothingToMatch
	}
	var found *api.Number
	for page := 1; ; page++ {
		inv, err := c.NumberInventory(ctx, api.InventoryQuery{PageNumber: page, TotalNumbersRequested: inventoryPage})
		if err != nil {
			return false, err
		}
		for i := range inv.PhoneNumbers {
			n := &inv.PhoneNumbers[i]
			if n.MessageRouteId == in.MessageRouteId && n.Number != "" &&
				(in.AssignedSubscriberId == "" || n.AssignedSubscriberId == in.AssignedSubscriberId) &&
				api.OrderState(n.Status) != api.OrderFailed {
				found = n
			}
		}
		if len(inv.PhoneNumbers) < inventoryPage || page*inventoryPage >= int(inv.TotalResults) {
			break
		}
	}
	if found == nil {
		return false, nil
	}
	resp := &api.ProvisionResponse{OrderId: found.OrderId, PhoneNumberAssigned: found.Number,
		PhoneNumberId: found.TNID, QRCode: found.QrActivationLink, ICCID: found.Iccid,
		SubscriberId: found.AssignedSubscriberId, ZipCode: found.ZipCode}
	var order *api.Order
	if found.OrderId != "" {
		o, err := c.GetOrder(ctx, found.OrderId)
		if err != nil {
			return false, fmt.Errorf("number %s found, but its order %s could not be read: %w", found.Number, found.OrderId, err)
		}
		order = o
		resp.OrderStatus = o.OrderStatus
	} else if strings.EqualFold(found.Status, "Active") {
		resp.OrderStatus = "Complete"
	} else {
		resp.OrderStatus = "Pending"
	}
	s.RecordProvision(*in, resp, nil, now)
	if order != nil {
		s.RecordOrder(order, nil, now)
	}
	return true, nil
}

// searchPage is how many messages one search request asks for.
const searchPage = 100

func reconcileMessage(ctx context.Context, c *api.Client, s *Session, now time.Time) (bool, error) {
	in := s.Inputs.Message
	if in == nil || in.From == "" {
		return false, ErrNothingToMatch
	}
	want := recipientNumbers(in.To)
	var found *api.Message
	for page := 1; found == nil; page++ {
		res, err := c.SearchMessages(ctx, api.MessageSearchQuery{PhoneNumber: in.From, Page: page, Results: searchPage})
		if err != nil {
			return false, err
		}
		for i := range res.Results {
			m := &res.Results[i]
			if m.MessageId != "" && m.From == in.From && m.Body == in.Body &&
				(m.Direction == "" || strings.EqualFold(m.Direction, "Outbound")) &&
				slices.Equal(recipientNumbers(m.To), want) {
				found = m
				break // newest first
			}
		}
		if len(res.Results) < searchPage || page >= int(res.ResultsPages) {
			break
		}
	}
	if found == nil {
		return false, nil
	}
	s.RecordMessage(*in, found, nil, now)
	return true, nil
}

func recipientNumbers(to []api.Recipient) []string {
	out := make([]string, 0, len(to))
	for _, r := range to {
		out = append(out, r.Number)
	}
	slices.Sort(out)
	return out
}
