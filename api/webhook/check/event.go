package check

// Synthetic events, sending them, and the last two checks.

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/telegent/telegent-onboard/api/webhook"
)

// TestIDPrefix starts the message ID of every synthetic event, so the
// customer's code can tell them apart (they also carry "Test": true).
const TestIDPrefix = "TMID-TEST-"

// Defaults of synthetic events: numbers in the 555-01xx range, which no one
// is ever assigned.
const (
	DefaultNumber = "+12015550100" // the Telegent number (Owner)
	DefaultPeer   = "+18015550199" // the other party
	DefaultBody   = "This is a test message from telegent-onboard."
	DefaultStatus = "Delivered"
)

// MaxAnswerBody is how much of an endpoint's answer is read; the rest is
// dropped, so a misbehaving endpoint cannot exhaust memory.
const MaxAnswerBody = 64 << 10

// excerpt is how much of an answer a checklist shows.
const excerpt = 300

// Event is one synthetic event of either kind.
type Event struct {
	Kind      Kind
	MessageID string // TestIDPrefix + random, from NewEvent
	From, To  string // E.164
	// Inbound message: Owner is the Telegent number that received it
	// (To when empty), Body its text.
	Owner, Body string
	// Delivery report: Status ("Delivered", "Failed" …) and its time.
	Status string
	Time   time.Time
}

// NewTestMessageID is TestIDPrefix and 16 random characters.
func NewTestMessageID() string {
	return TestIDPrefix + rand.Text()[:16]
}

// NewEvent is a synthetic event of kind with test defaults: an inbound
// message from DefaultPeer to DefaultNumber, or the delivery report of a
// message DefaultNumber sent to DefaultPeer.
func NewEvent(kind Kind, now time.Time) Event {
	ev := Event{Kind: kind, MessageID: NewTestMessageID(), Time: now}
	if kind == KindDeliveryReport {
		ev.From, ev.To, ev.Status = DefaultNumber, DefaultPeer, DefaultStatus
	} else {
		ev.Kind, ev.From, ev.To, ev.Owner, ev.Body = KindInbound, DefaultPeer, DefaultNumber, DefaultNumber, DefaultBody
	}
	return ev
}

// Segments is how many SMS segments body takes: 160 characters in one (153
// a segment when split) for plain text, 70 (67) when it needs UCS-2.
func Segments(body string) int {
	n := utf8.RuneCountInString(body)
	single, multi := 160, 153
	for _, r := range body {
		if r > 0x7e || (r < 0x20 && r != '\n' && r != '\r') {
			single, multi = 70, 67
			break
		}
	}
	if n <= single {
		return 1
	}
	return (n + multi - 1) / multi
}

// The payloads: the inbound fields the onboarding guide lists
// (API-NOTES.md) and the sandbox's delivery report, each with Test added.
type inboundPayload struct {
	MessageID   string `json:"Message_ID"`
	Owner       string `json:"Owner"`
	To          string `json:"To"`
	From        string `json:"From"`
	MessageBody string `json:"Message_Body"`
	Segment     int    `json:"Segment"`
	Test        bool   `json:"Test"`
}

type reportPayload struct {
	Type      string `json:"Type"`
	MessageID string `json:"MessageId"`
	To        string `json:"To"`
	From      string `json:"From"`
	Status    string `json:"Status"`
	Timestamp string `json:"Timestamp"`
	Test      bool   `json:"Test"`
}

func (e Event) payload() (any, url.Values) {
	if e.Kind == KindDeliveryReport {
		p := reportPayload{Type: "DeliveryReport", MessageID: e.MessageID, To: e.To, From: e.From, Status: e.Status,
			Timestamp: e.Time.UTC().Format(time.RFC3339), Test: true}
		return p, url.Values{"Type": {p.Type}, "MessageId": {p.MessageID}, "To": {p.To}, "From": {p.From},
			"Status": {p.Status}, "Timestamp": {p.Timestamp}, "Test": {"true"}}
	}
	owner := e.Owner
	if owner == "" {
		owner = e.To
	}
	p := inboundPayload{MessageID: e.MessageID, Owner: owner, To: e.To, From: e.From, MessageBody: e.Body,
		Segment: Segments(e.Body), Test: true}
	return p, url.Values{"Message_ID": {p.MessageID}, "Owner": {p.Owner}, "To": {p.To}, "From": {p.From},
		"Message_Body": {p.MessageBody}, "Segment": {strconv.Itoa(p.Segment)}, "Test": {"true"}}
}

