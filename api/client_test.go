package api

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

var routeReq = MessageRouteRequest{RouteName: "r", MessageUrl: "https://example.com/hook", MessageUrlMethod: "POST",
	MessageAuthenticationType: AuthBasic, MessageUsername: "u", MessagePasswordToken: "hook-password"}

func TestLookupsRetryDocumentedStatusesWithDoublingBackoff(t *testing.T) {
	for _, status := range []int{408, 429, 500, 502, 503, 504} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			s := newStub(t)
			s.on("GET /v1.0/numbers/order", apiError(status, "later"), apiError(status, "later"),
				reply(200, map[string]any{"OrderId": "JNUOID-1"}))
			c, sleeps := newStubClient(t, s)
			got, err := c.GetOrder(context.Background(), "JNUOID-1")
			if err != nil {
				t.Fatalf("want success after retries, got %v", err)
			}
			if got.OrderId != "JNUOID-1" {
				t.Errorf("OrderId = %q", got.OrderId)
			}
			if n := len(s.requests("GET /v1.0/numbers/order")); n != 3 {
				t.Errorf("sent %d times, want 3", n)
			}
			if want := []time.Duration{time.Second, 2 * time.Second}; !slices.Equal(sleeps.got(), want) {
				t.Errorf("waits = %v, want %v", sleeps.got(), want)
			}
		})
	}
}

// A create is retried only on the statuses that say it was not acted on.
func TestCreatesRetryOnlyWhenTheServerDidNotAct(t *testing.T) {
	for _, status := range []int{408, 429, 503} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			s := newStub(t)
			s.on("POST /v1.0/message/routes", apiError(status, "later"), apiError(status, "later"),
				reply(200, map[string]any{"MessageRouteId": "MRID-1"}))
			c, sleeps := newStubClient(t, s)
			got, err := c.CreateMessageRoute(context.Background(), routeReq)
			if err != nil {
				t.Fatalf("want success after retries, got %v", err)
			}
			if got.MessageRouteId != "MRID-1" {
				t.Errorf("MessageRouteId = %q", got.MessageRouteId)
			}
			if n := len(s.requests("POST /v1.0/message/routes")); n != 3 {
				t.Errorf("sent %d times, want 3", n)
			}
			if want := []time.Duration{time.Second, 2 * time.Second}; !slices.Equal(sleeps.got(), want) {
				t.Errorf("waits = %v, want %v", sleeps.got(), want)
			}
		})
	}
}

// A 500, 502 or 504 to a create may come after it was carried out: the
// client must not send it again, and says the outcome is unknown.
func TestServerErrorToACreateIsUnknownOutcomeNotRetried(t *testing.T) {
	creates := map[string]func(*Client) error{
		"POST /v1.0/message/routes": func(c *Client) error { _, err := c.CreateMessageRoute(context.Background(), routeReq); return err },
		"POST /v1.0/voice/routes": func(c *Client) error {
			_, err := c.CreateVoiceRoute(context.Background(), VoiceRouteRequest{RouteName: "v", RouteType: "Trunk"})
			return err
		},
		"POST /v1.0/subscribers/create": func(c *Client) error {
			_, err := c.CreateSubscriber(context.Background(), SubscriberRequest{Name: "n", Email: "a@b.co"})
			return err
		},
		"POST /v1.0/numbers/provision": func(c *Client) error {
			_, err := c.ProvisionNumber(context.Background(), ProvisionRequest{NumberType: "mvno"})
			return err
		},
		"POST /v1.0/message/outbound": func(c *Client) error {
			_, err := c.SendMessage(context.Background(), OutboundMessageRequest{Body: "x"})
			return err
		},
		"POST /v1.0/numbers/status": func(c *Client) error {
			_, err := c.ChangeNumberStatus(context.Background(), NumberStatusRequest{StatusChange: StatusChangeCancel})
			return err
		},
	}
	for route, create := range creates {
		for _, status := range []int{500, 502, 504} {
			t.Run(fmt.Sprintf("%s %d", route, status), func(t *testing.T) {
				s := newStub(t)
				s.on(route, apiError(status, "upstream trouble"), reply(200, map[string]any{}))
				c, sleeps := newStubClient(t, s)
				err := create(c)
				if !errors.Is(err, ErrOutcomeUnknown) {
					t.Fatalf("want ErrOutcomeUnknown, got %v", err)
				}
				var e *Error
				if errors.As(err, &e); e.Status != status || e.Remedy != RemedyOutcomeUnknownStatus || !strings.Contains(e.Message, "upstream trouble") {
					t.Errorf("error %+v: want the status, the server's message and the unknown-outcome remedy", e)
				}
				if n := len(s.requests(route)); n != 1 {
					t.Errorf("sent %d times, want exactly 1", n)
				}
				if len(sleeps.got()) != 0 {
					t.Errorf("waited %v: nothing should be retried", sleeps.got())
				}
			})
		}
	}
}

