// Package api is a typed client for the Telegent operations the quickstart
// uses, plus the lookups and deletes that make resuming and cleaning up safe.
//
// The client hides tokens from its callers (it authenticates, scopes and
// renews them itself), paces requests under the account's rate limit,
// retries what the documents say to retry, and never repeats a create whose
// outcome is unknown.
package api

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/telegent/telegent-onboard/api/validate"
)

// DefaultBaseURL is the real API.
const DefaultBaseURL = "https://api.telegent.com/v1.0"

// DefaultRateLimit is the standard tier's requests per minute.
const DefaultRateLimit = 50

// Version is the program version sent in the User-Agent; main sets it.
var Version = "dev"

// Credentials are what Telegent issues to an account. The secret is only
// ever sent in the token request body.
type Credentials struct {
	AccountKey    string
	AccountSecret string
}

// String never shows the secret, so a stray %v cannot leak it.
func (c Credentials) String() string {
	return fmt.Sprintf("Credentials{AccountKey: %q, AccountSecret: [REDACTED]}", c.AccountKey)
}

// Client calls the Telegent API. It is safe for concurrent use.
type Client struct {
	baseURL   *url.URL
	http      *http.Client
	creds     Credentials
	userAgent string
	limiter   *rate.Limiter
	perMinute int // the limiter's pace, for WaitRateLimit

	maxAttempts    int
	backoffBase    time.Duration
	backoffCap     time.Duration
	maxRetryAfter  time.Duration
	attemptTimeout time.Duration
	sleep          func(context.Context, time.Duration) error
	now            func() time.Time

	observers     []func(Exchange)
	waitObservers []func(Wait)   // WithWaitObserver
	rootCAs       *x509.CertPool // WithRootCAs; nil: the system's

	fetchMu     sync.Mutex        // held while a token is fetched
	tokMu       sync.Mutex        // guards the three fields below
	tokens      map[string]bearer // "" is the account-wide token, else an endpoint path
	scoped      map[string]bool   // endpoints that refused the account-wide token
	perEndpoint bool              // the server wants ApiEndpoint on every token request
}

type bearer struct {
	value   string
	renewAt time.Time // by our clock; zero: use it until a 401
}

// Option configures a Client.
type Option func(*Client) error

// WithHTTPClient sets the HTTP client. A transport that skips TLS
// verification is refused: certificates are always checked.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if t, ok := hc.Transport.(*http.Transport); ok && t.TLSClientConfig != nil && t.TLSClientConfig.InsecureSkipVerify {
			return errors.New("api: refusing an HTTP client that skips TLS certificate verification")
		}
		c.http = hc
		return nil
	}
}

// WithRootCAs trusts the certificates in pool instead of the system's, for
// a test server or a private deployment. Verification stays on: there is no
// option to turn it off.
func WithRootCAs(pool *x509.CertPool) Option {
	return func(c *Client) error {
		if pool == nil {
			return errors.New("api: WithRootCAs needs a certificate pool")
		}
		c.rootCAs = pool
		return nil
	}
}

// WithRateLimit paces requests for another tier: perMinute requests a minute.
func WithRateLimit(perMinute int) Option {
	return func(c *Client) error {
		if perMinute <= 0 {
			return fmt.Errorf("api: rate limit must be positive, got %d", perMinute)
		}
		c.limiter, c.perMinute = newLimiter(perMinute), perMinute
		return nil
	}
}

// WithRetry sets how many times a request is tried in all and the backoff
// between tries (doubling from base up to cap).
func WithRetry(attempts int, base, cap time.Duration) Option {
	return func(c *Client) error {
		if attempts < 1 || base <= 0 || cap < base {
			return fmt.Errorf("api: bad retry policy: %d attempts, %v base, %v cap", attempts, base, cap)
		}
		c.maxAttempts, c.backoffBase, c.backoffCap = attempts, base, cap
		return nil
	}
}

// WithTimeout bounds each attempt (connect, send, answer).
func WithTimeout(d time.Duration) Option {
	return func(c *Client) error {
		c.attemptTimeout = d
		return nil
	}
}

// WithUserAgent replaces the default "telegent-onboard/<Version>" product.
func WithUserAgent(product string) Option {
	return func(c *Client) error {
		c.userAgent = product + " (" + runtime.GOOS + "/" + runtime.GOARCH + ")"
		return nil
	}
}

