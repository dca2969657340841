package flow

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/telegent/telegent-onboard/api"
)

// What a cleanup can remove, as Cleaned.Kind.
const (
	ResMessageRoute = "message route"
	ResVoiceRoute   = "voice route"
	ResSubscriber   = "subscriber"
	ResNumber       = "number"
)

// Cleaned is one resource the cleanup command removed (a route deleted, a
// number cancelled), kept in the session so a second cleanup does not try
// again and the wizard can tell a removed ID from a live one.
type Cleaned struct {
	Kind    string    `json:"kind"`
	ID      string    `json:"id"`                // MRID, CRID, or the number (E.164)
	Action  string    `json:"action"`            // "deleted", "cancelled", "already gone"
	OrderID string    `json:"orderId,omitempty"` // the cancel order, for a number
	At      time.Time `json:"at"`
}

// Removed reports whether cleanup removed the resource with this ID.
func (s *Session) Removed(id string) bool {
	if id == "" {
		return false
	}
	for _, c := range s.Cleanup {
		if c.ID == id {
			return true
		}
	}
	return false
}

// CleanupItem is one thing the session created, as cleanup sees it.
type CleanupItem struct {
	Kind string // ResMessageRoute, …
	ID   string // MRID, CRID, TSUID, or the number
	// Label is how a person recognises it: the route's name, the
	// subscriber's email, the number's NID.
	Label string
	// Removed is set when an earlier cleanup already removed it.
	Removed bool
	// Deletable is false for what the documented API cannot delete (a
	// subscriber); a number is deletable only by cancelling it.
	Deletable bool
}

// String is the item as a line of a list.
func (it CleanupItem) String() string {
	s := it.Kind + " " + it.ID
	if it.Label != "" {
		s += " (" + it.Label + ")"
	}
	switch {
	case it.Removed:
		s += ": already removed"
	case !it.Deletable:
		s += ": cannot be deleted through the documented API"
	}
	return s
}

// CleanupPlan lists what the session created, in the order cleanup treats
// it: the number (cancelled only on request, and first, because a live
// number holds its routes), the voice route, the message route, and the
// subscriber. A step whose answer was lost is listed with an empty ID: it
// may exist, and only a look at the account can tell.
func CleanupPlan(s *Session) []CleanupItem {
	var items []CleanupItem
	if n := s.IDs.PhoneNumber; n != "" {
		items = append(items, CleanupItem{Kind: ResNumber, ID: n, Label: s.IDs.PhoneNumberID, Removed: s.Removed(n), Deletable: true})
	}
	if id := s.IDs.VoiceRouteID; id != "" {
		label := ""
		if r := s.Inputs.VoiceRoute; r != nil {
			label = r.RouteName
		}
		items = append(items, CleanupItem{Kind: ResVoiceRoute, ID: id, Label: label, Removed: s.Removed(id), Deletable: true})
	}
	if id := s.IDs.MessageRouteID; id != "" {
		label := ""
		if r := s.Inputs.MessageRoute; r != nil {
			label = r.RouteName
		}
		items = append(items, CleanupItem{Kind: ResMessageRoute, ID: id, Label: label, Removed: s.Removed(id), Deletable: true})
	}
	if id := s.IDs.SubscriberID; id != "" {
		label := ""
		if r := s.Inputs.Subscriber; r != nil {
			label = r.Email
		}
		items = append(items, CleanupItem{Kind: ResSubscriber, ID: id, Label: label})
	}
	return items
}

// UncertainSteps are the creates whose answer was lost: they may have made
// something cleanup cannot name.
func UncertainSteps(s *Session) []Step {
	var out []Step
	for step := MessageRoute; step < NumSteps; step++ {
		if s.Steps[step].Status == Unknown || s.Steps[step].Status == InFlight {
			out = append(out, step)
		}
	}
	return out
}

// CleanupReport says what a cleanup did and what is left.
type CleanupReport struct {
	Done    []string // sentences: what was deleted or cancelled
	Remains []string // sentences: what is still there, and why
}

