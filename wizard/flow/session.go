// Package flow is the onboarding itself, without a user interface: the
// engine (engine.go) that runs each of the quickstart's seven steps as a
// transaction, the field rules every value is checked by, the Session that
// carries every ID forward, and the summary every output prints. Three
// drivers run it, so they cannot disagree about what a step does: the
// full-screen wizard (package wizard), plain prompts (wizard/accessible)
// and the headless run (Headless, here, since it has no UI).
//
// Each step has three parts: begin (Engine.Submit: the request completed
// with what earlier steps produced, checked, marked in flight), the API
// call (Call.Run: the only I/O, run by the driver wherever it likes: a
// tea.Cmd or a plain loop), and settle (Engine.Settle: the outcome
// recorded, and what happens next).
package flow

import (
	"time"

	"github.com/telegent/telegent-onboard/api"
)

// Step is one of the quickstart's seven steps.
type Step int

const (
	Credentials Step = iota
	MessageRoute
	VoiceRoute
	Availability
	Subscriber
	Provision
	TestMessage
	NumSteps = 7
)

var stepInfo = [NumSteps]struct{ title, endpoint, idName string }{
	{"Credentials", "POST /v1.0/oauth2/tokens", ""},
	{"Message route", "POST /v1.0/message/routes", "MRID"},
	{"Voice route", "POST /v1.0/voice/routes", "CRID"},
	{"Availability", "POST /v1.0/numbers/availability", ""},
	{"Subscriber", "POST /v1.0/subscribers/create", "TSUID"},
	{"Provision", "POST /v1.0/numbers/provision", "NID"},
	{"Test SMS", "POST /v1.0/message/outbound", "MessageId"},
}

// Title is the step's name on screen.
func (s Step) Title() string { return stepInfo[s].title }

// Endpoint is the operation the step calls.
func (s Step) Endpoint() string { return stepInfo[s].endpoint }

// Status is where a step stands.
type Status string

const (
	Pending  Status = "pending"
	InFlight Status = "in-flight"       // sent, answer not yet in
	Done     Status = "done"            // created (or found) and recorded
	Skipped  Status = "skipped"         // optional and left out
	Failed   Status = "failed"          // refused; nothing was created
	Unknown  Status = "unknown-outcome" // sent, answer lost: may exist
)

// StepRecord is one step's state.
type StepRecord struct {
	Status    Status    `json:"status"`
	Error     string    `json:"error,omitempty"`
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
	// Existing are the IDs of the account's routes with the same name
	// before this step's create was sent: a look-up after a lost answer
	// never adopts one of them (someone else's, or an older one).
	Existing []string `json:"existing,omitempty"`
}

// Session is everything the onboarding has sent and gathered. Inputs keep
// what each step sent (so going back shows it, and an unchanged resubmit
// does not create a duplicate); secrets in them live only in memory.
type Session struct {
	BaseURL   string                  `json:"baseUrl"`
	AccountID string                  `json:"accountId"`
	Steps     [NumSteps]StepRecord    `json:"steps"`
	StartedAt time.Time               `json:"startedAt,omitzero"`
	Inputs    Inputs                  `json:"inputs"`
	IDs       IDs                     `json:"ids"`
	Areas     []api.NumberArea        `json:"-"` // the last search's results, for the table
	Order     *api.Order              `json:"-"`
	Message   *api.Message            `json:"-"`
	Exchanges map[Step][]api.Exchange `json:"-"` // for the inspector

	// adopting names the route a person chose among a look-up's
	// candidates (QWhichRoute); only it may be adopted.
	adopting string

	// Cleanup is what the cleanup command removed (cleanup.go).
	Cleanup []Cleaned `json:"cleanup,omitempty"`
}

// Inputs are the request bodies as last sent (or about to be).
type Inputs struct {
	MessageRoute *api.MessageRouteRequest    `json:"messageRoute,omitempty"`
	VoiceRoute   *api.VoiceRouteRequest      `json:"voiceRoute,omitempty"`
	Availability *api.AvailabilityRequest    `json:"availability,omitempty"`
	Subscriber   *api.SubscriberRequest      `json:"subscriber,omitempty"`
	Provision    *api.ProvisionRequest       `json:"provision,omitempty"`
	Message      *api.OutboundMessageRequest `json:"message,omitempty"`
}

