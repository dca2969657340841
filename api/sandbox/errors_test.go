package sandbox

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestAuthenticationErrors(t *testing.T) {
	clk := newClock()
	e := newEnv(t, Options{RateLimit: -1, Now: clk.Now, TokenTTL: time.Hour}).login()
	list := "/v1.0/account/message/routes?AccountId=" + DemoAccountID

	st, body, _ := e.call("POST", "/v1.0/oauth2/tokens", "", map[string]any{"AccountKey": DemoAccountKey, "AccountSecret": "nope"})
	wantError(t, "wrong secret", st, body, 401, msgBadCredentials)
	st, body, _ = e.call("POST", "/v1.0/oauth2/tokens", "", map[string]any{"AccountKey": "nope", "AccountSecret": DemoAccountSecret})
	wantError(t, "wrong key", st, body, 401, msgBadCredentials)
	st, body, _ = e.call("POST", "/v1.0/oauth2/tokens", "", map[string]any{"AccountSecret": DemoAccountSecret})
	wantError(t, "no key", st, body, 400, "AccountKey is required")
	st, body, _ = e.call("POST", "/v1.0/oauth2/tokens", "", map[string]any{"AccountKey": DemoAccountKey})
	wantError(t, "no secret", st, body, 400, "AccountSecret is required")

	st, body, _ = e.call("GET", list, "", nil)
	wantError(t, "no token", st, body, 401, msgUnauthorized)
	st, body, _ = e.call("GET", list, "not-a-token", nil)
	wantError(t, "unknown token", st, body, 401, msgUnauthorized)

	if st, body, _ = e.call("GET", list, e.token, nil); st != 200 {
		t.Fatalf("fresh token refused: %d %v", st, body)
	}
	// The expiry printed is the one enforced.
	clk.Advance(time.Hour)
	st, body, _ = e.call("GET", list, e.token, nil)
	wantError(t, "expired token", st, body, 401, msgUnauthorized)

	// The token path is matched case-insensitively, as both spellings are
	// documented.
	st, body, _ = e.call("POST", "/v1.0/OAuth2/tokens", "", map[string]any{"AccountKey": DemoAccountKey, "AccountSecret": DemoAccountSecret})
	if st != 200 {
		t.Errorf("/v1.0/OAuth2/tokens: %d %v", st, body)
	}
}

func TestScopedTokens(t *testing.T) {
	e := newEnv(t, Options{RateLimit: -1}).login()
	mrid := e.must("POST", "/v1.0/message/routes", qsMessageRoute)["MessageRouteId"].(string)

	st, body, _ := e.call("POST", "/v1.0/oauth2/tokens", "", map[string]any{"AccountKey": DemoAccountKey,
		"AccountSecret": DemoAccountSecret, "ApiEndpoint": "https://api.telegent.com/v1.0/Numbers/Provision"})
	if st != 200 {
		t.Fatalf("scoped token: %d %v", st, body)
	}
	scoped := body["token"].(string)
	st, body, _ = e.call("POST", "/v1.0/message/routes", scoped, qsMessageRoute)
	wantError(t, "scoped token elsewhere", st, body, 403, msgForbidden)
	st, body, _ = e.call("GET", "/v1.0/account/message/routes?AccountId="+DemoAccountID, scoped, nil)
	wantError(t, "scoped token on a lookup", st, body, 403, msgForbidden)
	// On its own endpoint (any host, any case) it works.
	st, body, _ = e.call("POST", "/v1.0/numbers/provision", scoped, provisionBody(mrid, "801"))
	if st != 200 {
		t.Errorf("scoped token on its endpoint: %d %v", st, body)
	}

	for _, bad := range []string{"numbers/provision", "https://api.telegent.com/v1.0/nope", "https://api.telegent.com"} {
		st, body, _ = e.call("POST", "/v1.0/oauth2/tokens", "", map[string]any{"AccountKey": DemoAccountKey,
			"AccountSecret": DemoAccountSecret, "ApiEndpoint": bad})
		wantError(t, "ApiEndpoint "+bad, st, body, 400, "ApiEndpoint")
	}
}

