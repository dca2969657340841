package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/telegent/telegent-onboard/api/validate"
)

// Delivery receipts. The real payload is not public (API-NOTES), so the
// sandbox posts a small, plainly named one:
//
//	{"Type":"DeliveryReport","MessageId":"TMID-…","To":"+1…","From":"+1…",
//	 "Status":"Delivered","Timestamp":"2026-01-30T12:00:00Z"}
//
// to the From number's route's CallbackMessageUrl, with the route's method
// (GET sends the same keys as query parameters) and authentication.

const maxWebhookAttempts = 4

type receipt struct {
	Type      string `json:"Type"`
	MessageId string `json:"MessageId"`
	To        string `json:"To"`
	From      string `json:"From"`
	Status    string `json:"Status"`
	Timestamp string `json:"Timestamp"`
}

type callback struct {
	url, method, auth, user, secret string
}

// scheduleDelivery starts the delivery of a message; s.mu held. Nothing
// is scheduled after Close, which keeps wg.Add from racing wg.Wait.
func (s *Server) scheduleDelivery(id string) {
	if s.closed {
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.deliver(id)
	}()
}

func (s *Server) deliver(id string) {
	if d := s.opts.DeliveryDelay; d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-s.ctx.Done():
			return
		}
	}
	now := s.now()
	s.mu.Lock()
	m := s.findMessage(id)
	if m == nil {
		s.mu.Unlock()
		return
	}
	var cb *callback
	if route := s.messageRoute(m.mrid); route != nil && route.CallbackMessageUrl != "" {
		cb = &callback{
			url: route.CallbackMessageUrl, method: route.CallbackMessageUrlMethod,
			auth: route.CallbackMessageAuthenticationType, user: route.CallbackMessageUsername,
			secret: route.CallbackMessagePasswordToken,
		}
	}
	var receipts []receipt
	for i := range m.To {
		m.To[i].Status = "Delivered"
		receipts = append(receipts, receipt{Type: "DeliveryReport", MessageId: m.MessageId, To: m.To[i].Number,
			From: m.From, Status: "Delivered", Timestamp: timestamp(now)})
	}
	m.Status = "Delivered"
	s.mu.Unlock()

	if cb == nil {
		s.logf("sandbox: %s delivered; its message route has no CallbackMessageUrl, so no receipt is sent", id)
		return
	}
	for _, rc := range receipts {
		s.sendReceipt(cb, rc)
	}
}

// sendReceipt posts one receipt, retrying a failure (network error or
// non-2xx) after 100ms, 200ms and 400ms. Only loopback hosts are called:
// a sandbox must never make requests to the internet on a user's behalf.
func (s *Server) sendReceipt(cb *callback, rc receipt) {
	method := cb.method
	if method == "" {
		method = http.MethodPost
	}
	u, err := url.Parse(cb.url)
	shown := cb.url
	if err == nil {
		shown = u.Redacted() // a password in the URL must not reach the log or /_sandbox/resources
	}
	if err != nil || !validate.IsLoopbackHost(u.Hostname()) {
		s.record(WebhookAttempt{MessageId: rc.MessageId, Recipient: rc.To, URL: shown, Method: method,
			Outcome: "skipped", Error: "not called: the sandbox only calls webhooks on loopback hosts (localhost, 127.0.0.1, ::1)"})
		return
	}
	backoff := 100 * time.Millisecond
	for attempt := 1; attempt <= maxWebhookAttempts; attempt++ {
		code, err := s.post(method, u, cb, rc)
		a := WebhookAttempt{MessageId: rc.MessageId, Recipient: rc.To, URL: shown, Method: method,
			Attempt: attempt, StatusCode: code, Outcome: "delivered"}
		switch {
		case err != nil:
			a.Outcome, a.Error = "failed", err.Error()
		case code < 200 || code > 299:
			a.Outcome, a.Error = "failed", http.StatusText(code)
		}
		s.record(a)
		if a.Outcome == "delivered" || attempt == maxWebhookAttempts {
			return
		}
		t := time.NewTimer(backoff)
		select {
		case <-t.C:
		case <-s.ctx.Done():
			t.Stop()
			return
		}
		backoff *= 2
	}
}

func (s *Server) post(method string, u *url.URL, cb *callback, rc receipt) (int, error) {
	target := *u
	var body io.Reader
	if method == http.MethodGet {
		qv := target.Query()
		for k, v := range map[string]string{"Type": rc.Type, "MessageId": rc.MessageId, "To": rc.To,
			"From": rc.From, "Status": rc.Status, "Timestamp": rc.Timestamp} {
			qv.Set(k, v)
		}
		target.RawQuery = qv.Encode()
	} else {
		b, _ := json.Marshal(rc)
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(s.ctx, method, target.String(), body)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("User-Agent", "telegent-sandbox")
	switch cb.auth {
	case "Basic":
		req.SetBasicAuth(cb.user, cb.secret)
	case "Bearer":
		req.Header.Set("Authorization", "Bearer "+cb.secret)
	}
	resp, err := s.webhook.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, nil
}

func (s *Server) record(a WebhookAttempt) {
	a.Time = s.now().UTC().Format(time.RFC3339Nano)
	s.logf("sandbox: webhook %s %s for %s to %s: attempt %d, status %d, %s %s",
		a.Method, a.URL, a.MessageId, a.Recipient, a.Attempt, a.StatusCode, a.Outcome, a.Error)
	s.mu.Lock()
	s.attempts = append(s.attempts, a)
	s.mu.Unlock()
}