// IDs are what the steps produced, under the names the documents use.
type IDs struct {
	MessageRouteID string          `json:"messageRouteId,omitempty"` // MRID-…
	VoiceRouteID   string          `json:"voiceRouteId,omitempty"`   // CRID-…
	ResultsTotal   int             `json:"resultsTotal,omitempty"`
	PickedArea     *api.NumberArea `json:"pickedArea,omitempty"`
	SubscriberID   string          `json:"subscriberId,omitempty"` // TSUID-…
	OrderID        string          `json:"orderId,omitempty"`      // JNUOID-…
	OrderStatus    string          `json:"orderStatus,omitempty"`
	PhoneNumber    string          `json:"phoneNumber,omitempty"`   // E.164
	PhoneNumberID  string          `json:"phoneNumberId,omitempty"` // NID-…
	QRCode         string          `json:"qrCode,omitempty"`
	MessageID      string          `json:"messageId,omitempty"` // TMID-…
	Recipients     []api.Recipient `json:"recipients,omitempty"`
	// DeliveredTo lists the recipients whose delivery report arrived.
	DeliveredTo []string `json:"deliveredTo,omitempty"`
	// Reply is an inbound message to the new number, seen at the route.
	Reply *Reply `json:"reply,omitempty"`
}

// Reply is an inbound message that reached the route's MessageUrl.
type Reply struct {
	MessageID string `json:"messageId"`
	From      string `json:"from"`
	Body      string `json:"body"`
}

// NewSession starts an empty session for an API and account.
func NewSession(baseURL, accountID string, now time.Time) *Session {
	s := &Session{BaseURL: baseURL, AccountID: accountID, StartedAt: now}
	for i := range s.Steps {
		s.Steps[i].Status = Pending
	}
	return s
}

// Status of a step.
func (s *Session) Status(step Step) Status { return s.Steps[step].Status }

func (s *Session) mark(step Step, status Status, err error, now time.Time) {
	existing := s.Steps[step].Existing
	s.Steps[step] = StepRecord{Status: status, UpdatedAt: now}
	if status == InFlight || status == Unknown {
		s.Steps[step].Existing = existing // a look-up still needs them
	}
	if err != nil {
		s.Steps[step].Error = err.Error()
	}
}

// MarkInFlight notes that a step's request is about to be sent.
func (s *Session) MarkInFlight(step Step, now time.Time) { s.mark(step, InFlight, nil, now) }

// settle records a failed call: a lost answer leaves the step unknown (the
// resource may exist), any other error leaves it failed; a step that had
// already succeeded keeps its result (a failed re-creation loses nothing).
func (s *Session) settle(step Step, err error, now time.Time) {
	if s.Steps[step].Status == Done {
		s.Steps[step].Error = err.Error()
		return
	}
	status := Failed
	if isUnknown(err) {
		status = Unknown
	}
	s.mark(step, status, err, now)
}

// FirstOpen is the first step that is neither done nor skipped, or NumSteps
// when the onboarding is complete.
func (s *Session) FirstOpen() Step {
	for step := Credentials; step < NumSteps; step++ {
		if st := s.Steps[step].Status; st != Done && st != Skipped {
			return step
		}
	}
	return NumSteps
}

// ID is the identifier a step produced, for the stepper and the summary.
func (s *Session) ID(step Step) string {
	switch step {
	case MessageRoute:
		return s.IDs.MessageRouteID
	case VoiceRoute:
		if s.Steps[step].Status == Skipped {
			return "skipped"
		}
		return s.IDs.VoiceRouteID
	case Availability:
		if a := s.IDs.PickedArea; a != nil {
			return areaLabel(*a)
		}
	case Subscriber:
		return s.IDs.SubscriberID
	case Provision:
		return s.IDs.PhoneNumber
	case TestMessage:
		return s.IDs.MessageID
	}
	return ""
}

func areaLabel(a api.NumberArea) string {
	return itoa(int(a.AreaCode)) + " / " + string(a.Zipcode)
}
