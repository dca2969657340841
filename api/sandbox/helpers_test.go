package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// The quickstart's request bodies, verbatim (the provision body keeps its
// // comments; stripComments removes them).
const (
	qsToken = `{
  "AccountKey": "your-account-key-here",
  "AccountSecret": "your-account-secret-here"
}`
	qsMessageRoute = `{
  "RouteName": "Main SMS Webhook",
  "MessageUrl": "https://apiendpoint.com",
  "MessageUrlMethod": "POST",
  "MessageRouteEnabled": true,
  "MessageAuthenticationType": "Basic",
  "MessageUsername": "admin",
  "MessagePasswordToken": "passwordORbearerToken",
  "CallbackMessageUrl": "https://apiendpoint.com",
  "CallbackMessageUrlMethod": "POST",
  "CallbackMessageAuthenticationType": "Basic",
  "CallbackMessageUsername": "admin",
  "CallbackMessagePasswordToken": "password",
  "InboundBypass": true,
  "OutboundBypass": true,
  "IntelligentRouteEnabled": true
}`
	qsVoiceRoute = `{
  "RouteName": "Main SIP Trunk",
  "RouteType": "Trunk",
  "VoiceUrl": "https://domain.com",
  "VoiceUrlMethod": "POST",
  "VoiceAuthenticationType": "Basic",
  "VoiceUsername": "admin",
  "VoicePasswordToken": "passwordORbearerToken",
  "CallbackVoiceUrl": "https://apiendpoint.com",
  "CallbackVoiceUrlMethod": "POST",
  "TrunkIp1": "20.87.87.87",
  "TrunkIp2": "20.87.87.86",
  "TrunkPort1": "5061",
  "TrunkPort2": "5060",
  "TrunkTransport1": "UDP",
  "TrunkTransport2": "TCP",
  "TrunkUri1": "https://pstn.joonto.com",
  "TrunkUri2": "https://pstn2.joonto.com",
  "TrunkEnabled1": true,
  "TrunkEnabled2": false,
  "Trunk1Priortiy": 10,
  "Trunk1Weight": 10,
  "Trunk2Priortiy": 20,
  "Trunk2Weight": 20,
  "HeaderManipulation": "HMI8802029",
  "EnableSipRefer": true,
  "TransferCallerId": "Transferee/Transferor",
  "SymmetricRtp": true,
  "EnableTrpSecureTrunk": true,
  "EnablePstnTransfer": true,
  "IpWhitelist": [{"IpAddress": "20.20.10.10"}, {"IpAddress": "20.20.10.20"}],
  "CnamLookup": true,
  "TerminationUriSubdomain": "client",
  "EnableCallStreaming": true,
  "WssUri": "wss://192.67.88.2",
  "IntelligentRouteEnabled": true,
  "RouteEnabled": true
}`
	qsAvailability = `{
  "NumberType": "mobile",
  "MessageType": "p2p",
  "MessageEnabled": true,
  "VoiceEnabled": true,
  "PageNumber": 1,
  "AreaCode": "201",
  "ZipCode": ""
}`
	qsSubscriber = `{
  "Name": "Jerome User 4",
  "Email": "jerome4@joonto.com",
  "PhoneNumbers": [""],
  "Role": "Subscriber",
  "Password": "1234567890",
  "AccountId": "AID-eab92510-1040-45a5-bb9c-0bad9272f89d"
}`
	qsProvision = `{
  "NumberType": "iot",
  "MessageType": "p2p",
  "MessageEnabled": true,
  "VoiceEnabled": false,
  "MessageRouteId": "MRID-73af1e73-d7b3-4696-bdd9-5b407c96fc8a",
  "VoiceRouteId": "CRID-4dec6beb-3985-444b-8c06-8baa70dc145",
  "AreaCode": "201",
  "ZipCode": "XXXXX",
  "ICCID": "8901240397190195850", //optional
  "ProductType": "data-only",
  "AssignedSubscriberId": "TSUID-1234567999" //optional subscriber-id to be assigned to number
}`
	qsOutbound = `{
  "CampaignId": "JCID-dsuhofh3882",
  "To": [
    {"Number": "+18015737111"},
    {"Number": "+18014271919"}
  ],
  "From": "+18018018011",
  "Owner": "+18018018011",
  "Body": "Hello there!!!",
  "MmsMedia": [
    {"MediaUrl": "https://results2.com"},
    {"MediaUrl": "https://results.com"}
  ],
  "MmsBase64": [
    {"Base64": "dkjjkdflajdfjo3ji3jjljfkjaskjfad", "BaseType": "audio/wav"},
    {"Base64": "dkjjkdflajdfjo3ji3jjljfkjaskjfad", "BaseType": "video/mpg"}
  ]
}`
)

var commentRE = regexp.MustCompile(`(?m)[ \t]*//[^"\n]*$`)

// stripComments removes the quickstart's // comments (never inside a
// string: a comment here is never followed by a quote on its line).
func stripComments(s string) string { return commentRE.ReplaceAllString(s, "") }

