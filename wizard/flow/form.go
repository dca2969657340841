package flow

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/telegent/telegent-onboard/api"
)

// The forms: what each step asks a person, in order, as plain data. The
// full-screen wizard turns a Form into huh groups, the accessible mode into
// one plain prompt per field; both check every value with the same rules
// (rules.go) and hand the Values to the engine, which builds the request.

// FieldKind is how a field is answered.
type FieldKind int

const (
	TextField   FieldKind = iota // a line of text
	SecretField                  // a line of text, never echoed
	ChoiceField                  // one of Options
	ToggleField                  // yes or no ("true"/"false" in Values)
	NoteField                    // text to read, nothing to answer
)

// Option is one answer of a choice: what a person reads, and the value.
type Option struct{ Label, Value string }

// Field is one question of a form.
type Field struct {
	Name        string // the API's field name, the key in Values
	Title       string // defaults to Name
	Description string
	Kind        FieldKind
	Options     []Option
	// Sensitive values (the AccountKey, AccountId, emails, numbers) are
	// masked on screen in presenter mode.
	Sensitive bool
}

// Label is what the form calls the field.
func (f Field) Label() string {
	if f.Title != "" {
		return f.Title
	}
	return f.Name
}

// Group is a page of a form: a few fields (a huh group redraws all of its
// fields on each key, so small groups keep typing fast), shown unless Hide
// says otherwise for the values so far.
type Group struct {
	Title, Description string
	Fields             []Field
	Hide               func(Values) bool
}

// Values are a form's answers by field name; toggles are "true"/"false"
// and lists are comma-separated.
type Values map[string]string

// Bool reads a toggle.
func (v Values) Bool(name string) bool { return v[name] == "true" }

// SetBool writes a toggle.
func (v Values) SetBool(name string, b bool) { v[name] = strconv.FormatBool(b) }

func opts(values ...string) []Option {
	out := make([]Option, len(values))
	for i, v := range values {
		out[i] = Option{v, v}
	}
	return out
}

func text(name, desc string) Field { return Field{Name: name, Description: desc} }
func secret(name, desc string) Field {
	return Field{Name: name, Description: desc, Kind: SecretField}
}
func choice(name, desc string, o ...Option) Field {
	return Field{Name: name, Description: desc, Kind: ChoiceField, Options: o}
}
func toggle(name, desc string) Field { return Field{Name: name, Description: desc, Kind: ToggleField} }

// ConfigureVoice is the voice route form's first answer: "true" to set one
// up, "false" to skip the step (SMS only).
const ConfigureVoice = "configure"

// FormOf is step's form. The session fills in what earlier steps carried
// forward (the provision form shows the IDs it will send).
func FormOf(step Step, s *Session) []Group {
	switch step {
	case Credentials:
		return []Group{{Title: "Step 1 · Credentials", Description: Credentials.Endpoint(), Fields: []Field{
			{Name: "AccountKey", Description: "From your Telegent representative (looks like DID-…).", Sensitive: true},
			secret("AccountSecret", "Masked. It is sent once, to get a token, and never stored."),
			{Name: "AccountId", Description: "The account the line belongs to (AID-…).", Sensitive: true},
		}}}
	case MessageRoute:
		return messageRouteForm()
	case VoiceRoute:
		return voiceRouteForm()
	case Availability:
		return []Group{
			{Title: "Step 4 · Availability", Description: Availability.Endpoint(), Fields: []Field{
				choice("NumberType", "", Option{"mobile", "mobile"}, Option{"voip (quickstart only)", "voip"}),
				choice("MessageType", "", Option{"p2p: person to person", "p2p"}, Option{"a2p: application to person", "a2p"}),
				toggle("MessageEnabled", "SMS/MMS capable"),
				toggle("VoiceEnabled", "Voice capable"),
			}},
			{Title: "Where", Description: "Both blank: a random selection of areas.", Fields: []Field{
				text("AreaCode", "3 digits, searched first. Blank for any."),
				text("ZipCode", "5-digit US zip, used when the area code has none. Blank for any."),
			}},
		}
	case Subscriber:
		return []Group{
			{Title: "Step 5 · Subscriber", Description: Subscriber.Endpoint(), Fields: []Field{
				text("Name", ""),
				{Name: "Email", Description: "Unique across the whole Telegent platform.", Sensitive: true},
				choice("Role", "", opts("Subscriber", "Manager", "Account Admin")...),
			}},
			{Title: "Sign-in and account", Fields: []Field{
				secret("Password", "Masked; at least 8 characters. Never stored."),
				{Name: "AccountId", Sensitive: true},
			}},
		}
	case Provision:
		return provisionForm(s)
	case TestMessage:
		return []Group{{Title: "Step 7 · Test SMS", Description: TestMessage.Endpoint(), Fields: []Field{
			{Name: "From", Description: "Your new number.", Sensitive: true},
			{Name: "To", Description: "One or more E.164 numbers, comma-separated.", Sensitive: true},
			text("Body", ""),
			text("MmsMedia", "Optional media URLs for an MMS, comma-separated."),
		}}}
	}
	return nil
}