// Cleanup deletes the voice route and the message route the session
// created and, only when cancelNumber is set, cancels the purchased number
// first (a live number holds its routes, and the API refuses to delete a
// route in use). It records every removal in the session (the caller saves
// it), so a second run does not retry. Expected refusals (a route still in
// use) are reported in Remains; any other failure is also returned as an
// error, after the rest has been tried.
func Cleanup(ctx context.Context, c *api.Client, s *Session, cancelNumber bool) (CleanupReport, error) {
	var rep CleanupReport
	var errs []error
	done := func(f string, a ...any) { rep.Done = append(rep.Done, fmt.Sprintf(f, a...)) }
	remains := func(f string, a ...any) { rep.Remains = append(rep.Remains, fmt.Sprintf(f, a...)) }
	record := func(kind, id, action, order string) {
		s.Cleanup = append(s.Cleanup, Cleaned{Kind: kind, ID: id, Action: action, OrderID: order, At: time.Now().UTC()})
	}
	numberLive, numberCancelled := false, false
	for _, it := range CleanupPlan(s) {
		switch {
		case it.Removed:
			done("%s %s had already been removed by an earlier cleanup.", capitalize(it.Kind), it.ID)
			continue
		case it.Kind == ResSubscriber:
			remains("Subscriber %s%s remains: the documented API has no way to delete a subscriber (ask Telegent support if it must go).",
				it.ID, paren(it.Label))
			continue
		case it.Kind == ResNumber && !cancelNumber:
			numberLive = true
			remains("Number %s%s remains active (and billed); cancel it with --cancel-number.", it.ID, paren(it.Label))
			continue
		}
		var err error
		switch it.Kind {
		case ResNumber:
			var o *api.Order
			o, err = c.ChangeNumberStatus(ctx, api.NumberStatusRequest{StatusChange: api.StatusChangeCancel,
				PhoneNumbers: []api.PhoneNumberRef{{Number: it.ID}}})
			if err == nil {
				record(it.Kind, it.ID, "cancelled", o.OrderId)
				msg := fmt.Sprintf("Cancelled number %s (order %s, %s)", it.ID, o.OrderId, orNone(o.OrderStatus))
				done("%s; POST /numbers/reactivate undoes it.", msg)
				numberCancelled = true
				continue
			}
			numberLive = true
		case ResVoiceRoute:
			_, err = c.DeleteVoiceRoute(ctx, it.ID)
		case ResMessageRoute:
			_, err = c.DeleteMessageRoute(ctx, it.ID)
		}
		var ae *api.Error
		switch {
		case err == nil:
			record(it.Kind, it.ID, "deleted", "")
			done("Deleted %s %s%s.", it.Kind, it.ID, paren(it.Label))
		case errors.As(err, &ae) && ae.Kind == api.KindNotFound:
			record(it.Kind, it.ID, "already gone", "")
			done("%s %s was already gone (404).", capitalize(it.Kind), it.ID)
		case errors.As(err, &ae) && ae.Kind == api.KindConflict:
			why := "a number still uses it"
			switch {
			case numberCancelled:
				why += "; the number's cancel order may still be in progress, so run cleanup again once it completes"
			case numberLive:
				why += "; cancelling the number (--cancel-number) frees it"
			}
			remains("%s %s%s remains: %s (Telegent said: %s).", capitalize(it.Kind), it.ID, paren(it.Label), why, ae.Message)
		default:
			remains("%s %s%s remains: %v.", capitalize(it.Kind), it.ID, paren(it.Label), err)
			errs = append(errs, err)
		}
	}
	for _, step := range UncertainSteps(s) {
		remains("%s: the answer to its request was lost, so it may have created something the session has no ID for; check the account.", step.Title())
	}
	return rep, errors.Join(errs...)
}

func paren(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

func orNone(s string) string {
	if s == "" {
		return "no status"
	}
	return s
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