func TestRequireAPIEndpoint(t *testing.T) {
	e := newEnv(t, Options{RequireAPIEndpoint: true})
	st, body, _ := e.call("POST", "/v1.0/oauth2/tokens", "", map[string]any{"AccountKey": DemoAccountKey, "AccountSecret": DemoAccountSecret})
	wantError(t, "no ApiEndpoint", st, body, 400)
	if body["Message"] != msgApiEndpointRequired {
		t.Errorf("message %q, want the documented %q", body["Message"], msgApiEndpointRequired)
	}
	st, body, _ = e.call("POST", "/v1.0/oauth2/tokens", "", map[string]any{"AccountKey": DemoAccountKey,
		"AccountSecret": DemoAccountSecret, "ApiEndpoint": "https://api.telegent.com/v1.0/message/routes"})
	if st != 200 {
		t.Fatalf("with ApiEndpoint: %d %v", st, body)
	}
	if st, body, _ = e.call("POST", "/v1.0/message/routes", body["token"].(string), qsMessageRoute); st != 200 {
		t.Errorf("scoped create: %d %v", st, body)
	}
}

func TestRateLimit(t *testing.T) {
	clk := newClock()
	e := newEnv(t, Options{RateLimit: 3, Now: clk.Now}).login()
	list := "/v1.0/account/message/routes?AccountId=" + DemoAccountID
	for i := range 3 {
		if st, body := e.do("GET", list, nil); st != 200 {
			t.Fatalf("request %d: %d %v", i+1, st, body)
		}
	}
	clk.Advance(20 * time.Second)
	st, body, h := e.call("GET", list, e.token, nil)
	wantError(t, "4th request in a minute", st, body, 429, msgTooManyRequests)
	if ra, err := strconv.Atoi(h.Get("Retry-After")); err != nil || ra != 40 {
		t.Errorf("Retry-After %q, want 40 (seconds until the oldest request leaves the window)", h.Get("Retry-After"))
	}
	clk.Advance(40 * time.Second)
	if st, body := e.do("GET", list, nil); st != 200 {
		t.Errorf("after the window moved: %d %v", st, body)
	}

	// The token endpoint is limited per AccountKey with the same rule.
	// (login's token request left the window with the minute that passed.)
	creds := map[string]any{"AccountKey": DemoAccountKey, "AccountSecret": DemoAccountSecret}
	for range 3 {
		if st, body, _ := e.call("POST", "/v1.0/oauth2/tokens", "", creds); st != 200 {
			t.Fatalf("token: %d %v", st, body)
		}
	}
	st, body, h = e.call("POST", "/v1.0/oauth2/tokens", "", creds)
	wantError(t, "4th token in a minute", st, body, 429, msgTooManyRequests)
	if ra, _ := strconv.Atoi(h.Get("Retry-After")); ra < 1 {
		t.Errorf("Retry-After %q, want at least 1", h.Get("Retry-After"))
	}
}

func TestRoutingErrors(t *testing.T) {
	e := newEnv(t, Options{RateLimit: -1}).login()
	st, body, h := e.call("GET", "/v1.0/message/outbound", e.token, nil)
	wantError(t, "GET on a POST endpoint", st, body, 405, msgMethodNotAllowed)
	if h.Get("Allow") != "POST" {
		t.Errorf("Allow = %q", h.Get("Allow"))
	}
	st, body, _ = e.call("DELETE", "/v1.0/numbers", e.token, nil)
	wantError(t, "DELETE /numbers", st, body, 405, msgMethodNotAllowed)
	st, body, _ = e.call("GET", "/v1.0/oauth2/tokens", "", nil)
	wantError(t, "GET on the token endpoint", st, body, 405, msgMethodNotAllowed)
	st, body, _ = e.call("GET", "/v1.0/no/such/thing", e.token, nil)
	wantError(t, "unknown path", st, body, 404, msgNotFound)
	st, body, _ = e.call("GET", "/elsewhere", "", nil)
	wantError(t, "outside /v1.0", st, body, 404, msgNotFound)
	st, body, _ = e.call("GET", "/_sandbox/nope", "", nil)
	wantError(t, "unknown sandbox path", st, body, 404, msgNotFound)
	// Paths are case-insensitive and a trailing slash is forgiven.
	if st, body = e.do("GET", "/V1.0/Account/Message/Routes/?accountid="+DemoAccountID, nil); st != 200 {
		t.Errorf("mixed-case path: %d %v", st, body)
	}
}

