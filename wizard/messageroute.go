package wizard

import (
	tea "charm.land/bubbletea/v2"

	"github.com/telegent/telegent-onboard/wizard/flow"
)

// messageRouteScreen asks for every field of the quickstart's message route:
// the webhook, its authentication (the type decides which fields appear),
// the optional delivery-report callback, and the advanced switches.
type messageRouteScreen struct{ stepForm }

func newMessageRouteScreen(sh *shared) *messageRouteScreen {
	return &messageRouteScreen{stepForm{formScreen: formScreen{sh: sh, step: flow.MessageRoute}}}
}

func (s *messageRouteScreen) Enter() tea.Cmd { return s.enter(nil) }
