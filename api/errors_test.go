package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestDecodeErrorBodyShapes(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"documented", `{"StatusCode":400,"Message":"Bad request: AreaCode must be exactly 3 digits"}`, "Bad request: AreaCode must be exactly 3 digits"},
		{"lower-case keys", `{"statusCode":404,"message":"Not found"}`, "Not found"},
		{"rfc7807", `{"type":"https://tools.ietf.org/html/rfc7231#section-6.5.1","title":"One or more validation errors occurred.","status":400,"errors":{"$.AreaCode":["The JSON value could not be converted."],"Email":["Required"]},"traceId":"00-ab"}`,
			"One or more validation errors occurred.; AreaCode: The JSON value could not be converted.; Email: Required"},
		{"plain text", "Too many requests: rate limit exceeded.\n", "Too many requests: rate limit exceeded."},
		{"json string", `"Unauthorized"`, "Unauthorized"},
		{"empty", "", ""},
	} {
		if got := decodeErrorBody([]byte(tc.body)); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// Each of the quickstart's "Common Issues & Solutions" comes back for its
// case, with the words a server is likely to use.
func TestRemediesForTheQuickstartsCommonIssues(t *testing.T) {
	for _, tc := range []struct {
		op     string
		status int
		msg    string
		kind   Kind
		remedy string
	}{
		{opToken, 401, "Unauthorized: invalid AccountKey or AccountSecret.", KindAuth, RemedyBadCredentials},
		{opProvision, 401, "Unauthorized: Bearer token is missing, expired, or invalid.", KindAuth, RemedyBadToken},
		{opProvision, 400, "Bad request: MessageRouteId is required: you must create a message route before provisioning numbers.", KindNoMessageRoute, RemedyNoMessageRoute},
		{opProvision, 404, `Not found: message route "MRID-x" does not exist; create a message route before provisioning numbers.`, KindNoMessageRoute, RemedyNoMessageRoute},
		{opProvision, 409, "Conflict: the number +12015550100 was claimed by another user.", KindNumberClaimed, RemedyNumberClaimed},
		{opCreateSubscriber, 409, `Conflict: a subscriber with Email "a@b.co" already exists.`, KindEmailTaken, RemedyEmailTaken},
		{opCreateSubscriber, 404, `Not found: AccountId "AID-x" does not exist or belongs to a different account.`, KindAccountID, RemedyAccountID},
		{opCreateMessageRoute, 403, "Forbidden: Check the ApiEndpoint scope.", KindScope, RemedyScope},
		{opCreateMessageRoute, 429, "Too many requests", KindRateLimit, RemedyRateLimit},
		{opCreateMessageRoute, 500, "Internal server error", KindServer, RemedyServer},
		{opCreateMessageRoute, 503, "Service unavailable", KindServer, RemedyServer},
		{opCreateMessageRoute, 504, "Gateway timeout", KindServer, RemedyServer},
		{opCreateMessageRoute, 400, "Bad request: MessageUrl is required", KindBadRequest, RemedyBadRequest},
		{opOrder, 404, "Not found: order JNUOID-1", KindNotFound, RemedyNotFound},
	} {
		e := newHTTPError(tc.op, "POST", "/v1.0/x", tc.status, []byte(fmt.Sprintf(`{"StatusCode":%d,"Message":%q}`, tc.status, tc.msg)), 0)
		if e.Kind != tc.kind || e.Remedy != tc.remedy {
			t.Errorf("%s %d %q: kind %v remedy %q; want %v %q", tc.op, tc.status, tc.msg, e.Kind, e.Remedy, tc.kind, tc.remedy)
		}
		if e.Message != tc.msg {
			t.Errorf("message %q, want the server's %q", e.Message, tc.msg)
		}
	}
}

func TestErrorIsErrorsAsFriendly(t *testing.T) {
	var err error = fmt.Errorf("step 6: %w", newHTTPError(opProvision, "POST", "/v1.0/numbers/provision", 409, []byte(`{"StatusCode":409,"Message":"claimed by another user"}`), time.Second))
	var e *Error
	if !errors.As(err, &e) || e.Status != 409 {
		t.Fatalf("errors.As failed on %v", err)
	}
	if errors.Is(err, ErrOutcomeUnknown) {
		t.Error("a 409 is a known outcome")
	}
	want := "provision number: 409 Conflict: claimed by another user"
	if e.Error() != want {
		t.Errorf("Error() = %q, want %q", e.Error(), want)
	}
}

func TestFlexibleDecoding(t *testing.T) {
	var n Number
	if err := json.Unmarshal([]byte(`{"Tnid":"NID-1","MessageEnabled":"true","VoiceEnabled":false,"AreaCode":801,"ZipCode":"84043"}`), &n); err != nil {
		t.Fatal(err)
	}
	if n.TNID != "NID-1" || !bool(n.MessageEnabled) || bool(n.VoiceEnabled) || n.AreaCode != "801" || n.ZipCode != "84043" {
		t.Errorf("decoded %+v", n)
	}
	var a AvailabilityResponse
	if err := json.Unmarshal([]byte(`{"ResultsTotal":"7700","AvailableNumberAreas":[{"NGP":"SAG","AreaCode":993,"Zipcode":"00601"}]}`), &a); err != nil {
		t.Fatal(err)
	}
	if a.ResultsTotal != 7700 || a.AvailableNumberAreas[0].AreaCode != 993 || a.AvailableNumberAreas[0].Zipcode != "00601" {
		t.Errorf("decoded %+v", a)
	}
	for body, want := range map[string][]string{
		`{"MessageID":"TMID-1","To":"+18015550100, +18015550101"}`:             {"+18015550100", "+18015550101"},
		`{"MessageId":"TMID-1","To":[{"Number":"+18015550100","Status":"x"}]}`: {"+18015550100"},
		`{"MessageId":"TMID-1","To":["+18015550100"]}`:                         {"+18015550100"},
	} {
		var m Message
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if m.MessageId != "TMID-1" || fmt.Sprint(m.To.Numbers()) != fmt.Sprint(want) {
			t.Errorf("%s: got %q %v", body, m.MessageId, m.To.Numbers())
		}
	}
	var b FlexBool
	if err := json.Unmarshal([]byte(`"maybe"`), &b); err == nil {
		t.Error("FlexBool accepted \"maybe\"")
	}
}

func TestHelpers(t *testing.T) {
	if got := NormalizeProductType("data-only"); got != "Data-Only" {
		t.Errorf("NormalizeProductType = %q", got)
	}
	if got := NormalizeProductType("sms+DATA+voice"); got != "Sms+Data+Voice" {
		t.Errorf("NormalizeProductType = %q", got)
	}
	for status, want := range map[string]OrderPhase{"Complete": OrderSucceeded, "completed": OrderSucceeded, "Pending": OrderInProgress,
		"Pending Carrier Approval": OrderInProgress, "InProgress": OrderInProgress, "ERROR": OrderFailed, "Rejected": OrderFailed, "Cancelled": OrderFailed} {
		if got := OrderState(status); got != want {
			t.Errorf("OrderState(%q) = %d, want %d", status, got, want)
		}
	}
	qr := "https://quickchart.io/qr?text=LPA:1$T-MOBILE.IDEMIA.IO$LX9G1-Q12VI-CIIWA-WAQIN&centerImageUrl=https://joonto.com/x.png&ecLevel=H&format=png"
	if got := ActivationCode(qr); got != "LPA:1$T-MOBILE.IDEMIA.IO$LX9G1-Q12VI-CIIWA-WAQIN" {
		t.Errorf("ActivationCode = %q", got)
	}
	if got := ActivationCode("LPA:1$a$b"); got != "LPA:1$a$b" {
		t.Errorf("ActivationCode(raw) = %q", got)
	}
	if got := ActivationCode(""); got != "" {
		t.Errorf("ActivationCode(empty) = %q", got)
	}
	if s := fmt.Sprint(Credentials{AccountKey: "k", AccountSecret: "topsecret"}); contains(s, "topsecret") {
		t.Errorf("Credentials print their secret: %s", s)
	}
}

// Every status the documents list has a remedy that says what to do.
func TestRemediesForEveryDocumentedStatus(t *testing.T) {
	s := newStub(t)
	c, _ := newStubClient(t, s)
	ctx := context.Background()

	// A 404 from the token endpoint: the base URL is wrong.
	s.on("POST /v1.0/oauth2/tokens", apiError(404, "Not found"))
	var e *Error
	if err := c.Authenticate(ctx); !errors.As(err, &e) || !strings.Contains(e.Remedy, "must end in /v1.0") {
		t.Errorf("token 404: %#v", err)
	}
	s.on("POST /v1.0/oauth2/tokens", s.issueToken(time.Now().Add(time.Hour)))

	// 405: the method, i.e. the base URL or a proxy.
	s.on("POST /v1.0/message/routes", apiError(405, "Method not allowed: verify the HTTP method required for this endpoint."))
	if _, err := c.CreateMessageRoute(ctx, routeReq); !errors.As(err, &e) || e.Kind != KindRefused || !strings.Contains(e.Remedy, "base URL") {
		t.Errorf("405: %#v", err)
	}

	// 413: how large, and which field.
	s.on("POST /v1.0/message/outbound", apiError(413, "Payload too large"))
	big := OutboundMessageRequest{From: "+18015550100", To: []Recipient{{Number: "+18015550101"}}, Body: strings.Repeat("x", 3<<20)}
	if _, err := c.SendMessage(ctx, big); !errors.As(err, &e) || e.Kind != KindRefused ||
		!strings.Contains(e.Remedy, "3.0 MiB") || !strings.Contains(e.Remedy, "largest field is Body") {
		t.Errorf("413: %#v", err)
	}
	if errors.Is(e, ErrOutcomeUnknown) {
		t.Error("a 413 is a known refusal")
	}

	// 400 naming no field: the step's fields.
	s.on("POST /v1.0/voice/routes", apiError(400, "Bad request: one or more required fields are missing or contain an invalid value."))
	_, err := c.CreateVoiceRoute(ctx, VoiceRouteRequest{RouteName: "v", RouteType: "Trunk", TrunkIp1: "20.87.87.87"})
	if !errors.As(err, &e) || !strings.Contains(e.Remedy, "did not say which field") || !strings.Contains(e.Remedy, "RouteName, RouteType, TrunkIp1") {
		t.Errorf("400 without a field: %#v", err)
	}
	// 400 naming one: fix it.
	s.on("POST /v1.0/voice/routes", apiError(400, "Bad request: TrunkIp1 must be an IP address"))
	if _, err := c.CreateVoiceRoute(ctx, VoiceRouteRequest{RouteName: "v", RouteType: "Trunk", TrunkIp1: "x"}); !errors.As(err, &e) || e.Remedy != RemedyBadRequest {
		t.Errorf("400 with a field: %#v", err)
	}

	// 422 lists the fields it names, in either error shape.
	s.on("POST /v1.0/numbers/provision", reply(422, map[string]any{"Title": "Validation failed",
		"Errors": map[string]any{"$.AreaCode": []string{"unknown area"}, "$.ZipCode": []string{"not in the US"}}}))
	_, err = c.ProvisionNumber(ctx, ProvisionRequest{NumberType: "mvno", AreaCode: "999", ZipCode: "00000", ProductType: "Sms-Only"})
	if !errors.As(err, &e) || e.Kind != KindBadRequest || !strings.Contains(e.Remedy, "AreaCode, ZipCode") {
		t.Errorf("422: %#v", err)
	}
}