// AdoptSubscriberForm asks for the TSUID of a subscriber an earlier attempt
// created (its answer was lost, and the API cannot find it by email).
func AdoptSubscriberForm() []Group {
	return []Group{{Title: "Step 5 · Adopt the existing subscriber", Description: "GET /v1.0/subscribers/get", Fields: []Field{
		text("SubscriberId", "The TSUID of the subscriber the earlier attempt created (TSUID-…)."),
	}}}
}

func messageRouteForm() []Group {
	basic := func(v Values, prefix string) bool { return v[prefix+"AuthenticationType"] == api.AuthBasic }
	bearer := func(v Values, prefix string) bool { return v[prefix+"AuthenticationType"] == api.AuthBearer }
	noCallback := func(v Values) bool { return strings.TrimSpace(v["CallbackMessageUrl"]) == "" }
	auth := opts(authTypes...)
	return []Group{
		{Title: "Step 2 · Message route", Description: MessageRoute.Endpoint() + " · required before any number", Fields: []Field{
			text("RouteName", "A name you will recognise."),
			text("MessageUrl", "Your webhook for inbound messages (https)."),
		}},
		{Title: "How Telegent calls it", Fields: []Field{
			choice("MessageUrlMethod", "", opts("POST", "GET")...),
			choice("MessageAuthenticationType", "", auth...),
		}},
		{Title: "Webhook Basic authentication", Fields: []Field{
			text("MessageUsername", ""),
			secret("MessagePasswordToken", "The password (masked)."),
		}, Hide: func(v Values) bool { return !basic(v, "Message") }},
		{Title: "Webhook Bearer authentication", Fields: []Field{
			secret("MessagePasswordToken", "The bearer token (masked)."),
		}, Hide: func(v Values) bool { return !bearer(v, "Message") }},
		{Title: "Delivery reports (optional)", Fields: []Field{
			text("CallbackMessageUrl", "Optional: where delivery reports go. Blank for none."),
			choice("CallbackMessageUrlMethod", "", opts("POST", "GET")...),
			choice("CallbackMessageAuthenticationType", "", auth...),
		}},
		{Title: "Callback Basic authentication", Fields: []Field{
			text("CallbackMessageUsername", ""),
			secret("CallbackMessagePasswordToken", "The password (masked)."),
		}, Hide: func(v Values) bool { return noCallback(v) || !basic(v, "CallbackMessage") }},
		{Title: "Callback Bearer authentication", Fields: []Field{
			secret("CallbackMessagePasswordToken", "The bearer token (masked)."),
		}, Hide: func(v Values) bool { return noCallback(v) || !bearer(v, "CallbackMessage") }},
		{Title: "Advanced options", Fields: []Field{
			toggle("MessageRouteEnabled", ""),
			toggle("InboundBypass", "Skip AI Guardian filtering of inbound messages."),
			toggle("OutboundBypass", "Skip AI Guardian filtering of outbound messages."),
			toggle("IntelligentRouteEnabled", "AI-assisted routing."),
		}},
	}
}

