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
//
// Then the first recipient "replies": an inbound message, with the fields
// the onboarding guide lists for inbound webhooks,
//
//	{"Message_ID":"TMID-…","Owner":"+1…(the new number)","To":"+1…",
//	 "From":"+1…(the recipient)","Message_Body":"…","Segment":1}
//
// to the route's MessageUrl, with its method and authentication, so a demo
// shows both directions arriving.

const maxWebhookAttempts = 4

// inbound is the reply's payload.
type inbound struct {
	MessageID   string `json:"Message_ID"`
	Owner       string `json:"Owner"`
	To          string `json:"To"`
	From        string `json:"From"`
	MessageBody string `json:"Message_Body"`
	Segment     int    `json:"Segment"`
}

// webhookCall is one payload: a JSON body, or the same keys as a GET's
// query.
type webhookCall struct {
	kind      string // "delivery-report" or "inbound"
	messageID string
	recipient string
	body      any
	query     map[string]string
}

func (rc receipt) call() webhookCall {
	return webhookCall{kind: "delivery-report", messageID: rc.MessageId, recipient: rc.To, body: rc,
		query: map[string]string{"Type": rc.Type, "MessageId": rc.MessageId, "To": rc.To, "From": rc.From,
			"Status": rc.Status, "Timestamp": rc.Timestamp}}
}

func (in inbound) call() webhookCall {
	return webhookCall{kind: "inbound", messageID: in.MessageID, recipient: in.To, body: in,
		query: map[string]string{"Message_ID": in.MessageID, "Owner": in.Owner, "To": in.To, "From": in.From,
			"Message_Body": in.MessageBody, "Segment": "1"}}
}

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
	var cb, hook *callback
	route := s.messageRoute(m.mrid)
	if route != nil && route.CallbackMessageUrl != "" {
		cb = &callback{
			url: route.CallbackMessageUrl, method: route.CallbackMessageUrlMethod,
			auth: route.CallbackMessageAuthenticationType, user: route.CallbackMessageUsername,
			secret: route.CallbackMessagePasswordToken,
		}
	}
	if route != nil && route.MessageUrl != "" {
		hook = &callback{url: route.MessageUrl, method: route.MessageUrlMethod,
			auth: route.MessageAuthenticationType, user: route.MessageUsername, secret: route.MessagePasswordToken}
	}
	var reply *inbound
	if len(m.To) > 0 {
		reply = &inbound{MessageID: "TMID-" + randomString(20, alnum), Owner: m.From, To: m.From, From: m.To[0].Number,
			MessageBody: "Got it, thanks! (an automatic reply from the sandbox)", Segment: 1}
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
	}
	for _, rc := range receipts {
		if cb != nil {
			s.send(cb, rc.call())
		}
	}
	if hook != nil && reply != nil {
		s.send(hook, reply.call())
	}
}

// send posts one webhook call, retrying a failure (network error or non-2xx)
// after 100ms, 200ms and 400ms. Only loopback hosts are called: a sandbox
// must never make requests to the internet on a user's behalf.
func (s *Server) send(cb *callback, rc webhookCall) {
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
		s.record(WebhookAttempt{Kind: rc.kind, MessageId: rc.messageID, Recipient: rc.recipient, URL: shown, Method: method,
			Outcome: "skipped", Error: "not called: the sandbox only calls webhooks on loopback hosts (localhost, 127.0.0.1, ::1)"})
		return
	}
	backoff := 100 * time.Millisecond
	for attempt := 1; attempt <= maxWebhookAttempts; attempt++ {
		code, err := s.post(method, u, cb, rc)
		a := WebhookAttempt{Kind: rc.kind, MessageId: rc.messageID, Recipient: rc.recipient, URL: shown, Method: method,
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

func (s *Server) post(method string, u *url.URL, cb *callback, rc webhookCall) (int, error) {
	target := *u
	var body io.Reader
	if method == http.MethodGet {
		qv := target.Query()
		for k, v := range rc.query {
			qv.Set(k, v)
		}
		target.RawQuery = qv.Encode()
	} else {
		b, _ := json.Marshal(rc.body)
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