// obj parses a JSON object literal for editing in a test.
func obj(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("bad test JSON: %v\n%s", err, s)
	}
	return m
}

// with returns a copy of m with the given keys set; a nil value deletes.
func with(m map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		k := kv[i].(string)
		if kv[i+1] == nil {
			delete(out, k)
		} else {
			out[k] = kv[i+1]
		}
	}
	return out
}

// env is a sandbox behind a real HTTP server and a raw client for it.
type env struct {
	t     *testing.T
	s     *Server
	srv   *httptest.Server
	token string
}

func newEnv(t *testing.T, opts Options) *env {
	t.Helper()
	s := New(opts)
	srv := httptest.NewServer(s)
	t.Cleanup(func() { srv.Close(); s.Close() })
	return &env{t: t, s: s, srv: srv}
}

// login gets a token with the demo credentials and keeps it.
func (e *env) login() *env {
	e.t.Helper()
	st, body, _ := e.call("POST", "/v1.0/oauth2/tokens", "", map[string]any{
		"AccountKey": DemoAccountKey, "AccountSecret": DemoAccountSecret})
	if st != 200 {
		e.t.Fatalf("login: %d %v", st, body)
	}
	e.token = body["token"].(string)
	return e
}

type resp struct {
	status int
	body   map[string]any
	header http.Header
}

// call sends body (a string is sent as is, anything else as JSON) with the
// given token, and decodes the answer, which must be a JSON object.
func (e *env) call(method, path, token string, body any) (int, map[string]any, http.Header) {
	e.t.Helper()
	r := e.try(method, path, token, body)
	return r.status, r.body, r.header
}

func (e *env) try(method, path, token string, body any) resp {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		e.t.Errorf("%s %s: Content-Type %q, want application/json (body %s)", method, path, ct, raw)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		e.t.Fatalf("%s %s: answer is not a JSON object: %v\n%s", method, path, err, raw)
	}
	return resp{status: res.StatusCode, body: m, header: res.Header}
}

// do is call with the env's token.
func (e *env) do(method, path string, body any) (int, map[string]any) {
	e.t.Helper()
	st, b, _ := e.call(method, path, e.token, body)
	return st, b
}

// must is do that fails the test unless the answer is 200.
func (e *env) must(method, path string, body any) map[string]any {
	e.t.Helper()
	st, b := e.do(method, path, body)
	if st != 200 {
		e.t.Fatalf("%s %s: %d %v", method, path, st, b)
	}
	return b
}

// wantError checks the documented error shape, the status and the words.
func wantError(t *testing.T, what string, status int, body map[string]any, wantStatus int, words ...string) {
	t.Helper()
	if status != wantStatus {
		t.Errorf("%s: status %d, want %d (%v)", what, status, wantStatus, body)
		return
	}
	if sc, _ := body["StatusCode"].(float64); int(sc) != wantStatus {
		t.Errorf("%s: StatusCode %v, want %d", what, body["StatusCode"], wantStatus)
	}
	msg, _ := body["Message"].(string)
	for _, w := range words {
		if !strings.Contains(msg, w) {
			t.Errorf("%s: message %q does not contain %q", what, msg, w)
		}
	}
}

// resources reads GET /_sandbox/resources over HTTP.
func (e *env) resources() map[string][]map[string]any {
	e.t.Helper()
	res, err := e.srv.Client().Get(e.srv.URL + "/_sandbox/resources")
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string][]map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		e.t.Fatal(err)
	}
	return out
}

// httpGetJSON fetches a JSON object without authentication.
func httpGetJSON(u string) (map[string]any, error) {
	res, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var m map[string]any
	err = json.NewDecoder(res.Body).Decode(&m)
	return m, err
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond) // polling interval, bounded by the deadline
	}
}

// clock is a movable time source for Options.Now.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2026, 1, 30, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// fixture creates the resources most tests need and returns their IDs.
type fixture struct {
	mrid, crid, tsuid string
}

func (e *env) fixture() fixture {
	e.t.Helper()
	mr := e.must("POST", "/v1.0/message/routes", qsMessageRoute)
	vr := e.must("POST", "/v1.0/voice/routes", qsVoiceRoute)
	sub := e.must("POST", "/v1.0/subscribers/create", with(obj(e.t, qsSubscriber),
		"Email", "fixture@example.com", "AccountId", DemoAccountID))
	return fixture{mrid: mr["MessageRouteId"].(string), crid: vr["CallRouteId"].(string), tsuid: sub["SubscriberId"].(string)}
}

// provisionBody is a valid mvno provision in area.
func provisionBody(mrid, area string) map[string]any {
	return map[string]any{"NumberType": "mvno", "MessageType": "p2p", "MessageEnabled": true, "VoiceEnabled": false,
		"ProductType": "Sms-Only", "MessageRouteId": mrid, "AreaCode": area}
}