// Searches and deletes create nothing: they keep the retries.
func TestSearchAndDeleteRetryServerErrors(t *testing.T) {
	s := newStub(t)
	s.on("POST /v1.0/numbers/availability", apiError(504, "later"), reply(200, map[string]any{"ResultsTotal": 1}))
	s.on("POST /v1.0/message/routes/delete", apiError(500, "later"), reply(200, map[string]any{"MessageRouteStatus": "Deleted"}))
	c, _ := newStubClient(t, s)
	if _, err := c.SearchAvailability(context.Background(), AvailabilityRequest{NumberType: "mobile"}); err != nil {
		t.Errorf("search: %v", err)
	}
	if _, err := c.DeleteMessageRoute(context.Background(), "MRID-1"); err != nil {
		t.Errorf("delete: %v", err)
	}
}

func TestNeverRetriesClientErrors(t *testing.T) {
	for _, status := range []int{400, 403, 404, 405, 409, 422} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			s := newStub(t)
			s.on("POST /v1.0/message/routes", apiError(status, "no"))
			c, sleeps := newStubClient(t, s)
			_, err := c.CreateMessageRoute(context.Background(), routeReq)
			var e *Error
			if !errors.As(err, &e) || e.Status != status {
				t.Fatalf("want *Error with status %d, got %v", status, err)
			}
			// 403 is tried once more with a token scoped to the endpoint;
			// that is a different request, not a retry of the same one.
			want := 1
			if status == 403 {
				want = 2
			}
			if n := len(s.requests("POST /v1.0/message/routes")); n != want {
				t.Errorf("sent %d times, want %d", n, want)
			}
			if len(sleeps.got()) != 0 {
				t.Errorf("waited %v before giving up; client errors must not be retried", sleeps.got())
			}
		})
	}
}

func TestGivesUpAfterBoundedTriesWithCappedBackoff(t *testing.T) {
	s := newStub(t)
	s.on("GET /v1.0/numbers/order", apiError(503, "Service unavailable: the API is temporarily unavailable."))
	c, sleeps := newStubClient(t, s, WithRetry(8, time.Second, 30*time.Second))
	_, err := c.GetOrder(context.Background(), "JNUOID-1")
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindServer || e.Remedy != RemedyServer {
		t.Fatalf("want a server error with its remedy, got %#v", err)
	}
	if n := len(s.requests("GET /v1.0/numbers/order")); n != 8 {
		t.Errorf("tried %d times, want 8", n)
	}
	want := []time.Duration{1, 2, 4, 8, 16, 30, 30}
	for i := range want {
		want[i] *= time.Second
	}
	if !slices.Equal(sleeps.got(), want) {
		t.Errorf("waits = %v, want %v", sleeps.got(), want)
	}
}

func TestHonoursRetryAfter(t *testing.T) {
	s := newStub(t)
	s.on("POST /v1.0/numbers/availability",
		func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "7")
			apiError(429, "Too many requests: rate limit exceeded.")(w, r)
		},
		reply(200, map[string]any{"ResultsTotal": 3}))
	c, sleeps := newStubClient(t, s)
	got, err := c.SearchAvailability(context.Background(), AvailabilityRequest{NumberType: "mobile"})
	if err != nil {
		t.Fatal(err)
	}
	if got.ResultsTotal != 3 {
		t.Errorf("ResultsTotal = %d", got.ResultsTotal)
	}
	if want := []time.Duration{7 * time.Second}; !slices.Equal(sleeps.got(), want) {
		t.Errorf("waits = %v, want %v", sleeps.got(), want)
	}
}

