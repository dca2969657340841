package wizard

import (
	tea "charm.land/bubbletea/v2"

	"github.com/telegent/telegent-onboard/wizard/flow"
)

// voiceRouteScreen first asks whether to set up voice at all (it is optional
// and for MVNO numbers only), then every field of the quickstart's voice
// route: type, URLs, two trunks, the IP whitelist and the switches.
//
// The route's fourteen groups are built only when they will be asked: a
// screen entered to be skipped (the default, SMS only) builds the first
// question alone, and choosing "configure" builds the rest then. Building
// them all made entering this screen the slowest step of the wizard.
type voiceRouteScreen struct {
	stepForm
	configure bool // the preselected answer to "set up a voice route?"
	partial   bool // the form holds the first question only
}

func newVoiceRouteScreen(sh *shared) *voiceRouteScreen {
	return &voiceRouteScreen{stepForm: stepForm{formScreen: formScreen{sh: sh, step: flow.VoiceRoute}},
		configure: sh.eng.Defaults.ConfigureVoice}
}

func (s *voiceRouteScreen) Enter() tea.Cmd {
	sess := s.sh.session
	configure := s.configure || sess.Status(flow.VoiceRoute) == flow.Done && sess.Inputs.VoiceRoute != nil
	s.problem = ""
	v := flow.ValuesOf(s.sh.eng.Draft(s.step))
	v.SetBool(flow.ConfigureVoice, configure)
	groups := flow.FormOf(s.step, s.sh.session)
	s.partial = !configure
	if s.partial {
		groups = groups[:1]
	}
	return s.build(s.step, groups, v)
}

// Refused rebuilds the whole form: a refusal names a route field.
func (s *voiceRouteScreen) Refused(n flow.Next) tea.Cmd {
	s.partial = false
	return s.stepForm.Refused(n)
}

func (s *voiceRouteScreen) Update(msg tea.Msg) tea.Cmd {
	if s.submitted(msg) {
		v := s.values()
		s.configure = v.Bool(flow.ConfigureVoice)
		if !s.configure {
			return s.sh.act(s.sh.eng.Skip(flow.VoiceRoute))
		}
		if s.partial {
			// The route's own fields start from the draft, as on entry.
			all := flow.ValuesOf(s.sh.eng.Draft(s.step))
			for k, x := range v {
				all[k] = x
			}
			return s.expand(all)
		}
		return s.submit()
	}
	return s.update(msg)
}

// expand builds the whole route form once "configure" is chosen, with the
// answer kept, and moves on to its first route field.
func (s *voiceRouteScreen) expand(v flow.Values) tea.Cmd {
	s.partial = false
	cmd := s.build(s.step, flow.FormOf(s.step, s.sh.session), v)
	return tea.Batch(cmd, s.form.NextGroup())
}
