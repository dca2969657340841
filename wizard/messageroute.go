package wizard

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// messageRouteScreen asks for every field of the quickstart's message route:
// the webhook, its authentication (the type decides which fields appear),
// the optional delivery-report callback, and the advanced switches.
type messageRouteScreen struct {
	formScreen
	d api.MessageRouteRequest // the draft; secrets stay in memory only
	// Optional booleans as plain values for the confirm fields.
	enabled, inbound, outbound, intelligent bool
}

func newMessageRouteScreen(sh *shared) *messageRouteScreen {
	s := &messageRouteScreen{formScreen: formScreen{sh: sh}}
	s.load(sh.defaults.MessageRoute)
	return s
}

func (s *messageRouteScreen) load(r api.MessageRouteRequest) {
	s.d = r
	s.enabled = boolOr(r.MessageRouteEnabled, true)
	s.inbound = boolOr(r.InboundBypass, false)
	s.outbound = boolOr(r.OutboundBypass, false)
	s.intelligent = boolOr(r.IntelligentRouteEnabled, false)
}

func (s *messageRouteScreen) Enter() tea.Cmd {
	if prev := s.sh.session.Inputs.MessageRoute; prev != nil && s.d.RouteName == "" {
		s.load(*prev)
	}
	d := &s.d
	authTypes := options(api.AuthNone, api.AuthBasic, api.AuthBearer)
	return s.build(
		huh.NewGroup(
			huh.NewInput().Title("RouteName").Description("A name you will recognise.").Value(&d.RouteName).Validate(s.sh.keep(&d.RouteName, required("RouteName"))),
			huh.NewInput().Title("MessageUrl").Description("Your webhook for inbound messages (https).").Value(&d.MessageUrl).Validate(s.sh.keep(&d.MessageUrl, check("MessageUrl", isURL))),
		).Title("Step 2 · Message route").Description(flow.MessageRoute.Endpoint()+" · required before any number"),
		huh.NewGroup(
			huh.NewSelect[string]().Title("MessageUrlMethod").Options(options("POST", "GET")...).Value(&d.MessageUrlMethod),
			huh.NewSelect[string]().Title("MessageAuthenticationType").Options(authTypes...).Value(&d.MessageAuthenticationType),
		).Title("How Telegent calls it"),
		s.hideWhen(huh.NewGroup(
			huh.NewInput().Title("MessageUsername").Value(&d.MessageUsername).Validate(s.sh.keep(&d.MessageUsername, required("MessageUsername"))),
			huh.NewInput().Title("MessagePasswordToken").Description("The password (masked).").
				EchoMode(huh.EchoModePassword).Value(&d.MessagePasswordToken).Validate(s.sh.keep(&d.MessagePasswordToken, required("MessagePasswordToken"))),
		).Title("Webhook Basic authentication"), func() bool { return d.MessageAuthenticationType != api.AuthBasic }),
		s.hideWhen(huh.NewGroup(
			huh.NewInput().Title("MessagePasswordToken").Description("The bearer token (masked).").
				EchoMode(huh.EchoModePassword).Value(&d.MessagePasswordToken).Validate(s.sh.keep(&d.MessagePasswordToken, required("MessagePasswordToken"))),
		).Title("Webhook Bearer authentication"), func() bool { return d.MessageAuthenticationType != api.AuthBearer }),
		huh.NewGroup(
			huh.NewInput().Title("CallbackMessageUrl").Description("Optional: where delivery reports go. Blank for none.").
				Value(&d.CallbackMessageUrl).Validate(optional("CallbackMessageUrl", isURL)),
			huh.NewSelect[string]().Title("CallbackMessageUrlMethod").Options(options("POST", "GET")...).Value(&d.CallbackMessageUrlMethod),
			huh.NewSelect[string]().Title("CallbackMessageAuthenticationType").Options(authTypes...).Value(&d.CallbackMessageAuthenticationType),
		).Title("Delivery reports (optional)"),
		s.hideWhen(huh.NewGroup(
			huh.NewInput().Title("CallbackMessageUsername").Value(&d.CallbackMessageUsername).Validate(s.sh.keep(&d.CallbackMessageUsername, required("CallbackMessageUsername"))),
			huh.NewInput().Title("CallbackMessagePasswordToken").Description("The password (masked).").
				EchoMode(huh.EchoModePassword).Value(&d.CallbackMessagePasswordToken).Validate(s.sh.keep(&d.CallbackMessagePasswordToken, required("CallbackMessagePasswordToken"))),
		).Title("Callback Basic authentication"), func() bool {
			return d.CallbackMessageUrl == "" || d.CallbackMessageAuthenticationType != api.AuthBasic
		}),
		s.hideWhen(huh.NewGroup(
			huh.NewInput().Title("CallbackMessagePasswordToken").Description("The bearer token (masked).").
				EchoMode(huh.EchoModePassword).Value(&d.CallbackMessagePasswordToken).Validate(s.sh.keep(&d.CallbackMessagePasswordToken, required("CallbackMessagePasswordToken"))),
		).Title("Callback Bearer authentication"), func() bool {
			return d.CallbackMessageUrl == "" || d.CallbackMessageAuthenticationType != api.AuthBearer
		}),
		huh.NewGroup(
			huh.NewConfirm().Title("MessageRouteEnabled").Value(&s.enabled),
			huh.NewConfirm().Title("InboundBypass").Description("Skip AI Guardian filtering of inbound messages.").Value(&s.inbound),
			huh.NewConfirm().Title("OutboundBypass").Description("Skip AI Guardian filtering of outbound messages.").Value(&s.outbound),
			huh.NewConfirm().Title("IntelligentRouteEnabled").Description("AI-assisted routing.").Value(&s.intelligent),
		).Title("Advanced options"),
	)
}