// JSON is the event as a POST sends it.
func (e Event) JSON() []byte {
	p, _ := e.payload()
	b, _ := json.Marshal(p) // plain strings, ints and bools: cannot fail
	return b
}

// Query is the event as a GET sends it: the same keys as query parameters.
func (e Event) Query() url.Values {
	_, q := e.payload()
	return q
}

// Answer is an endpoint's answer to one event.
type Answer struct {
	Method      string
	URL         string // as sent, credentials redacted (a GET's query holds the event)
	StatusCode  int
	Status      string // "200 OK"
	Location    string // a redirect's target, resolved against the URL; not followed
	ContentType string
	// Body is the start of the answer (at most MaxAnswerBody bytes), the
	// route's secrets masked in case the endpoint echoes them.
	Body      []byte
	Truncated bool
	Elapsed   time.Duration // from sending to the end of the body
}

// Send sends one event to rawURL with opts' method, authentication,
// timeout, roots, resolver and dialer, and returns the answer. Redirects
// are not followed. The error, when there is no answer, says why.
func Send(ctx context.Context, rawURL string, ev Event, opts Options) (Answer, error) {
	o, err := opts.normalize()
	if err != nil {
		return Answer{}, err
	}
	if ev.Kind != KindInbound && ev.Kind != KindDeliveryReport {
		return Answer{}, fmt.Errorf("kind %q: use %s or %s", ev.Kind, KindInbound, KindDeliveryReport)
	}
	t, bad := parseTarget(rawURL)
	if bad != nil {
		return Answer{}, fmt.Errorf("%s. %s", bad.Detail, bad.Remedy)
	}
	client := newClient(o, t, func(ctx context.Context) (net.Conn, error) {
		addrs, err := resolve(ctx, o.Resolver, t.host, o.Timeout)
		if err != nil {
			return nil, err
		}
		conn, _, err := dialAddrs(ctx, o.Dialer, addrs, t.port, o.Timeout)
		return conn, err
	})
	return exchange(ctx, client, t, o, ev, o.Auth)
}

// newClient is an HTTP client for one target: it connects through dial
// (the checked addresses, or a fresh lookup for Send), verifies TLS 1.2+
// against the given roots, uses no proxy (the point is whether the
// endpoint itself answers), keeps no connection open and follows no
// redirect (Telegent does not).
func newClient(o Options, t target, dial func(context.Context) (net.Conn, error)) *http.Client {
	tr := &http.Transport{
		Proxy:                  nil,
		DialContext:            func(ctx context.Context, _, _ string) (net.Conn, error) { return dial(ctx) },
		TLSClientConfig:        tlsConfig(o, t.host, tls.VersionTLS12),
		TLSHandshakeTimeout:    o.Timeout,
		DisableKeepAlives:      true,
		MaxResponseHeaderBytes: 64 << 10,
	}
	return &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

// exchange sends ev once and reads the answer, all within o.Timeout.
func exchange(ctx context.Context, client *http.Client, t target, o Options, ev Event, auth webhook.Auth) (Answer, error) {
	u := *t.u
	var body io.Reader
	if o.Method == http.MethodGet {
		q := u.Query()
		for k, v := range ev.Query() {
			q[k] = v
		}
		u.RawQuery = q.Encode()
	} else {
		body = bytes.NewReader(ev.JSON())
	}
	ans := Answer{Method: o.Method, URL: redactURL(u.String())}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, o.Method, u.String(), body)
	if err != nil {
		return ans, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("User-Agent", "telegent-onboard-webhook-check")
	switch auth.Kind {
	case "basic":
		req.SetBasicAuth(auth.User, auth.Pass)
	case "bearer":
		req.Header.Set("Authorization", "Bearer "+auth.Token)
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return ans, unwrapURLError(err)
	}
	defer resp.Body.Close()
	ans.StatusCode, ans.Status = resp.StatusCode, printable(resp.Status, 100)
	ans.ContentType = printable(resp.Header.Get("Content-Type"), 100)
	if loc, err := resp.Location(); err == nil {
		ans.Location = redactURL(loc.String())
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswerBody+1))
	ans.Elapsed = time.Since(start)
	if len(b) > MaxAnswerBody {
		b, ans.Truncated = b[:MaxAnswerBody], true
	}
	ans.Body = maskSecrets(b, o.Auth)
	if err != nil {
		// The status line arrived; a body cut short is shown as far as it
		// came, and a timeout while reading it is still a timeout.
		return ans, unwrapURLError(err)
	}
	return ans, nil
}

