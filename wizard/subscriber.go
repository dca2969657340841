package wizard

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// subscriberScreen creates the end user who will use the number.
type subscriberScreen struct {
	formScreen
	d api.SubscriberRequest
	// resending: the user chose to send a subscriber whose first attempt's
	// outcome is unknown; a 409 "email taken" then proves it was created.
	resending bool
	// adopting: the form asks for the TSUID of that subscriber instead.
	adopting bool
	tsuid    string
}

func newSubscriberScreen(sh *shared) *subscriberScreen {
	return &subscriberScreen{formScreen: formScreen{sh: sh}, d: sh.defaults.Subscriber}
}

func (s *subscriberScreen) Enter() tea.Cmd {
	s.adopting = false
	sess := s.sh.session
	if prev := sess.Inputs.Subscriber; prev != nil && s.d.Email == "" {
		s.d = *prev
	}
	if s.d.AccountId == "" {
		s.d.AccountId = sess.AccountID
	}
	d := &s.d
	return s.build(huh.NewGroup(
		huh.NewInput().Title("Name").Value(&d.Name).Validate(s.sh.keep(&d.Name, required("Name"))),
		huh.NewInput().Title("Email").Description("Unique across the whole Telegent platform.").
			EchoMode(s.sh.presenterEcho()).Value(&d.Email).Validate(s.sh.keep(&d.Email, check("Email", isEmail))),
		huh.NewSelect[string]().Title("Role").Options(options("Subscriber", "Manager", "Account Admin")...).Value(&d.Role),
	).Title("Step 5 · Subscriber").Description(flow.Subscriber.Endpoint()), huh.NewGroup(
		huh.NewInput().Title("Password").Description("Masked; at least 8 characters. Never stored.").
			EchoMode(huh.EchoModePassword).Value(&d.Password).Validate(s.sh.keep(&d.Password, check("Password", minLength(8)))),
		huh.NewInput().Title("AccountId").EchoMode(s.sh.presenterEcho()).Value(&d.AccountId).Validate(s.sh.keep(&d.AccountId, required("AccountId"))),
	).Title("Sign-in and account"))
}

func (s *subscriberScreen) Update(msg tea.Msg) tea.Cmd {
	if _, ok := msg.(formDoneMsg); ok && s.adopting {
		return s.adopt()
	}
	if _, ok := msg.(formDoneMsg); ok {
		sh := s.sh
		d := s.d
		d.Name, d.Email, d.AccountId = strings.TrimSpace(d.Name), strings.TrimSpace(d.Email), strings.TrimSpace(d.AccountId)
		req := sh.session.SubscriberRequest(d)
		if sh.session.AlreadyCreated(flow.Subscriber, req) {
			return sh.advance()
		}
		return sh.createOrKeep(sh.session.Status(flow.Subscriber) == flow.Done, "subscriber", sh.session.IDs.SubscriberID, &request{
			step:   flow.Subscriber,
			create: true,
			input:  req,
			label:  "Creating the subscriber…",
			do: func(ctx context.Context) (any, error) {
				return sh.client.CreateSubscriber(ctx, req)
			},
			done: func(v any, err error) tea.Cmd {
				resp, _ := v.(*api.Subscriber)
				sh.session.RecordSubscriber(req, resp, err, sh.now())
				if emailTakenAfterUnknown(err, s.resending) {
					// The first attempt worked: its subscriber holds the email.
					sh.handled = true
					sh.session.Steps[flow.Subscriber] = flow.StepRecord{Status: flow.Unknown, Error: err.Error(), UpdatedAt: sh.now()}
					return sh.ask(&question{
						title: "The earlier attempt created the subscriber",
						text:  "Telegent says " + req.Email + " is taken: the first attempt succeeded. Enter its SubscriberId (TSUID) to use it, or go on without assigning a subscriber.",
						answers: []answer{
							{label: "Enter its TSUID", key: "t", cmd: func() tea.Msg { return adoptPromptMsg{} }},
							{label: "Go on without one", key: "g", cmd: func() tea.Msg { return skipSubscriberMsg{} }},
						},
					})
				}
				s.resending = false
				if err != nil {
					return nil
				}
				return sh.advance()
			},
		})
	}
	return s.update(msg)
}

func (s *subscriberScreen) View() string        { return s.view() }
func (s *subscriberScreen) Resize(w, h int)     { s.resize(w, h) }
func (s *subscriberScreen) AtStart() bool       { return s.atStart() }
func (s *subscriberScreen) Typing() bool        { return s.typing() }
func (s *subscriberScreen) Keys() []key.Binding { return []key.Binding{s.sh.keys.Next} }
