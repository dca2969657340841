package flow

import "github.com/telegent/telegent-onboard/api"

// Defaults are the values a form starts with. Against the sandbox every field
// has a working value, so pressing Enter through the whole wizard reaches the
// summary (the demo path). Against the live API only harmless choices are
// preset: nothing that would route a customer's traffic or name a person.
type Defaults struct {
	MessageRoute api.MessageRouteRequest
	// ConfigureVoice is the preselected answer to "set up a voice route?".
	ConfigureVoice bool
	VoiceRoute     api.VoiceRouteRequest
	Availability   api.AvailabilityRequest
	Subscriber     api.SubscriberRequest
	Provision      api.ProvisionRequest
	Message        api.OutboundMessageRequest
}

// DemoHookURL is the demo route's webhook until the wizard's in-process
// receiver is up (it then takes its place).
const DemoHookURL = "https://example.com/telegent/messages"

// DemoDefaults are the sandbox's demo values. hookURL is where the demo
// message route sends webhooks (an https placeholder when empty); uniq makes
// the subscriber email unique on a sandbox that outlives one run.
func DemoDefaults(hookURL, uniq string) Defaults {
	if hookURL == "" {
		hookURL = DemoHookURL
	}
	d := LiveDefaults()
	d.MessageRoute = api.MessageRouteRequest{
		RouteName: "Demo SMS Webhook", MessageUrl: hookURL, MessageUrlMethod: "POST",
		MessageRouteEnabled: api.Bool(true), MessageAuthenticationType: api.AuthBasic,
		MessageUsername: "demo", MessagePasswordToken: "demo-webhook-password",
		CallbackMessageUrl: hookURL, CallbackMessageUrlMethod: "POST",
		CallbackMessageAuthenticationType: api.AuthBasic, CallbackMessageUsername: "demo",
		CallbackMessagePasswordToken: "demo-webhook-password",
		InboundBypass:                api.Bool(false), OutboundBypass: api.Bool(false), IntelligentRouteEnabled: api.Bool(false),
	}
	d.VoiceRoute = api.VoiceRouteRequest{
		RouteName: "Demo SIP Trunk", RouteType: "Trunk", TrunkIp1: "203.0.113.10", TrunkPort1: "5060",
		TrunkTransport1: "UDP", TrunkEnabled1: api.Bool(true), Trunk1Priortiy: api.Int(10), Trunk1Weight: api.Int(10),
		IpWhitelist: []api.IPAddress{{IpAddress: "203.0.113.10"}}, RouteEnabled: api.Bool(true),
	}
	d.Availability.AreaCode = "201"
	d.Subscriber = api.SubscriberRequest{Name: "Demo Subscriber", Email: "demo-" + uniq + "@example.com",
		Role: "Subscriber", Password: "demo-password-123", PhoneNumbers: []string{}}
	d.Message = api.OutboundMessageRequest{To: []api.Recipient{{Number: "+18015737111"}},
		Body: "Hello from Telegent! Your first line works."}
	return d
}

// LiveDefaults preset only the choices the quickstart makes for everyone.
func LiveDefaults() Defaults {
	return Defaults{
		MessageRoute: api.MessageRouteRequest{MessageUrlMethod: "POST", MessageRouteEnabled: api.Bool(true),
			MessageAuthenticationType: api.AuthBasic, CallbackMessageUrlMethod: "POST",
			CallbackMessageAuthenticationType: api.AuthBasic,
			InboundBypass:                     api.Bool(false), OutboundBypass: api.Bool(false), IntelligentRouteEnabled: api.Bool(false)},
		VoiceRoute: api.VoiceRouteRequest{RouteType: "Trunk", VoiceUrlMethod: "POST", CallbackVoiceUrlMethod: "POST",
			VoiceAuthenticationType: api.AuthNone, TrunkTransport1: "UDP", TrunkTransport2: "UDP",
			TrunkEnabled1: api.Bool(true), TrunkEnabled2: api.Bool(false), RouteEnabled: api.Bool(true)},
		Availability: api.AvailabilityRequest{NumberType: "mobile", MessageType: "p2p", MessageEnabled: true, PageNumber: 1},
		Subscriber:   api.SubscriberRequest{Role: "Subscriber", PhoneNumbers: []string{}},
		Provision:    api.ProvisionRequest{NumberType: "mvno", MessageType: "p2p", MessageEnabled: true, ProductType: "Sms+Data"},
	}
}
