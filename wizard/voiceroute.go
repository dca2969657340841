package wizard

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// voiceRouteScreen first asks whether to set up voice at all (it is optional
// and for MVNO numbers only), then every field of the quickstart's voice
// route: type, URLs, two trunks, the IP whitelist and the switches.
type voiceRouteScreen struct {
	formScreen
	configure bool
	d         api.VoiceRouteRequest
	// Form-friendly copies of the typed fields.
	prio1, weight1, prio2, weight2, whitelist string
	enabled1, enabled2                        bool
	sipRefer, symmetricRtp, secureTrunk       bool
	pstnTransfer, cnam, streaming             bool
	routeEnabled, intelligent                 bool
}

func newVoiceRouteScreen(sh *shared) *voiceRouteScreen {
	s := &voiceRouteScreen{formScreen: formScreen{sh: sh}, configure: sh.defaults.ConfigureVoice}
	s.load(sh.defaults.VoiceRoute)
	return s
}

func (s *voiceRouteScreen) load(r api.VoiceRouteRequest) {
	s.d = r
	s.prio1, s.weight1 = intString(r.Trunk1Priortiy), intString(r.Trunk1Weight)
	s.prio2, s.weight2 = intString(r.Trunk2Priortiy), intString(r.Trunk2Weight)
	var ips []string
	for _, ip := range r.IpWhitelist {
		ips = append(ips, ip.IpAddress)
	}
	s.whitelist = strings.Join(ips, ", ")
	s.enabled1, s.enabled2 = boolOr(r.TrunkEnabled1, true), boolOr(r.TrunkEnabled2, false)
	s.sipRefer, s.symmetricRtp = boolOr(r.EnableSipRefer, false), boolOr(r.SymmetricRtp, false)
	s.secureTrunk, s.pstnTransfer = boolOr(r.EnableTrpSecureTrunk, false), boolOr(r.EnablePstnTransfer, false)
	s.cnam, s.streaming = boolOr(r.CnamLookup, false), boolOr(r.EnableCallStreaming, false)
	s.routeEnabled, s.intelligent = boolOr(r.RouteEnabled, true), boolOr(r.IntelligentRouteEnabled, false)
}

