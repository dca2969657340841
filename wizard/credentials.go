package wizard

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/telegent/telegent-onboard/wizard/flow"
)

// credentialsScreen asks for the AccountKey, AccountSecret and AccountId;
// the engine authenticates and checks the AccountId before moving on.
type credentialsScreen struct {
	formScreen
	typed   flow.Values // what was typed, kept across re-entries (the secret in memory only)
	waiting bool        // submitted before the sandbox was up
}

func newCredentialsScreen(sh *shared) *credentialsScreen {
	return &credentialsScreen{formScreen: formScreen{sh: sh}, typed: flow.Values{
		"AccountKey": sh.opts.Credentials.AccountKey, "AccountSecret": sh.opts.Credentials.AccountSecret, "AccountId": sh.opts.AccountID}}
}

func (s *credentialsScreen) Enter() tea.Cmd {
	s.waiting, s.problem = false, ""
	return s.build(flow.Credentials, flow.FormOf(flow.Credentials, s.sh.session), s.typed)
}

func (s *credentialsScreen) Refused(n flow.Next) tea.Cmd { return s.refused(n, s.Enter) }

func (s *credentialsScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg.(type) {
	case formDoneMsg:
		s.typed = s.values()
		if !s.sh.ready {
			s.waiting = true // authenticate as soon as the sandbox listens
			return nil
		}
		return s.submit()
	case sandboxReadyMsg:
		if s.waiting {
			s.waiting = false
			return s.submit()
		}
		return nil
	}
	return s.update(msg)
}

func (s *credentialsScreen) submit() tea.Cmd {
	v := s.typed
	return s.sh.act(s.sh.eng.Submit(flow.Credentials,
		flow.CredentialsInput{AccountKey: v["AccountKey"], AccountSecret: v["AccountSecret"], AccountId: v["AccountId"]}))
}

func (s *credentialsScreen) View() string {
	if s.waiting {
		return s.sh.spinner.View() + " Starting the sandbox…"
	}
	return s.view()
}

func (s *credentialsScreen) formOf() *formScreen { return &s.formScreen }
func (s *credentialsScreen) Resize(w, h int)     { s.resize(w, h) }
func (s *credentialsScreen) AtStart() bool       { return s.atStart() }
func (s *credentialsScreen) Typing() bool        { return s.typing() }
func (s *credentialsScreen) Keys() []key.Binding { return []key.Binding{s.sh.keys.Next} }
