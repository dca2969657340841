package api

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"
)

// waits records what the client reports before it waits.
type waits struct {
	mu  sync.Mutex
	got []Wait
	on  func(Wait)
}

func (w *waits) observe(x Wait) {
	w.mu.Lock()
	w.got = append(w.got, x)
	on := w.on
	w.mu.Unlock()
	if on != nil {
		on(x)
	}
}

func (w *waits) all() []Wait {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Wait(nil), w.got...)
}

// A Retry-After and a backoff are reported before the client sleeps, with
// the status retried, the attempt, and until when, by the client's clock.
func TestWaitObserverSeesRetryAfterAndBackoff(t *testing.T) {
	s := newStub(t)
	s.on("GET /v1.0/subscribers/get",
		func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "7")
			writeJSON(w, 429, map[string]any{"StatusCode": 429, "Message": "slow down"})
		},
		apiError(503, "busy"),
		reply(200, map[string]any{"SubscriberId": "TSUID-1"}))
	var obs waits
	c, sleeps := newStubClient(t, s, WithWaitObserver(obs.observe), WithRetry(5, 2*time.Second, 30*time.Second))
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return now }
	if _, err := c.GetSubscriber(context.Background(), "TSUID-1"); err != nil {
		t.Fatal(err)
	}
	got := obs.all()
	if len(got) != 2 {
		t.Fatalf("reported %d waits, want 2: %+v", len(got), got)
	}
	if w := got[0]; w.Reason != WaitRetryAfter || w.Status != 429 || !w.Until.Equal(now.Add(7*time.Second)) || w.Attempt != 2 || w.Attempts != 5 || w.Operation == "" {
		t.Errorf("the Retry-After wait is reported as %+v", w)
	}
	if w := got[1]; w.Reason != WaitBackoff || w.Status != 503 || !w.Until.Equal(now.Add(4*time.Second)) || w.Attempt != 3 {
		t.Errorf("the backoff is reported as %+v", w)
	}
	if s := sleeps.got(); len(s) != 2 || s[0] != 7*time.Second || s[1] != 4*time.Second {
		t.Errorf("slept %v, want what was reported", s)
	}
}

// The client's own pacing is reported before it holds a request back: the
// pace and until when. The caller may give up on it, and nothing is sent.
func TestWaitObserverSeesTheRateLimit(t *testing.T) {
	s := newStub(t)
	s.on("GET /v1.0/subscribers/get", reply(200, map[string]any{"SubscriberId": "TSUID-1"}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var obs waits
	obs.on = func(Wait) { cancel() } // give up as soon as the wait is known
	c, err := New(s.srv.URL+"/v1.0", Credentials{AccountKey: "key-1", AccountSecret: "s3cret-value"},
		WithRateLimit(1), WithWaitObserver(obs.observe))
	if err != nil {
		t.Fatal(err)
	}
	before := time.Now()
	// The token request takes the one request of the minute: the lookup
	// that follows must wait for the next.
	_, err = c.GetSubscriber(ctx, "TSUID-1")
	if !errors.Is(err, context.Canceled) && (err == nil || !contains(err.Error(), "cancel")) {
		t.Fatalf("the lookup was not held back: %v", err)
	}
	got := obs.all()
	if len(got) != 1 {
		t.Fatalf("reported %d waits, want 1: %+v", len(got), got)
	}
	if w := got[0]; w.Reason != WaitRateLimit || w.PerMinute != 1 || w.Until.Before(before.Add(30*time.Second)) {
		t.Errorf("the rate limit wait is reported as %+v (one request a minute: the next is about a minute away)", w)
	}
	if n := len(s.requests("GET /v1.0/subscribers/get")); n != 0 {
		t.Errorf("the lookup was sent %d times while it should wait", n)
	}
}