// unwrapURLError drops net/http's "Post \"https://…\": " prefix (which
// would repeat a GET's whole query) and keeps the cause.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// maskSecrets replaces the route's secrets, should the endpoint echo them
// (plain, or as the Basic header's base64), with ****.
func maskSecrets(b []byte, a webhook.Auth) []byte {
	var secrets []string
	switch a.Kind {
	case "basic":
		secrets = append(secrets, base64.StdEncoding.EncodeToString([]byte(a.User+":"+a.Pass)), a.Pass)
	case "bearer":
		secrets = append(secrets, a.Token)
	}
	for _, s := range secrets {
		if s != "" {
			b = bytes.ReplaceAll(b, []byte(s), []byte("****"))
		}
	}
	return b
}

// wrongAuth is auth with a wrong secret: the same user, a random password
// or token that no endpoint could expect.
func wrongAuth(a webhook.Auth) webhook.Auth {
	w := "wrong-" + rand.Text()
	switch a.Kind {
	case "basic":
		return webhook.Auth{Kind: "basic", User: a.User, Pass: w}
	case "bearer":
		return webhook.Auth{Kind: "bearer", Token: w}
	}
	return a
}

// client is the checks' HTTP client: it calls the addresses the DNS and
// TCP checks found.
func (c *Checker) client() *http.Client {
	return newClient(c.opts, target{u: c.u, host: c.host, port: c.port}, func(ctx context.Context) (net.Conn, error) {
		conn, _, err := c.dial(ctx)
		return conn, err
	})
}

func (c *Checker) send(ctx context.Context, ev Event, auth webhook.Auth) (Answer, error) {
	return exchange(ctx, c.client(), target{u: c.u, host: c.host, port: c.port}, c.opts, ev, auth)
}

func (c *Checker) checkEvent(ctx context.Context, s step) Result {
	ev := NewEvent(s.kind, c.opts.Now())
	ans, err := c.send(ctx, ev, c.opts.Auth)
	x := &Exchange{Method: c.opts.Method, MessageID: ev.MessageID, StatusCode: ans.StatusCode, Location: ans.Location,
		Body: printable(string(ans.Body), excerpt)}
	r := Result{HTTP: x}
	if err != nil && ans.StatusCode == 0 {
		r.Status = StatusFail
		if isTimeout(err) {
			r.Detail = fmt.Sprintf("no answer within %v", c.opts.Timeout)
			r.Remedy = "Answer within a few seconds: acknowledge each event with 2xx first, then process it in the background."
		} else {
			r.Detail = "the request failed: " + printable(err.Error(), 300)
			r.Remedy = "Check the endpoint's server and its logs: it must answer an HTTP " + c.opts.Method + " with 2xx."
		}
		return r
	}
	took := fmt.Sprintf("%s in %v", ans.Status, roundMS(ans.Elapsed))
	code := ans.StatusCode
	switch {
	case err != nil: // status line, then the body broke off or timed out
		r.Status, r.Detail = StatusFail, took+", but the body "+bodyFailure(err, c.opts.Timeout)
		r.Remedy = "Answer promptly and completely: acknowledge with 2xx and a short body, then process the event in the background."
	case code >= 200 && code <= 299:
		c.sentOK[s.kind] = true
		r.Status, r.Detail = StatusPass, took
	case code >= 300 && code <= 399:
		r.Status = StatusFail
		if ans.Location != "" {
			r.Detail = fmt.Sprintf("redirected (%s) to %s; Telegent does not follow redirects", ans.Status, ans.Location)
			r.Remedy = "Set the route's URL to the final address, " + ans.Location + " (a missing trailing slash or http→https are the usual causes)."
		} else {
			r.Detail = fmt.Sprintf("redirected (%s) with no Location; Telegent does not follow redirects", ans.Status)
			r.Remedy = "Answer the event itself with 2xx at this URL."
		}
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		r.Status, r.Detail = StatusFail, took+": the endpoint refused the route's credentials"
		if c.opts.Auth.Kind == "none" {
			r.Remedy = "The endpoint wants credentials: set the route's authentication to what it expects (--auth basic:USER:PASS or bearer:TOKEN)."
		} else {
			r.Remedy = "Make the endpoint accept the route's " + authName(c.opts.Auth) + " credentials, or set the route's authentication to what the endpoint expects."
		}
	case code == http.StatusNotFound:
		r.Status, r.Detail = StatusFail, took+": nothing answers at "+printable(c.u.EscapedPath(), 200)
		r.Remedy = "Check the path in the URL against the routes your server serves."
	case code == http.StatusMethodNotAllowed:
		r.Status, r.Detail = StatusFail, took+": the endpoint does not take "+c.opts.Method
		r.Remedy = "Accept " + c.opts.Method + " at this URL, or set the route's MessageUrlMethod to the method it takes (--method)."
	case code >= 400 && code <= 499:
		r.Status, r.Detail = StatusFail, took+": the endpoint refused the event"
		if c.opts.Method == http.MethodGet {
			r.Remedy = "Accept the event's fields as query parameters, and ignore fields you do not know (such as Test)."
		} else {
			r.Remedy = "Accept a JSON body (Content-Type: application/json) and ignore fields you do not know (such as Test)."
		}
	default:
		r.Status, r.Detail = StatusFail, took+": the endpoint failed"
		r.Remedy = "See the endpoint's logs for the error, and answer 2xx once an event is accepted; process it afterwards so a fault later on cannot lose it."
	}
	return r
}

