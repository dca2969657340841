package wizard

import (
	tea "charm.land/bubbletea/v2"

	"github.com/telegent/telegent-onboard/wizard/flow"
)

// subscriberScreen creates the end user who will use the number, or, after
// a lost answer, adopts the one an earlier attempt created by its TSUID.
type subscriberScreen struct {
	stepForm
	adopting bool // the form asks for the TSUID instead
}

func newSubscriberScreen(sh *shared) *subscriberScreen {
	return &subscriberScreen{stepForm: stepForm{formScreen: formScreen{sh: sh, step: flow.Subscriber}}}
}

func (s *subscriberScreen) Enter() tea.Cmd {
	s.adopting = false
	return s.enter(nil)
}

// adoptForm asks for the TSUID of a subscriber an earlier attempt created.
func (s *subscriberScreen) adoptForm() tea.Cmd {
	s.adopting, s.problem = true, ""
	return s.build(flow.Subscriber, flow.AdoptSubscriberForm(), flow.Values{})
}

func (s *subscriberScreen) Refused(n flow.Next) tea.Cmd {
	if s.adopting {
		return s.refused(n, s.adoptForm)
	}
	return s.stepForm.Refused(n)
}

func (s *subscriberScreen) Update(msg tea.Msg) tea.Cmd {
	if s.submitted(msg) && s.adopting {
		return s.sh.act(s.sh.eng.AdoptSubscriber(s.values()["SubscriberId"]))
	}
	return s.stepForm.Update(msg)
}
