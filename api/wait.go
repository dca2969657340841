package api

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// WaitReason says why the client holds a request back.
type WaitReason int

const (
	// WaitRateLimit: the client's own pacing under the account's limit
	// (PerMinute requests a minute).
	WaitRateLimit WaitReason = iota + 1
	// WaitRetryAfter: the server answered Status with a Retry-After.
	WaitRetryAfter
	// WaitBackoff: a retry after Status (0: no answer came), backing off.
	WaitBackoff
)

// Wait is a pause before a request is sent: why, and until when. A program
// shows it so that a person watching a spinner knows why nothing moves.
type Wait struct {
	Reason    WaitReason
	Operation string    // "create message route"
	Until     time.Time // by the client's clock
	PerMinute int       // WaitRateLimit: the pace
	Status    int       // WaitRetryAfter, WaitBackoff: the answer retried (0: none came)
	Attempt   int       // the attempt about to be made, from 2
	Attempts  int       // of this many in all
}

// WithWaitObserver calls fn whenever the client is about to wait before a
// request: for the rate limit, a Retry-After, or a backoff. fn runs on the
// caller's goroutine and must not block.
func WithWaitObserver(fn func(Wait)) Option {
	return func(c *Client) error {
		c.waitObservers = append(c.waitObservers, fn)
		return nil
	}
}

func (c *Client) noteWait(w Wait) {
	for _, fn := range c.waitObservers {
		fn(w)
	}
}

// pace holds a request back under the rate limit, saying so when it must
// wait. A reservation, not limiter.Wait, so the wait is known before it
// starts; cancelled, the reservation is given back.
func (c *Client) pace(ctx context.Context, op string) error {
	r := c.limiter.Reserve()
	if !r.OK() {
		return c.limiter.Wait(ctx) // a burst of zero: let the limiter say why
	}
	d := r.Delay()
	if d <= 0 {
		return nil
	}
	c.noteWait(Wait{Reason: WaitRateLimit, Operation: op, Until: c.now().Add(d), PerMinute: c.perMinute})
	if err := sleepCtx(ctx, d); err != nil {
		r.Cancel()
		return err
	}
	return nil
}

// Describe says why the client waits, with the seconds left, as the
// wizard's spinner line and a headless run's stderr show it.
func (w Wait) Describe(left int) string {
	switch w.Reason {
	case WaitRateLimit:
		per := fmt.Sprintf("%d requests", w.PerMinute)
		if w.PerMinute == 1 {
			per = "1 request"
		}
		return fmt.Sprintf("Waiting %d s for Telegent's rate limit (%s a minute)", left, per)
	case WaitRetryAfter:
		return fmt.Sprintf("Waiting %d s: Telegent answered %d %s and asked to retry later (attempt %d of %d next)",
			left, w.Status, http.StatusText(w.Status), w.Attempt, w.Attempts)
	}
	if w.Status == 0 {
		return fmt.Sprintf("Waiting %d s: no answer from Telegent, trying again (attempt %d of %d next)", left, w.Attempt, w.Attempts)
	}
	return fmt.Sprintf("Waiting %d s: Telegent answered %d %s, trying again (attempt %d of %d next)",
		left, w.Status, http.StatusText(w.Status), w.Attempt, w.Attempts)
}