// WithObserver calls fn with every exchange, secrets already redacted (the
// wizard's inspector uses it).
func WithObserver(fn func(Exchange)) Option {
	return func(c *Client) error {
		c.observers = append(c.observers, fn)
		return nil
	}
}

// WithTrace writes every exchange to w, secrets redacted.
func WithTrace(w io.Writer) Option {
	var mu sync.Mutex
	return WithObserver(func(e Exchange) {
		mu.Lock()
		defer mu.Unlock()
		io.WriteString(w, e.Format())
	})
}

// New returns a client for baseURL (DefaultBaseURL when empty). The URL must
// be https, except for loopback hosts such as the sandbox.
func New(baseURL string, creds Credentials, opts ...Option) (*Client, error) {
	u, err := ParseBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	c := &Client{
		baseURL:        u,
		http:           &http.Client{Transport: transport},
		creds:          creds,
		userAgent:      "telegent-onboard/" + Version + " (" + runtime.GOOS + "/" + runtime.GOARCH + ")",
		limiter:        newLimiter(DefaultRateLimit),
		perMinute:      DefaultRateLimit,
		maxAttempts:    5,
		backoffBase:    time.Second,
		backoffCap:     30 * time.Second,
		maxRetryAfter:  2 * time.Minute,
		attemptTimeout: 30 * time.Second,
		sleep:          sleepCtx,
		now:            time.Now,
		tokens:         map[string]bearer{},
		scoped:         map[string]bool{},
	}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	// A copy, so a caller's client is not changed: the redirect policy is
	// the client's, whatever HTTP client it was given.
	hc := *c.http
	hc.CheckRedirect = c.checkRedirect
	if c.rootCAs != nil {
		t, ok := hc.Transport.(*http.Transport)
		if hc.Transport == nil {
			t, ok = http.DefaultTransport.(*http.Transport), true
		}
		if !ok {
			return nil, errors.New("api: WithRootCAs needs the HTTP client's transport to be an *http.Transport")
		}
		t = t.Clone()
		if t.TLSClientConfig == nil {
			t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		t.TLSClientConfig.RootCAs = c.rootCAs
		hc.Transport = t
	}
	c.http = &hc
	return c, nil
}

// ParseBaseURL checks a base URL the way New does and fills in the /v1.0
// path when only a host is given.
func ParseBaseURL(raw string) (*url.URL, error) {
	if raw == "" {
		raw = DefaultBaseURL
	}
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("base URL %q is not an absolute URL like %s", raw, DefaultBaseURL)
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && validate.IsLoopbackHost(u.Hostname()):
	default:
		return nil, fmt.Errorf("base URL %q must use https (plain http is allowed only for loopback hosts such as the sandbox)", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("base URL %q must not carry credentials, a query or a fragment", raw)
	}
	if u.Path == "" {
		u.Path = "/v1.0"
	}
	return u, nil
}

// BaseURL is the API root the client calls, e.g. https://api.telegent.com/v1.0.
func (c *Client) BaseURL() string { return c.baseURL.String() }

// newLimiter keeps any 60-second window at or under perMinute requests: a
// bucket of burst b refilled at (perMinute-b)/minute admits at most
// b + (perMinute-b) = perMinute in a minute, so a strict server never sees
// more, while the first few calls of a session go out at once.
func newLimiter(perMinute int) *rate.Limiter {
	burst := max(perMinute/5, 1)
	refill := max(perMinute-burst, 1)
	return rate.NewLimiter(rate.Limit(float64(refill)/60), burst)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// call describes one operation.
type call struct {
	op     string // for messages: "create message route"
	method string
	path   string // below the base URL: "/message/routes"
	query  url.Values
	body   any // nil for GET
	out    any
	noAuth bool
	// repeatable marks a non-GET that is harmless to send twice (a token
	// request, a search, a delete), so a lost answer or a 5xx is retried
	// rather than reported unknown.
	repeatable bool
	// header, when set, receives the answer's headers (the token request
	// reads Date to measure the server's clock).
	header *http.Header
}

// creates reports whether sending the call twice could create something
// twice: every non-GET that is not marked repeatable.
func (cl call) creates() bool { return cl.method != http.MethodGet && !cl.repeatable }

// do runs a call with pacing, tokens, retries and error decoding.
func (c *Client) do(ctx context.Context, cl call) error {
	var payload []byte
	if cl.body != nil {
		var err error
		if payload, err = json.Marshal(cl.body); err != nil {
			return &Error{Operation: cl.op, Method: cl.method, Path: cl.fullPath(c), Message: "could not encode the request: " + err.Error(), Kind: KindBadRequest, Err: err}
		}
	}
	reauthenticated := false
	for attempt := 1; ; attempt++ {
		var tokenKey string
		var tok string
		if !cl.noAuth {
			var err error
			if tokenKey, tok, err = c.token(ctx, cl.path); err != nil {
				return err
			}
		}
		status, header, respBody, err := c.send(ctx, cl, payload, tok)
		if err != nil {
			var e *Error
			if errors.As(err, &e) && e.Kind == KindNetwork && attempt < c.maxAttempts && ctx.Err() == nil {
				wait := c.backoff(attempt)
				c.noteWait(Wait{Reason: WaitBackoff, Operation: cl.op, Until: c.now().Add(wait), Attempt: attempt + 1, Attempts: c.maxAttempts})
				if werr := c.sleep(ctx, wait); werr != nil {
					return e
				}
				continue
			}
			return err
		}
		if status >= 200 && status < 300 {
			if cl.header != nil {
				*cl.header = header
			}
			if cl.out == nil || len(bytes.TrimSpace(respBody)) == 0 {
				return nil
			}
			if err := json.Unmarshal(respBody, cl.out); err != nil {
				e := &Error{Operation: cl.op, Method: cl.method, Path: cl.fullPath(c), Status: status,
					Message: "the answer could not be read: " + err.Error(), Err: err}
				if cl.creates() {
					// It succeeded, but the IDs in the answer are lost.
					e.Kind, e.Remedy = KindOutcomeUnknown, RemedyOutcomeUnknown
				}
				return e
			}
			return nil
		}
		if !cl.noAuth {
			switch {
			case status == http.StatusUnauthorized && !reauthenticated:
				// Expired or revoked early: authenticate again, once.
				reauthenticated = true
				c.dropToken(tokenKey)
				attempt--
				continue
			case status == http.StatusForbidden && tokenKey == "":
				// An account-wide token refused here: this endpoint wants
				// its own scoped token.
				c.needScoped(cl.path)
				attempt--
				continue
			}
		}
		retryAfter := parseRetryAfter(header.Get("Retry-After"), c.now())
		herr := newHTTPError(cl.op, cl.method, cl.fullPath(c), status, respBody, retryAfter)
		refineRemedy(herr, payload, cl.query)
		if cl.creates() && maybeCarriedOut(status) {
			// A gateway or server error after the request arrived does not
			// say whether it was carried out: sending it again could buy a
			// second number. The caller looks it up instead.
			herr.Kind, herr.Remedy = KindOutcomeUnknown, RemedyOutcomeUnknownStatus
			return herr
		}
		if !retryable(status, cl.creates()) || attempt >= c.maxAttempts || retryAfter > c.maxRetryAfter {
			return herr
		}
		wait, reason := c.backoff(attempt), WaitBackoff
		if retryAfter > 0 {
			wait, reason = retryAfter, WaitRetryAfter
		}
		c.noteWait(Wait{Reason: reason, Operation: cl.op, Until: c.now().Add(wait), Status: status, Attempt: attempt + 1, Attempts: c.maxAttempts})
		if err := c.sleep(ctx, wait); err != nil {
			return herr
		}
	}
}

func (cl call) fullPath(c *Client) string { return c.baseURL.Path + cl.path }

// retryable is the documents' list (back off on 408, 429, 500, 503, 504;
// never retry 400, 401, 403, 404), narrowed for creates to the statuses
// that say the request was not acted on: 408 (not fully received), 429 (not
// admitted) and 503 (not available). A 502 is retried like a 500 for what
// is safe to repeat.
func retryable(status int, creates bool) bool {
	switch status {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return true
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
		return !creates
	}
	return false
}

// maybeCarriedOut reports whether a status leaves a create's outcome open:
// every 5xx but 503 (the server did not take it) and 501 (it cannot).
func maybeCarriedOut(status int) bool {
	return status >= 500 && status != http.StatusServiceUnavailable && status != http.StatusNotImplemented
}

// backoff is base·2^(attempt-1), capped.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.backoffBase
	for i := 1; i < attempt && d < c.backoffCap; i++ {
		d *= 2
	}
	return min(d, c.backoffCap)
}

func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// send makes one attempt. Transport failures come back as *Error: KindNetwork
// when the request surely never reached the server (safe to retry), or when
// it is a GET; KindOutcomeUnknown when a non-GET may have been carried out.
func (c *Client) send(ctx context.Context, cl call, payload []byte, token string) (int, http.Header, []byte, error) {
	if err := c.pace(ctx, cl.op); err != nil {
		return 0, nil, nil, c.transportError(ctx, cl, false, err)
	}
	actx, cancel := context.WithTimeout(ctx, c.attemptTimeout)
	defer cancel()

	var wrote bool
	var wroteMu sync.Mutex
	trace := &httptrace.ClientTrace{WroteRequest: func(info httptrace.WroteRequestInfo) {
		wroteMu.Lock()
		wrote = true
		wroteMu.Unlock()
	}}
	u := *c.baseURL
	u.Path = c.baseURL.Path + cl.path
	if len(cl.query) > 0 {
		u.RawQuery = cl.query.Encode()
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(actx, trace), cl.method, u.String(), body)
	if err != nil {
		return 0, nil, nil, &Error{Operation: cl.op, Method: cl.method, Path: cl.fullPath(c), Message: err.Error(), Kind: KindOther, Err: err}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}

	start := time.Now()
	resp, err := c.http.Do(req)
	var status int
	var header http.Header
	var respBody []byte
	if err == nil {
		status, header = resp.StatusCode, resp.Header
		respBody, err = io.ReadAll(io.LimitReader(resp.Body, 10<<20))
		resp.Body.Close()
	}
	c.observe(Exchange{Operation: cl.op, Method: cl.method, URL: u.String(), RequestBody: payload,
		Status: status, ResponseBody: respBody, Duration: time.Since(start), Err: err})
	if err != nil {
		wroteMu.Lock()
		sent := wrote
		wroteMu.Unlock()
		return 0, nil, nil, c.transportError(ctx, cl, sent, err)
	}
	return status, header, respBody, nil
}

func (c *Client) transportError(ctx context.Context, cl call, sent bool, err error) error {
	e := &Error{Operation: cl.op, Method: cl.method, Path: cl.fullPath(c), Err: err}
	var re *RedirectError
	if errors.As(err, &re) {
		// The server answered with a redirect: an answer, not a lost one,
		// and nothing went to the target.
		e.Kind, e.Message = KindRedirect, re.Error()
		e.Remedy = "Check the base URL (--base-url / TELEGENT_BASE_URL): use the address the API answers on directly, like " + DefaultBaseURL + ". Nothing was sent to the redirect's target."
		return e
	}
	if msg, remedy, ok := describeTLS(err, c.baseURL.Host); ok {
		// The handshake failed before anything was sent; retrying cannot
		// change a certificate.
		e.Kind, e.Message, e.Remedy = KindTLS, msg, remedy
		return e
	}
	switch {
	case sent && cl.creates():
		e.Kind, e.Remedy = KindOutcomeUnknown, RemedyOutcomeUnknown
		e.Message = "the request was sent but no answer came back (" + shortErr(err) + "): it may have been carried out"
	case ctx.Err() != nil:
		e.Kind, e.Message = KindOther, "cancelled"
		e.Err = ctx.Err()
	default:
		e.Kind, e.Remedy = KindNetwork, RemedyNetwork
		e.Message = "could not reach " + c.baseURL.Host + ": " + shortErr(err)
	}
	return e
}

func shortErr(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timed out"
	}
	return err.Error()
}

func (c *Client) observe(e Exchange) {
	if len(c.observers) == 0 {
		return
	}
	e.redact(c.secrets())
	for _, fn := range c.observers {
		fn(e)
	}
}

// secrets lists the values that must never appear in a trace, whatever key
// or header carries them.
func (c *Client) secrets() []string {
	c.tokMu.Lock()
	defer c.tokMu.Unlock()
	out := make([]string, 0, len(c.tokens)+1)
	if c.creds.AccountSecret != "" {
		out = append(out, c.creds.AccountSecret)
	}
	for _, t := range c.tokens {
		out = append(out, t.value)
	}
	return out
}
