package api

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// Error bodies in every documented shape, and garbage: decoding never
// panics, and an error always has a message a person can read.
func FuzzDecodeErrorBody(f *testing.F) {
	for _, seed := range []string{
		`{"StatusCode":400,"Message":"Bad request: AreaCode must be exactly 3 digits"}`,
		`{"type":"x","title":"One or more validation errors occurred.","status":400,"errors":{"$.AreaCode":["bad"]},"traceId":"t"}`,
		`Too many requests`, `"quoted"`, `{"errors":{"a":"not a list"}}`, `{"Message":null}`, `[1,2]`, "", "\xff\xfe",
		`<html><body>502 Bad Gateway</body></html>`,
	} {
		f.Add(seed, 400)
	}
	f.Fuzz(func(t *testing.T, body string, status int) {
		if status < 400 || status > 599 {
			status = 400 + (abs(status) % 200)
		}
		e := newHTTPError(opProvision, "POST", "/v1.0/numbers/provision", status, []byte(body), 0)
		if e.Message == "" {
			t.Fatalf("no message for status %d body %q", status, body)
		}
		if e.Error() == "" {
			t.Fatal("empty Error()")
		}
		if utf8.ValidString(body) && !utf8.ValidString(e.Message) {
			t.Fatalf("valid UTF-8 in, invalid out: %q", e.Message)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// Every response type decodes any JSON without panicking: the documents
// spell keys and types inconsistently, and a server may send anything.
func FuzzDecodeResponses(f *testing.F) {
	for _, seed := range []string{
		`{"token":"t","successful":true,"tokenExpiry":"05/02/2025 06:36:13 PM"}`,
		`{"RequestId":"T-04139","ResultsTotal":7700,"AvailableNumberAreas":[{"NGP":"SAG","AreaCode":993,"Zipcode":"00601"}]}`,
		`{"OrderId":"JNUOID-1","OrderStatus":"Complete","ErrorMessage":null,"ZipCode":84603}`,
		`{"MessageId":"TMID-1","Cost":0.0045,"To":[{"Number":"+12016093801"}]}`,
		`{"MessageID":"TMID-1","To":"+1, +2","Cost":"0.1"}`,
		`{"AccountId":"A","TotalResults":"1","PhoneNumbers":[{"Tnid":"NID-1","MessageEnabled":"true"}]}`,
		`{"AccountID":"A","TotalRoutes":1,"Results":[{"CallRouteId":"CRID-1","IpWhitelist":[{"IpAddress":"1.2.3.4"}],"TrunkPort1":5060}]}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, v := range []any{&TokenResponse{}, &MessageRoute{}, &MessageRouteList{}, &VoiceRoute{}, &VoiceRouteList{},
			&AvailabilityResponse{}, &Subscriber{}, &ProvisionResponse{}, &Order{}, &Number{}, &Inventory{}, &Message{},
			&MessageSearchResult{}, &DeletedMessageRoute{}, &DeletedVoiceRoute{}} {
			_ = json.Unmarshal([]byte(body), v)
		}
		_ = parseTokenExpiry(body)
		_ = ActivationCode(body)
		_ = OrderState(body)
	})
}

// Whatever a secret is, it does not survive redaction under its key.
func FuzzRedactJSON(f *testing.F) {
	f.Add("AccountSecret", "s3cret-value")
	f.Add("CallbackMessagePasswordToken", "pa\"ss\\word")
	f.Add("token", "eyJhbGciOiJIUzI1NiJ9.x.y")
	f.Fuzz(func(t *testing.T, key, secret string) {
		if !IsSecretKey(key) || len(secret) < 4 || !utf8.ValidString(secret) || !utf8.ValidString(key) {
			return
		}
		body, _ := json.Marshal(map[string]any{key: secret, "nested": []any{map[string]string{key: secret}}, "RouteName": "r"})
		out := RedactJSON(body)
		var back any
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("redaction broke the JSON: %s", out)
		}
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				for _, x := range v {
					walk(x)
				}
			case []any:
				for _, x := range v {
					walk(x)
				}
			case string:
				if v != Redacted && strings.Contains(v, secret) {
					t.Fatalf("secret %q survives in %s", secret, out)
				}
			}
		}
		walk(back)
	})
}
