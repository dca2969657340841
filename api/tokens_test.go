package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"
)

func TestTokenIsFetchedOnceAndSentAsBearer(t *testing.T) {
	s := newStub(t)
	s.on("GET /v1.0/numbers/order", reply(200, map[string]any{"OrderStatus": "Pending"}))
	c, _ := newStubClient(t, s)
	for range 3 {
		if _, err := c.GetOrder(context.Background(), "JNUOID-1"); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(s.requests("POST /v1.0/oauth2/tokens")); n != 1 {
		t.Errorf("fetched %d tokens for 3 calls, want 1", n)
	}
	tokenReq := s.requests("POST /v1.0/oauth2/tokens")[0].Body
	if tokenReq["AccountKey"] != "key-1" || tokenReq["AccountSecret"] != "s3cret-value" {
		t.Errorf("token request body = %v", tokenReq)
	}
	if _, scoped := tokenReq["ApiEndpoint"]; scoped {
		t.Error("first token request should ask for an account-wide token")
	}
	for _, r := range s.requests("GET /v1.0/numbers/order") {
		if r.Auth != "Bearer tok-1" {
			t.Errorf("Authorization = %q", r.Auth)
		}
	}
}

func TestExpiredTokenIsRenewedBeforeUse(t *testing.T) {
	s := newStub(t)
	var mu sync.Mutex
	now := time.Date(2026, 5, 2, 18, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s.clock = clock // the server's clock agrees with ours
	s.on("POST /v1.0/oauth2/tokens", s.issueToken(now.Add(10*time.Minute)))
	s.on("GET /v1.0/numbers/order", reply(200, map[string]any{}))
	c, _ := newStubClient(t, s)
	c.now = clock
	ctx := context.Background()
	if _, err := c.GetOrder(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = now.Add(11 * time.Minute) // past tokenExpiry
	mu.Unlock()
	if _, err := c.GetOrder(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	orders := s.requests("GET /v1.0/numbers/order")
	if orders[0].Auth != "Bearer tok-1" || orders[1].Auth != "Bearer tok-2" {
		t.Errorf("auth headers %q, %q: want a fresh token after expiry", orders[0].Auth, orders[1].Auth)
	}
	if n := len(s.requests("GET /v1.0/numbers/order")); n != 2 {
		t.Errorf("the expired token was sent: %d order requests", n)
	}
}

func TestUnauthorizedReauthenticatesOnce(t *testing.T) {
	s := newStub(t)
	s.on("POST /v1.0/voice/routes",
		apiError(401, "Unauthorized: Bearer token is missing, expired, or invalid."),
		reply(200, map[string]any{"CallRouteId": "CRID-1"}))
	c, _ := newStubClient(t, s)
	got, err := c.CreateVoiceRoute(context.Background(), VoiceRouteRequest{RouteName: "v", RouteType: "Trunk"})
	if err != nil {
		t.Fatal(err)
	}
	if got.CallRouteId != "CRID-1" {
		t.Errorf("CallRouteId = %q", got.CallRouteId)
	}
	calls := s.requests("POST /v1.0/voice/routes")
	if len(calls) != 2 || calls[1].Auth != "Bearer tok-2" {
		t.Errorf("want a second try with a new token, got %+v", calls)
	}
}

func TestUnauthorizedTwiceIsReportedWithTheQuickstartRemedy(t *testing.T) {
	s := newStub(t)
	s.on("POST /v1.0/voice/routes", apiError(401, "Unauthorized: Bearer token is missing, expired, or invalid."))
	c, _ := newStubClient(t, s)
	_, err := c.CreateVoiceRoute(context.Background(), VoiceRouteRequest{RouteName: "v", RouteType: "Trunk"})
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindAuth || e.Remedy != RemedyBadToken {
		t.Fatalf("got %#v", err)
	}
	if n := len(s.requests("POST /v1.0/oauth2/tokens")); n != 2 {
		t.Errorf("%d token requests, want 2 (one re-authentication)", n)
	}
}

func TestBadCredentials(t *testing.T) {
	s := newStub(t)
	s.on("POST /v1.0/oauth2/tokens", apiError(401, "Unauthorized: invalid AccountKey or AccountSecret."))
	c, sleeps := newStubClient(t, s)
	err := c.Authenticate(context.Background())
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindAuth || e.Remedy != RemedyBadCredentials {
		t.Fatalf("got %#v", err)
	}
	if len(sleeps.got()) != 0 || len(s.requests("")) != 1 {
		t.Error("bad credentials must not be retried")
	}
}

func TestServerThatRequiresApiEndpointGetsOneTokenPerEndpoint(t *testing.T) {
	s := newStub(t)
	issue := s.issueToken(time.Now().Add(time.Hour))
	s.on("POST /v1.0/oauth2/tokens", func(w http.ResponseWriter, r *http.Request) {
		reqs := s.requests("POST /v1.0/oauth2/tokens")
		if reqs[len(reqs)-1].Body["ApiEndpoint"] == nil {
			apiError(400, "The ApiEndpoint field is required.")(w, r)
			return
		}
		issue(w, r)
	})
	s.on("POST /v1.0/message/routes", reply(200, map[string]any{"MessageRouteId": "MRID-1"}))
	s.on("GET /v1.0/numbers/order", reply(200, map[string]any{}))
	c, _ := newStubClient(t, s)
	ctx := context.Background()
	if _, err := c.CreateMessageRoute(ctx, routeReq); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetOrder(ctx, "o"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetOrder(ctx, "o"); err != nil {
		t.Fatal(err)
	}
	var endpoints []any
	for _, r := range s.requests("POST /v1.0/oauth2/tokens") {
		endpoints = append(endpoints, r.Body["ApiEndpoint"])
	}
	want := []any{nil, s.srv.URL + "/v1.0/message/routes", s.srv.URL + "/v1.0/numbers/order"}
	if len(endpoints) != len(want) {
		t.Fatalf("token requests for %v, want %v", endpoints, want)
	}
	for i := range want {
		if endpoints[i] != want[i] {
			t.Errorf("token request %d ApiEndpoint = %v, want %v", i, endpoints[i], want[i])
		}
	}
	routeAuth := s.requests("POST /v1.0/message/routes")[0].Auth
	orderAuth := s.requests("GET /v1.0/numbers/order")
	if routeAuth != "Bearer tok-1" || orderAuth[0].Auth != "Bearer tok-2" || orderAuth[1].Auth != "Bearer tok-2" {
		t.Errorf("tokens not used per endpoint: route %q, orders %q %q", routeAuth, orderAuth[0].Auth, orderAuth[1].Auth)
	}
}

func TestForbiddenAccountTokenFallsBackToAScopedOne(t *testing.T) {
	s := newStub(t)
	s.on("POST /v1.0/numbers/provision",
		apiError(403, "Forbidden: your token does not have permission to access this resource. Check the ApiEndpoint scope."),
		reply(200, map[string]any{"OrderId": "JNUOID-1", "PhoneNumberAssigned": "+18015550100"}))
	s.on("GET /v1.0/numbers/order", reply(200, map[string]any{}))
	c, _ := newStubClient(t, s)
	ctx := context.Background()
	got, err := c.ProvisionNumber(ctx, ProvisionRequest{NumberType: "mvno", MessageType: "p2p", ProductType: "Sms-Only"})
	if err != nil {
		t.Fatal(err)
	}
	if got.OrderId != "JNUOID-1" {
		t.Errorf("OrderId = %q", got.OrderId)
	}
	tokens := s.requests("POST /v1.0/oauth2/tokens")
	if len(tokens) != 2 || tokens[1].Body["ApiEndpoint"] != s.srv.URL+"/v1.0/numbers/provision" {
		t.Fatalf("want a second, scoped token request; got %+v", tokens)
	}
	// Other endpoints keep using the account-wide token.
	if _, err := c.GetOrder(ctx, "JNUOID-1"); err != nil {
		t.Fatal(err)
	}
	if auth := s.requests("GET /v1.0/numbers/order")[0].Auth; auth != "Bearer tok-1" {
		t.Errorf("order used %q, want the account-wide tok-1", auth)
	}
}

func TestParseTokenExpiry(t *testing.T) {
	for in, want := range map[string]time.Time{
		"05/02/2025 06:36:13 PM": time.Date(2025, 5, 2, 18, 36, 13, 0, time.UTC),
		"5/2/2025 6:36:13 AM":    time.Date(2025, 5, 2, 6, 36, 13, 0, time.UTC),
		"2025-05-02T18:36:13Z":   time.Date(2025, 5, 2, 18, 36, 13, 0, time.UTC),
		"soon":                   {},
	} {
		if got := parseTokenExpiry(in); !got.Equal(want) {
			t.Errorf("parseTokenExpiry(%q) = %v, want %v", in, got, want)
		}
	}
}

// The official example's expiry ("05/02/2025 06:36:13 PM") is long past:
// the token must still be used, not replaced before every request.
func TestTokenExpiredOnArrivalIsUsedUntilA401(t *testing.T) {
	for name, expiry := range map[string]string{
		"official example": "05/02/2025 06:36:13 PM",
		"unparseable":      "tomorrow-ish",
		"empty":            "",
	} {
		t.Run(name, func(t *testing.T) {
			s := newStub(t)
			n := 0
			s.on("POST /v1.0/oauth2/tokens", func(w http.ResponseWriter, r *http.Request) {
				s.mu.Lock()
				n++
				tok := fmt.Sprintf("tok-%d", n)
				s.mu.Unlock()
				writeJSON(w, 200, map[string]any{"token": tok, "successful": true, "tokenExpiry": expiry})
			})
			s.on("GET /v1.0/numbers/order", reply(200, map[string]any{"OrderStatus": "Pending"}))
			c, _ := newStubClient(t, s)
			for range 10 {
				if _, err := c.GetOrder(context.Background(), "JNUOID-1"); err != nil {
					t.Fatal(err)
				}
			}
			if got := len(s.requests("POST /v1.0/oauth2/tokens")); got < 1 || got > 2 {
				t.Errorf("10 calls cost %d token requests, want 1 or 2", got)
			}
			// A 401 still renews it, once.
			s.on("GET /v1.0/numbers/order", apiError(401, "Unauthorized: Bearer token is missing, expired, or invalid."),
				reply(200, map[string]any{"OrderStatus": "Pending"}))
			before := len(s.requests("POST /v1.0/oauth2/tokens"))
			if _, err := c.GetOrder(context.Background(), "JNUOID-1"); err != nil {
				t.Fatal(err)
			}
			if got := len(s.requests("POST /v1.0/oauth2/tokens")) - before; got != 1 {
				t.Errorf("a 401 cost %d token requests, want 1", got)
			}
		})
	}
}

// The lifetime is measured on the server's clock: a server whose clock is
// two hours behind ours (or that writes its expiry in another zone) gives a
// token that is fresh for an hour, not expired on arrival; and it is renewed
// once that hour is over by our clock.
func TestTokenLifetimeIsMeasuredOnTheServersClock(t *testing.T) {
	s := newStub(t)
	var mu sync.Mutex
	ours := time.Date(2026, 5, 2, 18, 0, 0, 0, time.UTC)
	skew := -2 * time.Hour
	ourClock := func() time.Time { mu.Lock(); defer mu.Unlock(); return ours }
	serverClock := func() time.Time { return ourClock().Add(skew) }
	s.clock = serverClock
	n := 0
	s.on("POST /v1.0/oauth2/tokens", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		n++
		tok := fmt.Sprintf("tok-%d", n)
		s.mu.Unlock()
		writeJSON(w, 200, map[string]any{"token": tok, "successful": true,
			"tokenExpiry": serverClock().Add(time.Hour).Format("01/02/2006 03:04:05 PM")})
	})
	s.on("GET /v1.0/numbers/order", reply(200, map[string]any{}))
	c, _ := newStubClient(t, s)
	c.now = ourClock
	ctx := context.Background()
	for range 5 {
		if _, err := c.GetOrder(ctx, "a"); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(s.requests("POST /v1.0/oauth2/tokens")); got != 1 {
		t.Fatalf("%d token requests for 5 calls within the token's hour, want 1", got)
	}
	mu.Lock()
	ours = ours.Add(61 * time.Minute)
	mu.Unlock()
	if _, err := c.GetOrder(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	orders := s.requests("GET /v1.0/numbers/order")
	if last := orders[len(orders)-1].Auth; last != "Bearer tok-2" {
		t.Errorf("after the hour the client sent %q, want the renewed Bearer tok-2", last)
	}
}
