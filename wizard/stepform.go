package wizard

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/telegent/telegent-onboard/wizard/flow"
)

// stepForm is a screen that is one step's form: it starts from the
// engine's draft (what was sent last, or the defaults, with what earlier
// steps produced), and hands the values to the engine on submit. The
// message route, voice route and subscriber screens are this and nothing
// else; the others add a result or a table.
type stepForm struct {
	formScreen
	typed flow.Values // the values of the last submission (secrets in memory only)
}

// enter builds the form from the draft; adjust may change the values
// first.
func (s *stepForm) enter(adjust func(flow.Values)) tea.Cmd {
	s.problem = ""
	v := flow.ValuesOf(s.sh.eng.Draft(s.step))
	if adjust != nil {
		adjust(v)
	}
	return s.build(s.step, flow.FormOf(s.step, s.sh.session), v)
}

// submit hands the form to the engine.
func (s *stepForm) submit() tea.Cmd {
	s.typed = s.values()
	req := flow.RequestOf(s.step, s.typed, s.sh.eng.Draft(s.step))
	return s.sh.act(s.sh.eng.Submit(s.step, req))
}

// Refused rebuilds the form with what was typed, the engine's complaint
// above it and the focus on the field it names.
func (s *stepForm) Refused(n flow.Next) tea.Cmd {
	return s.refused(n, func() tea.Cmd {
		v := s.typed
		if v == nil {
			v = flow.ValuesOf(s.sh.eng.Draft(s.step))
		}
		return s.build(s.step, flow.FormOf(s.step, s.sh.session), v)
	})
}

func (s *stepForm) Update(msg tea.Msg) tea.Cmd {
	if s.submitted(msg) {
		return s.submit()
	}
	return s.update(msg)
}

func (s *stepForm) formOf() *formScreen { return &s.formScreen }
func (s *stepForm) View() string        { return s.view() }
func (s *stepForm) Resize(w, h int)     { s.resize(w, h) }
func (s *stepForm) AtStart() bool       { return s.atStart() }
func (s *stepForm) Typing() bool        { return s.typing() }
func (s *stepForm) Keys() []key.Binding { return []key.Binding{s.sh.keys.Next} }