func (s *voiceRouteScreen) Enter() tea.Cmd {
	sess := s.sh.session
	if prev := sess.Inputs.VoiceRoute; prev != nil && sess.Status(flow.VoiceRoute) == flow.Done {
		s.load(*prev)
		s.configure = true
	}
	d := &s.d
	skip := func() bool { return !s.configure }
	usesURL := func() bool { return !s.configure || d.RouteType == "Trunk" }
	port := optional("port", isPort)
	weight := optional("value", integer(0, 65535))
	// A trunk is two pages of at most four fields: huh redraws every field
	// of the focused group on each key, so small groups keep typing fast.
	trunk := func(n string, ip, portv, transport, uri *string, enabled *bool, prio, w *string) []*huh.Group {
		return []*huh.Group{
			s.hideWhen(huh.NewGroup(
				huh.NewInput().Title("TrunkIp"+n).Value(ip).Validate(optional("TrunkIp"+n, isIP)),
				huh.NewInput().Title("TrunkPort"+n).Description("1–65535, e.g. 5060").Value(portv).Validate(port),
				huh.NewSelect[string]().Title("TrunkTransport"+n).Options(options("UDP", "TCP", "TLS")...).Value(transport),
				huh.NewInput().Title("TrunkUri"+n).Value(uri).Validate(optional("TrunkUri"+n, trunkURI)),
			).Title("Trunk "+n), skip),
			s.hideWhen(huh.NewGroup(
				huh.NewConfirm().Title("TrunkEnabled"+n).Value(enabled),
				huh.NewInput().Title("Trunk"+n+"Priortiy").Description("The API's spelling.").Value(prio).Validate(weight),
				huh.NewInput().Title("Trunk"+n+"Weight").Value(w).Validate(weight),
			).Title("Trunk "+n+" routing"), skip),
		}
	}
	groups := []*huh.Group{
		huh.NewGroup(
			huh.NewSelect[bool]().Title("Set up a voice route?").
				Description("Optional, for MVNO numbers that take calls.").
				Options(huh.NewOption("Skip: SMS only", false), huh.NewOption("Configure an MVNO voice route", true)).
				Value(&s.configure),
		).Title("Step 3 · Voice route").Description(flow.VoiceRoute.Endpoint()),
		s.hideWhen(huh.NewGroup(
			huh.NewInput().Title("RouteName").Value(&d.RouteName).Validate(s.sh.keep(&d.RouteName, required("RouteName"))),
			huh.NewSelect[string]().Title("RouteType").Options(options("Trunk", "URL", "Forward")...).Value(&d.RouteType),
		).Title("Voice route"), skip),
		s.hideWhen(huh.NewGroup(
			huh.NewInput().Title("VoiceUrl").Description("Where calls are sent (https).").Value(&d.VoiceUrl).Validate(s.sh.keep(&d.VoiceUrl, check("VoiceUrl", isURL))),
			huh.NewSelect[string]().Title("VoiceUrlMethod").Options(options("POST", "GET")...).Value(&d.VoiceUrlMethod),
		).Title("Voice URL"), usesURL),
		s.hideWhen(huh.NewGroup(
			huh.NewSelect[string]().Title("VoiceAuthenticationType").Options(options(api.AuthNone, api.AuthBasic, api.AuthBearer)...).Value(&d.VoiceAuthenticationType),
			huh.NewInput().Title("VoiceUsername").Description("For Basic authentication.").Value(&d.VoiceUsername),
			huh.NewInput().Title("VoicePasswordToken").Description("Password or bearer token (masked).").EchoMode(huh.EchoModePassword).Value(&d.VoicePasswordToken),
		).Title("Voice URL authentication"), usesURL),
		s.hideWhen(huh.NewGroup(
			huh.NewInput().Title("CallbackVoiceUrl").Description("Optional call status callback.").Value(&d.CallbackVoiceUrl).Validate(s.sh.keep(&d.CallbackVoiceUrl, optional("CallbackVoiceUrl", isURL))),
			huh.NewSelect[string]().Title("CallbackVoiceUrlMethod").Options(options("POST", "GET")...).Value(&d.CallbackVoiceUrlMethod),
		).Title("Call callbacks (optional)"), skip),
	}
	groups = append(groups, trunk("1", &d.TrunkIp1, &d.TrunkPort1, &d.TrunkTransport1, &d.TrunkUri1, &s.enabled1, &s.prio1, &s.weight1)...)
	groups = append(groups, trunk("2", &d.TrunkIp2, &d.TrunkPort2, &d.TrunkTransport2, &d.TrunkUri2, &s.enabled2, &s.prio2, &s.weight2)...)
	groups = append(groups,
		s.hideWhen(huh.NewGroup(
			huh.NewInput().Title("IpWhitelist").Description("IP addresses allowed to send calls, comma-separated.").
				Value(&s.whitelist).Validate(list("IpWhitelist", isIP, false)),
			huh.NewInput().Title("WssUri").Description("Call streaming socket (wss://).").Value(&d.WssUri).Validate(s.sh.keep(&d.WssUri, optional("WssUri", isWSS))),
		).Title("Whitelist and streaming"), skip),
		s.hideWhen(huh.NewGroup(
			huh.NewInput().Title("HeaderManipulation").Value(&d.HeaderManipulation),
			huh.NewInput().Title("TransferCallerId").Value(&d.TransferCallerId),
			huh.NewInput().Title("TerminationUriSubdomain").Value(&d.TerminationUriSubdomain),
		).Title("SIP settings"), skip),
		s.hideWhen(huh.NewGroup(
			huh.NewConfirm().Title("EnableSipRefer").Value(&s.sipRefer),
			huh.NewConfirm().Title("SymmetricRtp").Value(&s.symmetricRtp),
			huh.NewConfirm().Title("EnableTrpSecureTrunk").Value(&s.secureTrunk),
			huh.NewConfirm().Title("EnablePstnTransfer").Value(&s.pstnTransfer),
		).Title("Call handling"), skip),
		s.hideWhen(huh.NewGroup(
			huh.NewConfirm().Title("CnamLookup").Value(&s.cnam),
			huh.NewConfirm().Title("EnableCallStreaming").Value(&s.streaming),
			huh.NewConfirm().Title("RouteEnabled").Value(&s.routeEnabled),
			huh.NewConfirm().Title("IntelligentRouteEnabled").Value(&s.intelligent),
		).Title("Route switches"), skip),
	)
	return s.build(groups...)
}

