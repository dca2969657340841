package wizard

import (
	tea "charm.land/bubbletea/v2"

	"github.com/telegent/telegent-onboard/wizard/flow"
)

// voiceRouteScreen first asks whether to set up voice at all (it is optional
// and for MVNO numbers only), then every field of the quickstart's voice
// route: type, URLs, two trunks, the IP whitelist and the switches.
type voiceRouteScreen struct {
	stepForm
	configure bool // the preselected answer to "set up a voice route?"
}

func newVoiceRouteScreen(sh *shared) *voiceRouteScreen {
	return &voiceRouteScreen{stepForm: stepForm{formScreen: formScreen{sh: sh, step: flow.VoiceRoute}},
		configure: sh.eng.Defaults.ConfigureVoice}
}

func (s *voiceRouteScreen) Enter() tea.Cmd {
	sess := s.sh.session
	configure := s.configure || sess.Status(flow.VoiceRoute) == flow.Done && sess.Inputs.VoiceRoute != nil
	return s.enter(func(v flow.Values) { v.SetBool(flow.ConfigureVoice, configure) })
}

func (s *voiceRouteScreen) Update(msg tea.Msg) tea.Cmd {
	if s.submitted(msg) {
		v := s.values()
		s.configure = v.Bool(flow.ConfigureVoice)
		if !s.configure {
			return s.sh.act(s.sh.eng.Skip(flow.VoiceRoute))
		}
		return s.submit()
	}
	return s.update(msg)
}
