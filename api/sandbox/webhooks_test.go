package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// webhookEnv has a route whose receipts go to callbackURL, and a number on
// it that can send at once.
func webhookEnv(t *testing.T, route map[string]any, opts Options) (*env, string) {
	t.Helper()
	opts.RateLimit = -1
	if opts.DeliveryDelay == 0 {
		opts.DeliveryDelay = time.Millisecond
	}
	e := newEnv(t, opts).login()
	mrid := e.must("POST", "/v1.0/message/routes", route)["MessageRouteId"].(string)
	num := e.must("POST", "/v1.0/numbers/provision", provisionBody(mrid, "801"))["PhoneNumberAssigned"].(string)
	return e, num
}

func send(e *env, from string, to ...string) string {
	e.t.Helper()
	var list []any
	for _, n := range to {
		list = append(list, map[string]any{"Number": n})
	}
	return e.must("POST", "/v1.0/message/outbound", map[string]any{"From": from, "Body": "hi", "To": list})["MessageId"].(string)
}

// attempts returns the recorded webhook attempts of one message.
func attempts(e *env, id string) []WebhookAttempt {
	var out []WebhookAttempt
	for _, a := range e.s.Resources().WebhookAttempts {
		if a.MessageId == id {
			out = append(out, a)
		}
	}
	return out
}

func TestDeliveryReceipts(t *testing.T) {
	for _, tc := range []struct {
		name, method, auth string
		check              func(*http.Request) bool
	}{
		{"POST with Basic", "POST", "Basic", func(r *http.Request) bool {
			u, p, ok := r.BasicAuth()
			return ok && u == "hook" && p == "s3cret"
		}},
		{"GET with Bearer", "GET", "Bearer", func(r *http.Request) bool {
			return r.Header.Get("Authorization") == "Bearer s3cret"
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := make(chan receipt, 10)
			recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != tc.method || !tc.check(r) {
					t.Errorf("receipt arrived as %s with Authorization %q", r.Method, r.Header.Get("Authorization"))
					w.WriteHeader(http.StatusUnauthorized)
					return
				}
				var rc receipt
				if r.Method == "GET" {
					qv := r.URL.Query()
					rc = receipt{Type: qv.Get("Type"), MessageId: qv.Get("MessageId"), To: qv.Get("To"),
						From: qv.Get("From"), Status: qv.Get("Status"), Timestamp: qv.Get("Timestamp")}
				} else if err := json.NewDecoder(r.Body).Decode(&rc); err != nil {
					t.Errorf("receipt body: %v", err)
				}
				got <- rc
			}))
			defer recv.Close()
			route := with(obj(t, qsMessageRoute), "CallbackMessageUrl", recv.URL+"/dlr", "CallbackMessageUrlMethod", tc.method,
				"CallbackMessageAuthenticationType", tc.auth, "CallbackMessageUsername", "hook", "CallbackMessagePasswordToken", "s3cret")
			e, num := webhookEnv(t, route, Options{})
			id := send(e, num, "+18015737111")

			select {
			case rc := <-got:
				if rc.Type != "DeliveryReport" || rc.MessageId != id || rc.To != "+18015737111" || rc.From != num || rc.Status != "Delivered" {
					t.Errorf("receipt = %+v", rc)
				}
				if _, err := time.Parse(time.RFC3339, rc.Timestamp); err != nil {
					t.Errorf("Timestamp: %v", err)
				}
			case <-time.After(15 * time.Second):
				t.Fatal("no receipt arrived")
			}
			eventually(t, "the attempt to be recorded", func() bool { return len(attempts(e, id)) == 1 })
			a := attempts(e, id)[0]
			if a.Outcome != "delivered" || a.StatusCode != 200 || a.Attempt != 1 || a.Method != tc.method || a.URL != recv.URL+"/dlr" || a.Recipient != "+18015737111" {
				t.Errorf("attempt = %+v", a)
			}
			det := e.must("GET", "/v1.0/message/details?MessageId="+id, nil)
			if det["Status"] != "Delivered" {
				t.Errorf("message after delivery = %v", det)
			}
		})
	}
}

func TestDeliveryReceiptRetries(t *testing.T) {
	var calls atomic.Int32
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	defer recv.Close()
	route := with(obj(t, qsMessageRoute), "CallbackMessageUrl", recv.URL, "CallbackMessageAuthenticationType", "None")
	e, num := webhookEnv(t, route, Options{})
	id := send(e, num, "+18015737111")
	eventually(t, "three attempts", func() bool { return len(attempts(e, id)) == 3 })
	for i, a := range attempts(e, id) {
		want, code := "failed", 500
		if i == 2 {
			want, code = "delivered", 200
		}
		if a.Attempt != i+1 || a.Outcome != want || a.StatusCode != code {
			t.Errorf("attempt %d = %+v, want outcome %s status %d", i+1, a, want, code)
		}
	}
}

