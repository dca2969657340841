package flow

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/telegent/telegent-onboard/api"
)

// The summary, defined once: the quickstart's checkmarks and every ID by
// name. The summary screen, the summary printed on exit, --json and every
// export format read them here.

// Check is one of the quickstart's "You now have" lines, and whether the
// session has it.
type Check struct {
	Label string
	OK    bool
}

// Checks are the quickstart's closing checkmarks, and delivery.
func Checks(s *Session) []Check {
	done := func(step Step) bool { return s.Status(step) == Done }
	routes := "Message route configured"
	switch s.Status(VoiceRoute) {
	case Done:
		routes = "Message and voice routes configured"
	case Skipped:
		routes = "Message route configured (voice skipped)"
	}
	return []Check{
		{"Authenticated with the API", done(Credentials)},
		{routes, done(MessageRoute) && s.Status(VoiceRoute) != Pending},
		{"A phone number provisioned", done(Provision)},
		{"A subscriber with an active number", done(Subscriber) && done(Provision) && s.IDs.SubscriberID != ""},
		{"A test message sent", done(TestMessage)},
		{"Delivery confirmed", s.DeliveryConfirmed()},
	}
}

// SummaryID is one ID: its key (as exports name it), its short name (as
// the documents abbreviate it), its full name, and its value.
type SummaryID struct {
	Key, Short, Long, Value string
	Step                    Step
}

// SummaryIDs lists every ID the onboarding produces, in the steps' order.
func SummaryIDs(s *Session) []SummaryID {
	crid := s.IDs.VoiceRouteID
	if s.Status(VoiceRoute) == Skipped {
		crid = "skipped"
	}
	return []SummaryID{
		{"MRID", "MRID", "MessageRouteId (MRID)", s.IDs.MessageRouteID, MessageRoute},
		{"CRID", "CRID", "CallRouteId (CRID)", crid, VoiceRoute},
		{"TSUID", "TSUID", "SubscriberId (TSUID)", s.IDs.SubscriberID, Subscriber},
		{"NID", "NID", "PhoneNumberId (NID)", s.IDs.PhoneNumberID, Provision},
		{"OrderId", "OrderId", "OrderId", s.IDs.OrderID, Provision},
		{"PhoneNumber", "Number", "Number", s.IDs.PhoneNumber, Provision},
		{"MessageId", "MessageId", "MessageId", s.IDs.MessageID, TestMessage},
	}
}

// Shown is an ID as a person reads it: the value, or why there is none.
func (id SummaryID) Shown(s *Session) string {
	switch {
	case id.Value != "":
		return id.Value
	case s.Status(id.Step) == Pending || s.Status(id.Step) == InFlight:
		return "not reached"
	case s.Status(id.Step) == Skipped:
		return "skipped"
	}
	return "—"
}

// NamedIDs are the session's IDs by key, the empty ones left out.
func NamedIDs(s *Session) map[string]string {
	m := map[string]string{}
	if s.AccountID != "" {
		m["AccountId"] = s.AccountID
	}
	for _, id := range SummaryIDs(s) {
		if id.Value != "" && id.Value != "skipped" {
			m[id.Key] = id.Value
		}
	}
	return m
}

// PlainSummary is the summary as text, printed when the wizard closes so
// the IDs stay in the terminal's scrollback.
func PlainSummary(s *Session) string {
	var b strings.Builder
	b.WriteString("Telegent onboarding summary\n")
	for _, c := range Checks(s) {
		mark := "✗"
		if c.OK {
			mark = "✓"
		}
		fmt.Fprintf(&b, "  %s %s\n", mark, c.Label)
	}
	for _, id := range SummaryIDs(s) {
		fmt.Fprintf(&b, "  %-22s %s\n", id.Long, id.Shown(s))
	}
	return b.String()
}

// RunSummary is what a headless run reports with --json: every ID under
// the API's own names, each step's status, and no secret.
type RunSummary struct {
	BaseURL        string            `json:"BaseURL"`
	AccountId      string            `json:"AccountId"`
	MessageRouteId string            `json:"MessageRouteId"`
	VoiceRouteId   string            `json:"VoiceRouteId"`
	AreaCode       string            `json:"AreaCode,omitempty"`
	ZipCode        string            `json:"ZipCode,omitempty"`
	SubscriberId   string            `json:"SubscriberId"`
	PhoneNumber    string            `json:"PhoneNumber"`
	PhoneNumberId  string            `json:"PhoneNumberId"`
	OrderId        string            `json:"OrderId"`
	OrderStatus    string            `json:"OrderStatus"`
	QRCode         string            `json:"QRCode,omitempty"`
	ActivationCode string            `json:"ActivationCode,omitempty"`
	MessageId      string            `json:"MessageId"`
	Recipients     []api.Recipient   `json:"Recipients"`
	Checks         map[string]bool   `json:"Checks"`
	Steps          map[string]Status `json:"Steps"`
}

// stepKeys name the steps in a summary, as an answers file does.
var stepKeys = [NumSteps]string{"Credentials", "MessageRoute", "VoiceRoute", "Availability", "Subscriber", "Provision", "Message"}

// Summary is the session's IDs, checks and statuses for --json.
func Summary(s *Session) RunSummary {
	out := RunSummary{
		BaseURL: s.BaseURL, AccountId: s.AccountID,
		MessageRouteId: s.IDs.MessageRouteID, VoiceRouteId: s.IDs.VoiceRouteID,
		SubscriberId: s.IDs.SubscriberID, PhoneNumber: s.IDs.PhoneNumber, PhoneNumberId: s.IDs.PhoneNumberID,
		OrderId: s.IDs.OrderID, OrderStatus: s.IDs.OrderStatus, QRCode: s.IDs.QRCode,
		ActivationCode: api.ActivationCode(s.IDs.QRCode), MessageId: s.IDs.MessageID,
		Recipients: append([]api.Recipient{}, s.IDs.Recipients...), Steps: map[string]Status{}, Checks: map[string]bool{},
	}
	if a := s.IDs.PickedArea; a != nil {
		out.AreaCode, out.ZipCode = strconv.Itoa(int(a.AreaCode)), string(a.Zipcode)
	}
	for i, k := range stepKeys {
		out.Steps[k] = s.Steps[i].Status
	}
	for _, c := range Checks(s) {
		out.Checks[c.Label] = c.OK
	}
	return out
}