func TestRateLimitErrorAfterRetriesCarriesRemedyAndRetryAfter(t *testing.T) {
	s := newStub(t)
	s.on("POST /v1.0/message/outbound", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3")
		apiError(429, "Too many requests")(w, r)
	})
	c, _ := newStubClient(t, s, WithRetry(2, time.Second, 30*time.Second))
	_, err := c.SendMessage(context.Background(), OutboundMessageRequest{From: "+18015550100", Body: "x", To: []Recipient{{Number: "+18015550101"}}})
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindRateLimit || e.Remedy != RemedyRateLimit || e.RetryAfter != 3*time.Second {
		t.Fatalf("got %#v", err)
	}
}

func TestLostAnswerToACreateIsNeverRepeated(t *testing.T) {
	s := newStub(t)
	s.on("POST /v1.0/subscribers/create", hangUp)
	c, sleeps := newStubClient(t, s)
	_, err := c.CreateSubscriber(context.Background(), SubscriberRequest{Name: "n", Email: "a@b.co", Role: "Subscriber", Password: "12345678", AccountId: "AID-1"})
	if !errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("want ErrOutcomeUnknown, got %v", err)
	}
	var e *Error
	errors.As(err, &e)
	if e.Remedy != RemedyOutcomeUnknown || !strings.Contains(e.Error(), "may have been carried out") {
		t.Errorf("message %q / remedy %q do not tell the user the outcome is unknown", e.Error(), e.Remedy)
	}
	if n := len(s.requests("POST /v1.0/subscribers/create")); n != 1 {
		t.Errorf("create sent %d times, want exactly 1", n)
	}
	if len(sleeps.got()) != 0 {
		t.Errorf("waited %v: nothing should be retried", sleeps.got())
	}
}

func TestLostAnswerToALookupIsRetried(t *testing.T) {
	s := newStub(t)
	s.on("GET /v1.0/numbers/order", hangUp, reply(200, map[string]any{"OrderId": "JNUOID-1", "OrderStatus": "Complete"}))
	c, _ := newStubClient(t, s)
	got, err := c.GetOrder(context.Background(), "JNUOID-1")
	if err != nil {
		t.Fatal(err)
	}
	if OrderState(got.OrderStatus) != OrderSucceeded {
		t.Errorf("status %q", got.OrderStatus)
	}
}

func TestTimeoutAfterSendingIsUnknownOutcome(t *testing.T) {
	s := newStub(t)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	s.on("POST /v1.0/numbers/provision", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	c, _ := newStubClient(t, s, WithTimeout(100*time.Millisecond))
	_, err := c.ProvisionNumber(context.Background(), ProvisionRequest{NumberType: "mvno", MessageType: "p2p", ProductType: "sms-only"})
	if !errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("want ErrOutcomeUnknown after a timeout, got %v", err)
	}
	if n := len(s.requests("POST /v1.0/numbers/provision")); n != 1 {
		t.Errorf("provision sent %d times, want 1", n)
	}
}