func TestBodyErrors(t *testing.T) {
	e := newEnv(t, Options{RateLimit: -1}).login()
	for _, tc := range []struct {
		name, body string
		status     int
		words      []string
	}{
		{"empty", "", 400, []string{"body is empty"}},
		{"not JSON", "RouteName=x", 400, []string{"not valid JSON", "line 1, column 1"}},
		{"comment", "{\n  \"RouteName\": \"x\", // mine\n}", 400, []string{"not valid JSON", "line 2, column 21"}},
		{"truncated", `{"RouteName": "x"`, 400, []string{"not valid JSON"}},
		{"trailing data", `{"RouteName": "x"} {}`, 400, []string{"not valid JSON"}},
		{"array", `[]`, 400, []string{"must be a JSON object"}},
		{"null", `null`, 400, []string{"must be a JSON object"}},
		{"wrong type", `{"RouteName": 5}`, 400, []string{"RouteName must be a string; got a number"}},
		{"wrong bool", `{"MessageRouteEnabled": "yes"}`, 400, []string{"MessageRouteEnabled must be true or false; got a string"}},
		{"unknown field", `{"RouteNmae": "x"}`, 400, []string{`unknown field "RouteNmae"; did you mean "RouteName"?`}},
		{"unknown, nothing close", `{"Colour": "x"}`, 400, []string{`unknown field "Colour"`}},
		{"too large", `{"RouteName": "` + strings.Repeat("x", maxBody) + `"}`, 413, []string{"1 MiB"}},
	} {
		st, body := e.do("POST", "/v1.0/message/routes", tc.body)
		wantError(t, tc.name, st, body, tc.status, tc.words...)
	}
	// Matching is case-insensitive, like encoding/json.
	if st, body := e.do("POST", "/v1.0/message/routes", with(obj(t, qsMessageRoute), "RouteName", nil, "routename", "lower")); st != 200 || body["RouteName"] != "lower" {
		t.Errorf("lower-case key: %d %v", st, body)
	}
}

