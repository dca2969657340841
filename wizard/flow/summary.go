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

// SummarySchemaVersion is RunSummary's "schemaVersion". It goes up only
// when a key is removed, renamed or changes meaning; a key may be added
// without it.
const SummarySchemaVersion = 1

// RunSummary is the one JSON shape of a session's outcome: `--json` after a
// headless run and `export --format json` both print it (ExportJSON), so a
// script reads either the same way. Every key is always present (empty
// string, empty list, false) and camelCase like every JSON the command
// prints; IDs are under the API's names; nothing secret is in it. The
// README documents it.
type RunSummary struct {
	SchemaVersion  int                `json:"schemaVersion"`
	BaseURL        string             `json:"baseUrl"`
	AccountId      string             `json:"accountId"`
	MessageRouteId string             `json:"messageRouteId"`
	VoiceRouteId   string             `json:"voiceRouteId"`
	AreaCode       string             `json:"areaCode"`
	ZipCode        string             `json:"zipCode"`
	SubscriberId   string             `json:"subscriberId"`
	PhoneNumber    string             `json:"phoneNumber"`
	PhoneNumberId  string             `json:"phoneNumberId"`
	OrderId        string             `json:"orderId"`
	OrderStatus    string             `json:"orderStatus"`
	QRCode         string             `json:"qrCode"`
	ActivationCode string             `json:"activationCode"`
	MessageId      string             `json:"messageId"`
	Recipients     []SummaryRecipient `json:"recipients"`
	Steps          map[string]Status  `json:"steps"`
	Checks         map[string]bool    `json:"checks"`
	Removed        []string           `json:"removed"` // IDs (and numbers) cleanup deleted or cancelled
}

// SummaryRecipient is one recipient of the test message and its status.
type SummaryRecipient struct {
	Number string `json:"number"`
	Status string `json:"status"`
}

// stepKeys name the steps in a summary, in camelCase like every key.
var stepKeys = [NumSteps]string{"credentials", "messageRoute", "voiceRoute", "availability", "subscriber", "provision", "message"}

// checkKeys name Checks' lines, in their order, by what they mean: a
// line's label changes with the session ("Message route configured (voice
// skipped)"), a key must not. TestSummaryNamesEveryCheck fails when Checks
// gains a line without a key here.
var checkKeys = []string{"authenticated", "routesConfigured", "numberProvisioned", "subscriberActive", "messageSent", "deliveryConfirmed"}

// Summary is the session's IDs, checks and statuses in the RunSummary shape.
func Summary(s *Session) RunSummary {
	out := RunSummary{
		SchemaVersion: SummarySchemaVersion,
		BaseURL:       s.BaseURL, AccountId: s.AccountID,
		MessageRouteId: s.IDs.MessageRouteID, VoiceRouteId: s.IDs.VoiceRouteID,
		SubscriberId: s.IDs.SubscriberID, PhoneNumber: s.IDs.PhoneNumber, PhoneNumberId: s.IDs.PhoneNumberID,
		OrderId: s.IDs.OrderID, OrderStatus: s.IDs.OrderStatus, QRCode: s.IDs.QRCode,
		ActivationCode: api.ActivationCode(s.IDs.QRCode), MessageId: s.IDs.MessageID,
		Recipients: []SummaryRecipient{}, Steps: map[string]Status{}, Checks: map[string]bool{}, Removed: []string{},
	}
	for _, r := range s.IDs.Recipients {
		out.Recipients = append(out.Recipients, SummaryRecipient{Number: r.Number, Status: r.Status})
	}
	if a := s.IDs.PickedArea; a != nil {
		out.AreaCode, out.ZipCode = strconv.Itoa(int(a.AreaCode)), string(a.Zipcode)
	}
	for i, k := range stepKeys {
		out.Steps[k] = s.Steps[i].Status
	}
	for i, c := range Checks(s) {
		if i < len(checkKeys) {
			out.Checks[checkKeys[i]] = c.OK
		}
	}
	for _, c := range s.Cleanup {
		out.Removed = append(out.Removed, c.ID)
	}
	return out
}
