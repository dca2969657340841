package wizard

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// messageRouteScreen asks for every field of the quickstart's message route:
// the webhook, its authentication (the type decides which fields appear),
// the optional delivery-report callback, and the advanced switches. Before
// the route is created, t proves the webhook typed in (webhookcheck.go).
type messageRouteScreen struct{ stepForm }

func newMessageRouteScreen(sh *shared) *messageRouteScreen {
	return &messageRouteScreen{stepForm{formScreen: formScreen{sh: sh, step: flow.MessageRoute}}}
}

func (s *messageRouteScreen) Enter() tea.Cmd { return s.enter(nil) }

// testKey proves the webhook typed in so far: t where no text is being
// typed, ctrl+t anywhere.
var testKey = key.NewBinding(key.WithKeys("t", "ctrl+t"), key.WithHelp("t", "test webhook"))

func (s *messageRouteScreen) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok && (k.String() == "ctrl+t" || k.String() == "t" && !s.Typing()) {
		req := flow.RequestOf(flow.MessageRoute, s.values(), s.sh.eng.Draft(flow.MessageRoute)).(api.MessageRouteRequest)
		return func() tea.Msg { return checkWebhookMsg{req: req} }
	}
	return s.stepForm.Update(msg)
}

func (s *messageRouteScreen) Keys() []key.Binding {
	return []key.Binding{s.sh.keys.Next, testKey}
}