func voiceRouteForm() []Group {
	skip := func(v Values) bool { return !v.Bool(ConfigureVoice) }
	usesURL := func(v Values) bool { return skip(v) || v["RouteType"] == "Trunk" }
	trunk := func(n string) []Group {
		return []Group{
			{Title: "Trunk " + n, Hide: skip, Fields: []Field{
				text("TrunkIp"+n, ""),
				text("TrunkPort"+n, "1–65535, e.g. 5060"),
				choice("TrunkTransport"+n, "", opts("UDP", "TCP", "TLS")...),
				text("TrunkUri"+n, ""),
			}},
			{Title: "Trunk " + n + " routing", Hide: skip, Fields: []Field{
				toggle("TrunkEnabled"+n, ""),
				text("Trunk"+n+"Priortiy", "The API's spelling."),
				text("Trunk"+n+"Weight", ""),
			}},
		}
	}
	groups := []Group{
		{Title: "Step 3 · Voice route", Description: VoiceRoute.Endpoint(), Fields: []Field{
			{Name: ConfigureVoice, Title: "Set up a voice route?", Description: "Optional, for MVNO numbers that take calls.", Kind: ChoiceField,
				Options: []Option{{"Skip: SMS only", "false"}, {"Configure an MVNO voice route", "true"}}},
		}},
		{Title: "Voice route", Hide: skip, Fields: []Field{
			text("RouteName", ""),
			choice("RouteType", "", opts("Trunk", "URL", "Forward")...),
		}},
		{Title: "Voice URL", Hide: usesURL, Fields: []Field{
			text("VoiceUrl", "Where calls are sent (https)."),
			choice("VoiceUrlMethod", "", opts("POST", "GET")...),
		}},
		{Title: "Voice URL authentication", Hide: usesURL, Fields: []Field{
			choice("VoiceAuthenticationType", "", opts(authTypes...)...),
			text("VoiceUsername", "For Basic authentication."),
			secret("VoicePasswordToken", "Password or bearer token (masked)."),
		}},
		{Title: "Call callbacks (optional)", Hide: skip, Fields: []Field{
			text("CallbackVoiceUrl", "Optional call status callback."),
			choice("CallbackVoiceUrlMethod", "", opts("POST", "GET")...),
		}},
	}
	groups = append(groups, trunk("1")...)
	groups = append(groups, trunk("2")...)
	return append(groups,
		Group{Title: "Whitelist and streaming", Hide: skip, Fields: []Field{
			text("IpWhitelist", "IP addresses allowed to send calls, comma-separated."),
			text("WssUri", "Call streaming socket (wss://)."),
		}},
		Group{Title: "SIP settings", Hide: skip, Fields: []Field{
			text("HeaderManipulation", ""), text("TransferCallerId", ""), text("TerminationUriSubdomain", ""),
		}},
		Group{Title: "Call handling", Hide: skip, Fields: []Field{
			toggle("EnableSipRefer", ""), toggle("SymmetricRtp", ""), toggle("EnableTrpSecureTrunk", ""), toggle("EnablePstnTransfer", ""),
		}},
		Group{Title: "Route switches", Hide: skip, Fields: []Field{
			toggle("CnamLookup", ""), toggle("EnableCallStreaming", ""), toggle("RouteEnabled", ""), toggle("IntelligentRouteEnabled", ""),
		}},
	)
}

func provisionForm(s *Session) []Group {
	iot := func(v Values) bool { return v["NumberType"] == "iot" }
	carried := "MRID   —\nCRID   —\nTSUID  —"
	if s != nil {
		carried = fmt.Sprintf("MRID   %s\nCRID   %s\nTSUID  %s", orNone(s.IDs.MessageRouteID),
			orNone(s.ID(VoiceRoute)), orNone(s.IDs.SubscriberID))
	}
	return []Group{
		{Title: "Step 6 · Provision", Description: Provision.Endpoint(), Fields: []Field{
			{Name: "carried", Title: "Carried forward", Description: carried, Kind: NoteField},
			choice("NumberType", "", Option{"mvno: messaging and voice", "mvno"}, Option{"iot: data and p2p messaging only", "iot"}),
		}},
		{Title: "Messaging", Hide: iot, Fields: []Field{
			choice("MessageType", "", Option{"p2p: person to person", "p2p"}, Option{"a2p: application to person", "a2p"}),
		}},
		{Title: "Messaging", Hide: func(v Values) bool { return !iot(v) }, Fields: []Field{
			{Name: "iot", Title: "MessageType: p2p", Description: "iot numbers are p2p only: they cannot be provisioned as a2p.", Kind: NoteField},
		}},
		{Title: "Capabilities", Fields: []Field{
			toggle("MessageEnabled", ""),
			toggle("VoiceEnabled", "Needs the voice route of step 3."),
			choice("ProductType", "", opts(api.ProductTypes...)...),
		}},
		{Title: "SIM and area", Fields: []Field{
			text("ICCID", "Only for a physical SIM (19–20 digits). Blank: an eSIM with a QR code."),
			text("AreaCode", "From your pick in step 4."),
			text("ZipCode", ""),
		}},
	}
}