func TestUnreachableServerIsANetworkErrorAfterRetries(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now: connections are refused before anything is sent
	c, err := New("http://"+addr, Credentials{AccountKey: "k", AccountSecret: "secret"}, WithRateLimit(1<<20), WithRetry(3, time.Second, 30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeSleeps{}
	c.sleep = f.sleep
	_, err = c.CreateMessageRoute(context.Background(), routeReq)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindNetwork || e.Remedy != RemedyNetwork {
		t.Fatalf("want a network error, got %#v", err)
	}
	if errors.Is(err, ErrOutcomeUnknown) {
		t.Error("a refused connection sent nothing: the outcome is known")
	}
	if len(f.got()) != 2 {
		t.Errorf("waits %v, want 2 (3 tries)", f.got())
	}
}

func TestCancelledContextStopsAtOnce(t *testing.T) {
	s := newStub(t)
	entered := make(chan struct{})
	s.on("GET /v1.0/subscribers/get", func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-r.Context().Done()
	})
	c, _ := newStubClient(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-entered; cancel() }()
	_, err := c.GetSubscriber(ctx, "TSUID-1")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
}

func TestBaseURLRules(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"", DefaultBaseURL, true},
		{"https://api.telegent.com/v1.0/", "https://api.telegent.com/v1.0", true},
		{"https://api.telegent.com", "https://api.telegent.com/v1.0", true},
		{"http://127.0.0.1:8089/v1.0", "http://127.0.0.1:8089/v1.0", true},
		{"http://127.9.9.9:1/v1.0", "http://127.9.9.9:1/v1.0", true},
		{"http://localhost:8089", "http://localhost:8089/v1.0", true},
		{"http://[::1]:8089/v1.0", "http://[::1]:8089/v1.0", true},
		{"http://api.telegent.com/v1.0", "", false},
		{"http://10.0.0.1/v1.0", "", false},
		{"ftp://api.telegent.com", "", false},
		{"api.telegent.com", "", false},
		{"https://user:pw@api.telegent.com", "", false},
	} {
		u, err := ParseBaseURL(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("ParseBaseURL(%q) error = %v, want ok=%v", tc.in, err, tc.ok)
			continue
		}
		if tc.ok && u.String() != tc.want {
			t.Errorf("ParseBaseURL(%q) = %q, want %q", tc.in, u, tc.want)
		}
	}
}

func TestRefusesClientsThatSkipTLSVerification(t *testing.T) {
	insecure := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	if _, err := New("", Credentials{}, WithHTTPClient(insecure)); err == nil {
		t.Fatal("an HTTP client that skips certificate checks was accepted")
	}
	if _, err := New("", Credentials{}, WithHTTPClient(&http.Client{})); err != nil {
		t.Fatalf("a plain client was refused: %v", err)
	}
}

func TestUserAgentNamesTheProgramVersion(t *testing.T) {
	old := Version
	Version = "1.2.3"
	t.Cleanup(func() { Version = old })
	s := newStub(t)
	var ua string
	s.on("GET /v1.0/numbers/order", func(w http.ResponseWriter, r *http.Request) {
		ua = r.Header.Get("User-Agent")
		reply(200, map[string]any{})(w, r)
	})
	c, _ := newStubClient(t, s)
	if _, err := c.GetOrder(context.Background(), "x"); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ua, "telegent-onboard/1.2.3 ") {
		t.Errorf("User-Agent = %q", ua)
	}
}