// TestFieldErrors sends each documented operation a body with one thing
// wrong and checks that the message names the field and what it expects.
func TestFieldErrors(t *testing.T) {
	e := newEnv(t, Options{RateLimit: -1}).login()
	fx := e.fixture()
	mr := obj(t, qsMessageRoute)
	vr := obj(t, qsVoiceRoute)
	av := obj(t, qsAvailability)
	sub := with(obj(t, qsSubscriber), "Email", "new@example.com", "AccountId", DemoAccountID)
	prov := provisionBody(fx.mrid, "801")
	voiceProv := with(prov, "VoiceEnabled", true, "VoiceRouteId", fx.crid, "ProductType", "Sms+Data+Voice")
	const otherAccount = "AID-eab92510-1040-45a5-bb9c-0bad9272f89d"

	type tc struct {
		name   string
		path   string
		body   any
		status int
		words  []string
	}
	cases := []tc{
		// Message routes.
		{"no RouteName", "message/routes", with(mr, "RouteName", nil), 400, []string{"RouteName is required"}},
		{"no MessageUrl", "message/routes", with(mr, "MessageUrl", ""), 400, []string{"MessageUrl is required"}},
		{"http MessageUrl", "message/routes", with(mr, "MessageUrl", "http://example.com"), 400, []string{"MessageUrl must be an https URL", "loopback", `"http://example.com"`}},
		{"no MessageUrlMethod", "message/routes", with(mr, "MessageUrlMethod", nil), 400, []string{"MessageUrlMethod is required"}},
		{"PUT", "message/routes", with(mr, "MessageUrlMethod", "PUT"), 400, []string{"MessageUrlMethod must be GET or POST", `"PUT"`}},
		{"auth type", "message/routes", with(mr, "MessageAuthenticationType", "Digest"), 400, []string{"MessageAuthenticationType must be one of None, Basic or Bearer"}},
		{"Basic without user", "message/routes", with(mr, "MessageUsername", nil), 400, []string{"MessageUsername is required when MessageAuthenticationType is Basic"}},
		{"Bearer without token", "message/routes", with(mr, "MessageAuthenticationType", "bearer", "MessagePasswordToken", nil), 400, []string{"MessagePasswordToken", "Bearer"}},
		{"callback URL", "message/routes", with(mr, "CallbackMessageUrl", "ftp://x"), 400, []string{"CallbackMessageUrl must be an https URL"}},
		{"callback Basic without password", "message/routes", with(mr, "CallbackMessagePasswordToken", ""), 400, []string{"CallbackMessagePasswordToken", "Basic"}},
		{"route other account", "message/routes", with(mr, "AccountId", otherAccount), 404, []string{"AccountId", otherAccount}},

		// Voice routes.
		{"no RouteType", "voice/routes", with(vr, "RouteType", nil), 400, []string{"RouteType is required"}},
		{"RouteType", "voice/routes", with(vr, "RouteType", "SIP"), 400, []string{"RouteType must be one of Trunk, URL or Forward"}},
		{"VoiceUrl", "voice/routes", with(vr, "VoiceUrl", "http://example.com"), 400, []string{"VoiceUrl must be an https URL"}},
		{"TrunkIp1", "voice/routes", with(vr, "TrunkIp1", "999.1.1.1"), 400, []string{"TrunkIp1 must be an IPv4 or IPv6 address"}},
		{"TrunkPort1 type", "voice/routes", with(vr, "TrunkPort1", 5061), 400, []string{"TrunkPort1 must be a string; got a number"}},
		{"TrunkPort2 range", "voice/routes", with(vr, "TrunkPort2", "70000"), 400, []string{"TrunkPort2 must be a port number from 1 to 65535"}},
		{"TrunkTransport1", "voice/routes", with(vr, "TrunkTransport1", "SCTP"), 400, []string{"TrunkTransport1 must be one of UDP, TCP or TLS"}},
		{"TrunkUri1", "voice/routes", with(vr, "TrunkUri1", "ftp://pstn"), 400, []string{"TrunkUri1 must be an https URL or a sip:/sips: URI"}},
		{"priority range", "voice/routes", with(vr, "Trunk1Priortiy", 70000), 400, []string{"Trunk1Priortiy must be a whole number from 0 to 65535"}},
		{"weight type", "voice/routes", with(vr, "Trunk2Weight", "20"), 400, []string{"Trunk2Weight must be a whole number; got a string"}},
		{"fractional weight", "voice/routes", with(vr, "Trunk2Weight", 2.5), 400, []string{"Trunk2Weight must be a whole number; got the number 2.5"}},
		{"Trunk1Priority typo", "voice/routes", with(vr, "Trunk1Priortiy", nil, "Trunk1Priority", 10), 400, []string{`unknown field "Trunk1Priority"; did you mean "Trunk1Priortiy"?`}},
		{"IpWhiteList in a request", "voice/routes", with(vr, "IpWhitelist", nil, "IpWhiteList", []any{}), 200, nil}, // case-insensitive, like encoding/json
		{"whitelist entry", "voice/routes", with(vr, "IpWhitelist", []any{map[string]any{"IpAddress": "nope"}}), 400, []string{"IpWhitelist[0].IpAddress must be an IPv4 or IPv6 address"}},
		{"whitelist typo", "voice/routes", with(vr, "IpWhitelist", []any{map[string]any{"IpAdress": "1.2.3.4"}}), 400, []string{`unknown field "IpAdress" in IpWhitelist[0]; did you mean "IpAddress"?`}},
		{"whitelist type", "voice/routes", with(vr, "IpWhitelist", "1.2.3.4"), 400, []string{"IpWhitelist must be an array of objects; got a string"}},
		{"WssUri", "voice/routes", with(vr, "WssUri", "ws://example.com"), 400, []string{"WssUri must be a wss URL"}},
		{"URL route without VoiceUrl", "voice/routes", with(vr, "RouteType", "url", "VoiceUrl", nil), 400, []string{"VoiceUrl is required when RouteType is URL"}},
		{"Trunk route without trunk", "voice/routes", with(vr, "TrunkIp1", nil, "TrunkUri1", nil), 400, []string{"TrunkIp1 or TrunkUri1 is required when RouteType is Trunk"}},
		{"sip trunk URI", "voice/routes", with(vr, "TrunkIp1", nil, "TrunkUri1", "sip:trunk.example.com:5060;transport=tcp"), 200, nil},
		{"voice other account", "voice/routes", with(vr, "AccountId", otherAccount), 404, []string{"AccountId"}},

		// Availability.
		{"short area", "numbers/availability", with(av, "AreaCode", "20"), 400, []string{`AreaCode must be exactly 3 digits, like 801; got "20"`}},
		{"short zip", "numbers/availability", with(av, "AreaCode", "", "ZipCode", "1234"), 400, []string{"ZipCode must be exactly 5 digits"}},
		{"NumberType", "numbers/availability", with(av, "NumberType", "landline"), 400, []string{"NumberType must be mobile or voip"}},
		{"no NumberType", "numbers/availability", with(av, "NumberType", nil), 400, []string{"NumberType is required"}},
		{"no MessageEnabled", "numbers/availability", with(av, "MessageEnabled", nil), 400, []string{"MessageEnabled is required"}},
		{"no VoiceEnabled", "numbers/availability", with(av, "VoiceEnabled", nil), 400, []string{"VoiceEnabled is required"}},
		{"MessageType", "numbers/availability", with(av, "MessageType", "x2p"), 400, []string{"MessageType must be a2p or p2p"}},
		{"PageNumber", "numbers/availability", with(av, "PageNumber", 0), 400, []string{"PageNumber must be 1 or more"}},

		// Subscribers.
		{"no Name", "subscribers/create", with(sub, "Name", ""), 400, []string{"Name is required"}},
		{"bad Email", "subscribers/create", with(sub, "Email", "jerome4@joonto"), 400, []string{"Email must be an email address"}},
		{"display-name Email", "subscribers/create", with(sub, "Email", "Jerome <j@joonto.com>"), 400, []string{"Email must be an email address"}},
		{"email taken", "subscribers/create", with(sub, "Email", "FIXTURE@Example.com"), 409, []string{
			`Conflict: a subscriber with Email "FIXTURE@Example.com" already exists. Each subscriber email must be unique across the entire platform.`}},
		{"no PhoneNumbers", "subscribers/create", with(sub, "PhoneNumbers", nil), 400, []string{"PhoneNumbers is required"}},
		{"PhoneNumbers type", "subscribers/create", with(sub, "PhoneNumbers", "+18015551234"), 400, []string{"PhoneNumbers must be an array of strings; got a string"}},
		{"PhoneNumbers entry type", "subscribers/create", with(sub, "PhoneNumbers", []any{5}), 400, []string{"each entry of PhoneNumbers must be a string; got a number"}},
		{"PhoneNumbers entry", "subscribers/create", with(sub, "PhoneNumbers", []any{"", "12345"}), 400, []string{"PhoneNumbers[1] must be an E.164 number"}},
		{"Role", "subscribers/create", with(sub, "Role", "Admin"), 400, []string{"Role must be one of Subscriber, Manager or Account Admin"}},
		{"short Password", "subscribers/create", with(sub, "Password", "1234567"), 400, []string{"Password must be at least 8 characters"}},
		{"no Password", "subscribers/create", with(sub, "Password", nil), 400, []string{"Password is required"}},
		{"no AccountId", "subscribers/create", with(sub, "AccountId", nil), 400, []string{"AccountId is required"}},
		{"subscriber other account", "subscribers/create", with(sub, "AccountId", otherAccount), 404, []string{"AccountId", otherAccount}},

		// Provision.
		{"no MessageRouteId", "numbers/provision", with(prov, "MessageRouteId", nil), 400, []string{
			"Bad request: MessageRouteId is required: you must create a message route before provisioning numbers."}},
		{"unknown MRID", "numbers/provision", with(prov, "MessageRouteId", "MRID-73af1e73-d7b3-4696-bdd9-5b407c96fc8a"), 404, []string{
			`Not found: message route "MRID-73af1e73-d7b3-4696-bdd9-5b407c96fc8a" does not exist; create a message route before provisioning numbers.`}},
		{"iot a2p", "numbers/provision", with(prov, "NumberType", "IoT", "MessageType", "A2P", "ProductType", "Data-Only"), 400, []string{
			"Bad request: NumberType 'iot' is p2p only - cannot be provisioned as a2p; use mvno NumberType for a2p MessageType"}},
		{"iot voice", "numbers/provision", with(voiceProv, "NumberType", "iot"), 400, []string{"VoiceEnabled must be false for NumberType 'iot'"}},
		{"voice without route", "numbers/provision", with(voiceProv, "VoiceRouteId", nil), 400, []string{"VoiceRouteId is required when VoiceEnabled is true"}},
		{"unknown voice route", "numbers/provision", with(voiceProv, "VoiceRouteId", "CRID-4dec6beb-3985-444b-8c06-8baa70dc145"), 404, []string{"VoiceRouteId", "CRID-4dec6beb"}},
		{"unknown voice route, voice off", "numbers/provision", with(prov, "VoiceRouteId", "CRID-nope"), 404, []string{"VoiceRouteId", "CRID-nope"}},
		{"unknown subscriber", "numbers/provision", with(prov, "AssignedSubscriberId", "TSUID-1234567999"), 404, []string{"AssignedSubscriberId", "TSUID-1234567999"}},
		{"placeholder zip", "numbers/provision", with(prov, "ZipCode", "XXXXX"), 400, []string{"ZipCode must be exactly 5 digits"}},
		{"long area", "numbers/provision", with(prov, "AreaCode", "2011"), 400, []string{"AreaCode must be exactly 3 digits"}},
		{"ICCID", "numbers/provision", with(prov, "ICCID", "123"), 400, []string{"ICCID must be the 19 or 20 digits"}},
		{"ProductType", "numbers/provision", with(prov, "ProductType", "Voice-Only"), 400, []string{"ProductType must be one of Sms-Only, Data-Only, Sms+Data or Sms+Data+Voice"}},
		{"no NumberType", "numbers/provision", with(prov, "NumberType", nil), 400, []string{"NumberType is required"}},
		{"NumberType mobile", "numbers/provision", with(prov, "NumberType", "mobile"), 400, []string{"NumberType must be mvno or iot"}},
		{"no MessageType", "numbers/provision", with(prov, "MessageType", nil), 400, []string{"MessageType is required"}},
		{"no VoiceEnabled", "numbers/provision", with(prov, "VoiceEnabled", nil), 400, []string{"VoiceEnabled is required (true or false)"}},
		{"no ProductType", "numbers/provision", with(prov, "ProductType", nil), 400, []string{"ProductType is required"}},
		{"nothing in 999", "numbers/provision", with(prov, "AreaCode", "999"), 404, []string{`Not found: no numbers available in AreaCode "999"`, "check availability again"}},
		{"provision other account", "numbers/provision", with(prov, "AccountId", otherAccount), 404, []string{"AccountId"}},

		// Outbound.
		{"From not ours", "message/outbound", qsOutbound, 400, []string{`From "+18018018011" is not a number on this account`}},
		{"no To", "message/outbound", with(obj(t, qsOutbound), "To", []any{}), 400, []string{"To is required"}},
		{"bad To", "message/outbound", with(obj(t, qsOutbound), "To", []any{map[string]any{"Number": "8015551234"}}), 400, []string{"To[0].Number must be an E.164 number"}},
		{"To typo", "message/outbound", with(obj(t, qsOutbound), "To", []any{map[string]any{"Numbr": "+18015551234"}}), 400, []string{`unknown field "Numbr" in To[0]; did you mean "Number"?`}},
		{"no From", "message/outbound", with(obj(t, qsOutbound), "From", nil), 400, []string{"From is required"}},
		{"no Body", "message/outbound", with(obj(t, qsOutbound), "Body", ""), 400, []string{"Body is required"}},
		{"Owner", "message/outbound", with(obj(t, qsOutbound), "Owner", "owner"), 400, []string{"Owner must be an E.164 number"}},
		{"media URL", "message/outbound", with(obj(t, qsOutbound), "MmsMedia", []any{map[string]any{"MediaUrl": "http://example.com/a.png"}}), 400, []string{"MmsMedia[0].MediaUrl must be an https URL"}},
		{"base64", "message/outbound", with(obj(t, qsOutbound), "MmsBase64", []any{map[string]any{"Base64": "!!", "BaseType": "audio/wav"}}), 400, []string{"MmsBase64[0].Base64 must be standard base64"}},
		{"base type", "message/outbound", with(obj(t, qsOutbound), "MmsBase64", []any{map[string]any{"Base64": "aGk=", "BaseType": "wav"}}), 400, []string{"MmsBase64[0].BaseType must be a media type"}},
	}
	for _, c := range cases {
		st, body := e.do("POST", "/v1.0/"+c.path, c.body)
		if c.status == 200 {
			if st != 200 {
				t.Errorf("%s: %d %v, want 200", c.name, st, body)
			}
			continue
		}
		wantError(t, c.name, st, body, c.status, c.words...)
	}
	// Only the fixture's number-free resources and the two accepted voice
	// routes exist: no refused request left anything behind.
	res := e.resources()
	if len(res["Numbers"]) != 0 || len(res["Subscribers"]) != 1 || len(res["MessageRoutes"]) != 1 || len(res["VoiceRoutes"]) != 3 {
		t.Errorf("refused requests changed state: %d numbers, %d subscribers, %d message routes, %d voice routes",
			len(res["Numbers"]), len(res["Subscribers"]), len(res["MessageRoutes"]), len(res["VoiceRoutes"]))
	}
}