func (c *Checker) checkRefusal(ctx context.Context, s step) Result {
	if c.opts.Auth.Kind == "none" {
		return Result{Status: StatusWarn, Detail: "skipped: the route sends no credentials, so anyone who learns the URL can post fake messages to it",
			Remedy: "Set Basic or Bearer authentication on the route, check it in the endpoint, and answer 401 when it does not match."}
	}
	if !c.sentOK[s.kind] {
		return Result{Status: StatusSkip, Detail: "not run: the event with the right credentials was not accepted, so a refusal would prove nothing"}
	}
	wrong := wrongAuth(c.opts.Auth)
	ev := NewEvent(s.kind, c.opts.Now())
	ans, err := c.send(ctx, ev, wrong)
	x := &Exchange{Method: c.opts.Method, MessageID: ev.MessageID, StatusCode: ans.StatusCode, Location: ans.Location,
		Body: printable(string(maskSecrets(ans.Body, wrong)), excerpt)}
	r := Result{HTTP: x}
	code := ans.StatusCode
	const answer401 = "Answer 401 (or 403) at once when the credentials do not match, so a misconfigured route shows up as an authentication error."
	switch {
	case code == 0 && err != nil:
		r.Status = StatusWarn
		if isTimeout(err) {
			r.Detail = fmt.Sprintf("no answer within %v to wrong credentials", c.opts.Timeout)
		} else {
			r.Detail = "the request with wrong credentials failed: " + printable(err.Error(), 300)
		}
		r.Remedy = answer401
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		r.Status, r.Detail = StatusPass, "refused: "+ans.Status
	case code >= 200 && code <= 299:
		r.Status, r.Detail = StatusFail, "accepted ("+ans.Status+"): anyone who knows the URL could post fake messages"
		r.Remedy = "Check the Authorization header of every call against the route's " + authName(c.opts.Auth) + " credentials (a constant-time comparison) and answer 401 when it does not match."
	default:
		r.Status, r.Detail = StatusWarn, "refused, but with "+ans.Status+" rather than 401 or 403"
		r.Remedy = answer401
	}
	return r
}

func authName(a webhook.Auth) string {
	if a.Kind == "bearer" {
		return "Bearer"
	}
	return "Basic"
}

func bodyFailure(err error, timeout time.Duration) string {
	if isTimeout(err) {
		return fmt.Sprintf("did not end within %v", timeout)
	}
	return "broke off: " + printable(err.Error(), 200)
}

// roundMS shows a duration to the millisecond (to 0.1 ms under one).
func roundMS(d time.Duration) time.Duration {
	if d < time.Millisecond {
		return d.Round(100 * time.Microsecond)
	}
	return d.Round(time.Millisecond)
}