func TestDeliveryReceiptGivesUpAfterFourAttempts(t *testing.T) {
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer recv.Close()
	route := with(obj(t, qsMessageRoute), "CallbackMessageUrl", recv.URL, "CallbackMessageAuthenticationType", "None")
	e, num := webhookEnv(t, route, Options{})
	id := send(e, num, "+18015737111")
	eventually(t, "four attempts", func() bool { return len(attempts(e, id)) == 4 })
	e.s.Close() // waits for the delivery goroutine, so a fifth attempt would be recorded by now
	if got := attempts(e, id); len(got) != 4 || got[3].Outcome != "failed" {
		t.Errorf("attempts = %+v", got)
	}
}

func TestDeliveryReceiptToTheInternetIsSkipped(t *testing.T) {
	e, num := webhookEnv(t, obj(t, qsMessageRoute), Options{}) // CallbackMessageUrl https://apiendpoint.com
	id := send(e, num, "+18015737111", "+18014271919")
	eventually(t, "the skips to be recorded", func() bool { return len(attempts(e, id)) == 2 })
	for _, a := range attempts(e, id) {
		if a.Outcome != "skipped" || a.Attempt != 0 || a.URL != "https://apiendpoint.com" || a.Error == "" {
			t.Errorf("attempt = %+v", a)
		}
	}
	res := e.resources()
	kinds := map[string]int{}
	for _, a := range res["WebhookAttempts"] {
		kinds[a["Kind"].(string)]++
		if a["Outcome"] != "skipped" {
			t.Errorf("a call to the internet was made: %v", a)
		}
	}
	if kinds["delivery-report"] != 2 || kinds["inbound"] != 1 || len(res["WebhookAttempts"]) != 3 {
		t.Errorf("resources show webhook attempts %v, want 2 receipts and 1 reply, all skipped", kinds)
	}
	for _, to := range res["Messages"][0]["To"].([]any) {
		if to.(map[string]any)["Status"] != "Delivered" {
			t.Errorf("recipient %v not delivered", to)
		}
	}
}

func TestCloseStopsPendingDeliveries(t *testing.T) {
	var mu sync.Mutex
	called := false
	recv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		mu.Lock()
		called = true
		mu.Unlock()
	}))
	defer recv.Close()
	route := with(obj(t, qsMessageRoute), "CallbackMessageUrl", recv.URL)
	e, num := webhookEnv(t, route, Options{DeliveryDelay: time.Hour})
	id := send(e, num, "+18015737111")
	done := make(chan struct{})
	go func() { e.s.Close(); e.s.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("Close did not return while a delivery was pending")
	}
	mu.Lock()
	defer mu.Unlock()
	if called || len(attempts(e, id)) != 0 {
		t.Errorf("a receipt was sent after Close")
	}
	// Still answering, but no longer scheduling deliveries.
	send(e, num, "+18015737111")
}

// After delivery the first recipient replies: an inbound message with the
// onboarding guide's fields, posted to the route's MessageUrl with its
// method and authentication.
func TestInboundReplyReachesTheMessageUrl(t *testing.T) {
	type got struct {
		user, pass string
		ok         bool
		body       map[string]any
	}
	calls := make(chan got, 4)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		calls <- got{u, p, ok, body}
	}))
	defer recv.Close()
	route := with(obj(t, qsMessageRoute), "MessageUrl", recv.URL+"/in", "MessageAuthenticationType", "Basic",
		"MessageUsername", "hook-user", "MessagePasswordToken", "hook-pass", "CallbackMessageUrl", "https://apiendpoint.com")
	e, num := webhookEnv(t, route, Options{})
	send(e, num, "+18015737111", "+18014271919")
	select {
	case c := <-calls:
		if !c.ok || c.user != "hook-user" || c.pass != "hook-pass" {
			t.Errorf("reply sent with auth %v %q/%q", c.ok, c.user, c.pass)
		}
		b := c.body
		if b["From"] != "+18015737111" || b["To"] != num || b["Owner"] != num || b["Message_Body"] == "" ||
			!strings.HasPrefix(b["Message_ID"].(string), "TMID-") || b["Segment"] != float64(1) {
			t.Errorf("reply body = %v", b)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no inbound reply arrived")
	}
	eventually(t, "the reply to be recorded", func() bool {
		for _, a := range e.resources()["WebhookAttempts"] {
			if a["Kind"] == "inbound" && a["Outcome"] == "delivered" {
				return true
			}
		}
		return false
	})
}