func TestICCIDCanOnlyBeUsedOnce(t *testing.T) {
	e := newEnv(t, Options{RateLimit: -1}).login()
	fx := e.fixture()
	body := with(provisionBody(fx.mrid, "801"), "ICCID", "8901240397190195850")
	first := e.must("POST", "/v1.0/numbers/provision", body)
	if first["QRCode"] != "" {
		t.Errorf("a physical SIM got an eSIM QR code: %v", first["QRCode"])
	}
	st, res := e.do("POST", "/v1.0/numbers/provision", body)
	wantError(t, "ICCID reused", st, res, 409, `ICCID "8901240397190195850" is already used by `+first["PhoneNumberAssigned"].(string))
}

func TestOrderAndLookupQueryErrors(t *testing.T) {
	e := newEnv(t, Options{RateLimit: -1}).login()
	for _, c := range []struct {
		path   string
		status int
		words  []string
	}{
		{"/v1.0/numbers/order", 400, []string{"OrderId query parameter is required"}},
		{"/v1.0/numbers/order?OrderId=JNUOID-nope", 404, []string{`order "JNUOID-nope" does not exist`}},
		{"/v1.0/account/message/routes", 400, []string{"AccountId query parameter is required"}},
		{"/v1.0/account/message/routes?AccountId=AID-other", 404, []string{`AccountId "AID-other" does not exist or belongs to a different account.`}},
		{"/v1.0/account/voice/routes?AccountId=AID-other", 404, []string{"AccountId"}},
		{"/v1.0/message/routes?MessageRouteId=MRID-nope", 404, []string{"MRID-nope"}},
		{"/v1.0/voice/routes?CallRouteID=CRID-nope", 404, []string{"CRID-nope"}},
		{"/v1.0/voice/routes", 400, []string{"CallRouteID query parameter is required"}},
		{"/v1.0/subscribers/get?SubscriberId=TSUID-nope", 404, []string{"TSUID-nope"}},
		{"/v1.0/numbers", 400, []string{"Number", "ICCID"}},
		{"/v1.0/numbers?Number=" + url.QueryEscape("+18015550100"), 404, []string{`number "+18015550100" is not on this account`}},
		{"/v1.0/numbers/inventory?TotalNumbersRequested=5000", 400, []string{"TotalNumbersRequested query parameter must be a whole number from 1 to 1000"}},
		{"/v1.0/numbers/inventory?PageNumber=zero", 400, []string{"PageNumber"}},
		{"/v1.0/message/details?MessageId=TMID-nope", 404, []string{"TMID-nope"}},
		{"/v1.0/message/search", 400, []string{"phoneNumber query parameter is required"}},
		{"/v1.0/message/search?phoneNumber=hello", 400, []string{"phoneNumber", "E.164"}},
	} {
		st, body := e.do(http.MethodGet, c.path, nil)
		wantError(t, c.path, st, body, c.status, c.words...)
	}
}