func TestTraceRedactsEverySecret(t *testing.T) {
	s := newStub(t)
	s.on("POST /v1.0/message/routes", reply(200, map[string]any{"MessageRouteId": "MRID-1",
		"MessagePasswordToken": "hook-password", "CallbackMessagePasswordToken": "cb-password"}))
	s.on("POST /v1.0/subscribers/create", reply(200, map[string]any{"SubscriberId": "TSUID-1"}))
	var trace bytes.Buffer
	c, _ := newStubClient(t, s, WithTrace(&trace))
	ctx := context.Background()
	req := routeReq
	req.CallbackMessagePasswordToken = "cb-password"
	if _, err := c.CreateMessageRoute(ctx, req); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateSubscriber(ctx, SubscriberRequest{Name: "n", Email: "a@b.co", Role: "Subscriber", Password: "subscriber-pw", AccountId: "AID"}); err != nil {
		t.Fatal(err)
	}
	out := trace.String()
	for _, secret := range []string{"s3cret-value", "tok-1", "hook-password", "cb-password", "subscriber-pw"} {
		if strings.Contains(out, secret) {
			t.Errorf("trace shows secret %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{"--> POST " + s.srv.URL + "/v1.0/oauth2/tokens", `"AccountKey": "key-1"`, `"AccountSecret": "[REDACTED]"`,
		`"token": "[REDACTED]"`, `"MessageRouteId": "MRID-1"`, "<-- 200"} {
		if !strings.Contains(out, want) {
			t.Errorf("trace lacks %q:\n%s", want, out)
		}
	}
}

func TestRedactJSONKeepsStructureAndHidesValuesAnywhere(t *testing.T) {
	in := []byte(`{"a":{"VoicePasswordToken":"v"},"list":[{"Password":"p"}],"note":"the token is abcd1234 here","AccountKey":"k"}`)
	got := string(RedactJSON(in, "abcd1234"))
	for _, bad := range []string{`"v"`, `"p"`, "abcd1234"} {
		if strings.Contains(got, bad) {
			t.Errorf("%s still in %s", bad, got)
		}
	}
	if !strings.Contains(got, `"AccountKey":"k"`) {
		t.Errorf("non-secret lost: %s", got)
	}
	if string(RedactJSON([]byte("plain abcd1234 text"), "abcd1234")) != "plain [REDACTED] text" {
		t.Error("non-JSON body not redacted")
	}
}

// No 60-second window may hold more than the tier's requests, whatever the
// arrival pattern: a greedy caller takes every token the limiter grants.
func TestLimiterNeverExceedsThePerMinuteBudget(t *testing.T) {
	for _, perMinute := range []int{1, 5, 50, 300} {
		lim := newLimiter(perMinute)
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		var granted []time.Time
		for ms := 0; ms < 5*60*1000; ms += 50 {
			now := start.Add(time.Duration(ms) * time.Millisecond)
			for lim.AllowN(now, 1) {
				granted = append(granted, now)
			}
		}
		lo := 0
		for hi := range granted {
			for granted[hi].Sub(granted[lo]) >= time.Minute {
				lo++
			}
			if n := hi - lo + 1; n > perMinute {
				t.Fatalf("perMinute=%d: %d requests within one minute ending %v", perMinute, n, granted[hi].Sub(start))
			}
		}
		// And the budget is used: over five minutes, close to 5×perMinute.
		if min := 4 * perMinute; len(granted) < min {
			t.Errorf("perMinute=%d: only %d granted in 5 minutes", perMinute, len(granted))
		}
	}
}

func TestDefaultClientIsPacedAtFiftyAMinute(t *testing.T) {
	c, err := New("", Credentials{})
	if err != nil {
		t.Fatal(err)
	}
	burst, refill := c.limiter.Burst(), float64(c.limiter.Limit())*60
	if burst+int(refill+0.5) != DefaultRateLimit {
		t.Errorf("burst %d + refill %.1f/min != %d", burst, refill, DefaultRateLimit)
	}
}

// numbers/status requires EffectiveDate (MM/DD/YYYY): left empty, the
// client sends today in UTC, so a cancel takes effect at once.
func TestStatusChangeAlwaysSendsEffectiveDate(t *testing.T) {
	s := newStub(t)
	s.on("POST /v1.0/numbers/status", reply(200, map[string]any{"OrderId": "JNUOID-1", "OrderStatus": "Complete"}))
	c, _ := newStubClient(t, s)
	// 23:30 in New York is already the next day in UTC.
	ny := time.FixedZone("EST", -5*3600)
	c.now = func() time.Time { return time.Date(2026, 5, 31, 23, 30, 0, 0, ny) }
	if _, err := c.ChangeNumberStatus(context.Background(), NumberStatusRequest{StatusChange: StatusChangeCancel,
		PhoneNumbers: []PhoneNumberRef{{Number: "+12015550100"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ChangeNumberStatus(context.Background(), NumberStatusRequest{StatusChange: StatusChangeActivate,
		EffectiveDate: "07/01/2026", PhoneNumbers: []PhoneNumberRef{{Number: "+12015550100"}}}); err != nil {
		t.Fatal(err)
	}
	reqs := s.requests("POST /v1.0/numbers/status")
	if got := reqs[0].Body["EffectiveDate"]; got != "06/01/2026" {
		t.Errorf("cancel sent EffectiveDate %v, want today in UTC, 06/01/2026", got)
	}
	if got := reqs[1].Body["EffectiveDate"]; got != "07/01/2026" {
		t.Errorf("a given EffectiveDate was replaced: %v", got)
	}
}

// ctrl+c during the availability search cancels it; it created nothing, so
// the outcome is known (before, it said "you may create it twice").
func TestCancelledSearchIsNotAnUnknownOutcome(t *testing.T) {
	s := newStub(t)
	entered := make(chan struct{})
	s.on("POST /v1.0/numbers/availability", func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-r.Context().Done()
	})
	c, _ := newStubClient(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-entered; cancel() }()
	_, err := c.SearchAvailability(ctx, AvailabilityRequest{NumberType: "mobile"})
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("want a plain cancellation, got %v", err)
	}
}