func (s *voiceRouteScreen) request() api.VoiceRouteRequest {
	r := s.d
	r.RouteName = strings.TrimSpace(r.RouteName)
	if r.RouteType == "Trunk" {
		r.VoiceUrl, r.VoiceUrlMethod, r.VoiceAuthenticationType, r.VoiceUsername, r.VoicePasswordToken = "", "", "", "", ""
	}
	if r.CallbackVoiceUrl == "" {
		r.CallbackVoiceUrlMethod = ""
	}
	r.Trunk1Priortiy, r.Trunk1Weight = intPtr(s.prio1), intPtr(s.weight1)
	r.TrunkEnabled1 = api.Bool(s.enabled1)
	// A second trunk is only described when it has an address.
	if r.TrunkIp2 != "" || r.TrunkUri2 != "" {
		r.Trunk2Priortiy, r.Trunk2Weight = intPtr(s.prio2), intPtr(s.weight2)
		r.TrunkEnabled2 = api.Bool(s.enabled2)
	} else {
		r.TrunkPort2, r.TrunkTransport2 = "", ""
		r.Trunk2Priortiy, r.Trunk2Weight, r.TrunkEnabled2 = nil, nil, nil
	}
	r.IpWhitelist = nil
	for _, ip := range splitList(s.whitelist) {
		r.IpWhitelist = append(r.IpWhitelist, api.IPAddress{IpAddress: ip})
	}
	r.EnableSipRefer, r.SymmetricRtp = api.Bool(s.sipRefer), api.Bool(s.symmetricRtp)
	r.EnableTrpSecureTrunk, r.EnablePstnTransfer = api.Bool(s.secureTrunk), api.Bool(s.pstnTransfer)
	r.CnamLookup, r.EnableCallStreaming = api.Bool(s.cnam), api.Bool(s.streaming)
	r.RouteEnabled, r.IntelligentRouteEnabled = api.Bool(s.routeEnabled), api.Bool(s.intelligent)
	return s.sh.session.VoiceRouteRequest(r)
}

func (s *voiceRouteScreen) Update(msg tea.Msg) tea.Cmd {
	if _, ok := msg.(formDoneMsg); ok {
		sh := s.sh
		if !s.configure {
			sh.session.SkipVoiceRoute(sh.now())
			return sh.save(true)
		}
		req := s.request()
		if sh.session.AlreadyCreated(flow.VoiceRoute, req) {
			return sh.advance()
		}
		return sh.createOrKeep(sh.session.IDs.VoiceRouteID != "", "voice route", sh.session.IDs.VoiceRouteID,
			createRequest(sh, flow.VoiceRoute, "Creating the voice route…", req, (*api.Client).CreateVoiceRoute, sh.session.RecordVoiceRoute))
	}
	return s.update(msg)
}

func (s *voiceRouteScreen) View() string        { return s.view() }
func (s *voiceRouteScreen) Resize(w, h int)     { s.resize(w, h) }
func (s *voiceRouteScreen) AtStart() bool       { return s.atStart() }
func (s *voiceRouteScreen) Typing() bool        { return s.typing() }
func (s *voiceRouteScreen) Keys() []key.Binding { return []key.Binding{s.sh.keys.Next} }

// trunkURI accepts an https URL (as the quickstart shows) or a SIP URI.
func trunkURI(s string) error {
	l := strings.ToLower(s)
	if strings.HasPrefix(l, "sip:") || strings.HasPrefix(l, "sips:") {
		return nil
	}
	return isURL(s)
}

func intString(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

func intPtr(s string) *int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return nil
	}
	return &n
}