// request is the draft as the API wants it: secrets of a hidden auth type
// are not sent, and the callback settings go only with a callback URL.
func (s *messageRouteScreen) request() api.MessageRouteRequest {
	r := s.d
	r.RouteName = strings.TrimSpace(r.RouteName)
	r.MessageUrl = strings.TrimSpace(r.MessageUrl)
	r.CallbackMessageUrl = strings.TrimSpace(r.CallbackMessageUrl)
	if r.MessageAuthenticationType != api.AuthBasic {
		r.MessageUsername = ""
	}
	if r.MessageAuthenticationType == api.AuthNone {
		r.MessagePasswordToken = ""
	}
	if r.CallbackMessageUrl == "" {
		r.CallbackMessageUrlMethod, r.CallbackMessageAuthenticationType = "", ""
	}
	if r.CallbackMessageAuthenticationType != api.AuthBasic {
		r.CallbackMessageUsername = ""
	}
	if r.CallbackMessageAuthenticationType == "" || r.CallbackMessageAuthenticationType == api.AuthNone {
		r.CallbackMessagePasswordToken = ""
	}
	r.MessageRouteEnabled = api.Bool(s.enabled)
	r.InboundBypass = api.Bool(s.inbound)
	r.OutboundBypass = api.Bool(s.outbound)
	r.IntelligentRouteEnabled = api.Bool(s.intelligent)
	return s.sh.session.MessageRouteRequest(r)
}

func (s *messageRouteScreen) Update(msg tea.Msg) tea.Cmd {
	if _, ok := msg.(formDoneMsg); ok {
		sh := s.sh
		req := s.request()
		if sh.session.AlreadyCreated(flow.MessageRoute, req) {
			return sh.advance() // unchanged: the route exists, do not create another
		}
		return sh.createOrKeep(sh.session.Status(flow.MessageRoute) == flow.Done, "message route", sh.session.IDs.MessageRouteID,
			createRequest(sh, flow.MessageRoute, "Creating the message route…", req, (*api.Client).CreateMessageRoute, sh.session.RecordMessageRoute))
	}
	return s.update(msg)
}

func (s *messageRouteScreen) View() string        { return s.view() }
func (s *messageRouteScreen) Resize(w, h int)     { s.resize(w, h) }
func (s *messageRouteScreen) AtStart() bool       { return s.atStart() }
func (s *messageRouteScreen) Typing() bool        { return s.typing() }
func (s *messageRouteScreen) Keys() []key.Binding { return []key.Binding{s.sh.keys.Next} }

func boolOr(b *bool, def bool) bool {
	if b == nil {
		return def
	}
	return *b
}
