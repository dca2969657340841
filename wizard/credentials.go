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

// credentialsScreen asks for the AccountKey, AccountSecret and AccountId and
// authenticates before moving on.
type credentialsScreen struct {
	formScreen
	key, secret, accountID string
	waiting                bool // submitted before the sandbox was up
}

func newCredentialsScreen(sh *shared) *credentialsScreen {
	return &credentialsScreen{formScreen: formScreen{sh: sh},
		key: sh.opts.Credentials.AccountKey, secret: sh.opts.Credentials.AccountSecret, accountID: sh.opts.AccountID}
}

func (s *credentialsScreen) Enter() tea.Cmd {
	s.waiting = false
	return s.build(huh.NewGroup(
		huh.NewInput().Title("AccountKey").Description("From your Telegent representative (looks like DID-…).").
			EchoMode(s.sh.presenterEcho()).Value(&s.key).Validate(s.sh.keep(&s.key, required("AccountKey"))),
		huh.NewInput().Title("AccountSecret").Description("Masked. It is sent once, to get a token, and never stored.").
			EchoMode(huh.EchoModePassword).Value(&s.secret).Validate(s.sh.keep(&s.secret, required("AccountSecret"))),
		huh.NewInput().Title("AccountId").Description("The account the line belongs to (AID-…).").
			EchoMode(s.sh.presenterEcho()).Value(&s.accountID).Validate(s.sh.keep(&s.accountID, required("AccountId"))),
	).Title("Step 1 · Credentials").Description(flow.Credentials.Endpoint()))
}

func (s *credentialsScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg.(type) {
	case formDoneMsg:
		if !s.sh.ready {
			s.waiting = true // authenticate as soon as the sandbox listens
			return nil
		}
		return s.authenticate()
	case sandboxReadyMsg:
		if s.waiting {
			s.waiting = false
			return s.authenticate()
		}
		return nil
	}
	return s.update(msg)
}

func (s *credentialsScreen) authenticate() tea.Cmd {
	sh := s.sh
	creds := api.Credentials{AccountKey: strings.TrimSpace(s.key), AccountSecret: s.secret}
	accountID := strings.TrimSpace(s.accountID)
	opts := append([]api.Option{api.WithObserver(sh.rec.add)}, sh.opts.ClientOptions...)
	client, err := api.New(sh.baseURL, creds, opts...)
	return sh.run(&request{
		step:  flow.Credentials,
		label: "Authenticating with Telegent…",
		do: func(ctx context.Context) (any, error) {
			if err != nil {
				return nil, err
			}
			return nil, client.Authenticate(ctx)
		},
		done: func(_ any, err error) tea.Cmd {
			sh.session.RecordCredentials(accountID, err, sh.now())
			if err != nil {
				return nil
			}
			sh.client = client
			return sh.openSession()
		},
	})
}

func (s *credentialsScreen) View() string {
	if s.waiting {
		return s.sh.spinner.View() + " Starting the sandbox…"
	}
	return s.view()
}

func (s *credentialsScreen) Resize(w, h int)     { s.resize(w, h) }
func (s *credentialsScreen) AtStart() bool       { return s.atStart() }
func (s *credentialsScreen) Typing() bool        { return s.typing() }
func (s *credentialsScreen) Keys() []key.Binding { return []key.Binding{s.sh.keys.Next} }
