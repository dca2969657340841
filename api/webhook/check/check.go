// Package check proves a webhook URL before Telegent depends on it. It runs
// a checklist against the URL a message route will call (the URL's scheme,
// DNS, TCP, TLS, a synthetic event of each kind, and the same event with
// wrong credentials) and reports each check as it completes; and it sends
// single synthetic events (Send) for developing the receiving end. It has no
// UI: the `webhook` command, the wizard's panel and headless runs all drive
// the same code.
//
// One check at a time, e.g. one Bubble Tea tea.Cmd per check, so a panel
// shows each check appearing as it completes:
//
//	c, err := check.New(url, check.Options{Method: "POST", Auth: auth, Kinds: check.AllKinds})
//	if err != nil { … }              // bad options only; a bad URL is a failed check
//	rows := c.Plan()                 // every check, StatusPending: draw the panel at once
//	var next tea.Cmd = func() tea.Msg {
//		r, ok := c.Next(ctx)     // runs one check; r.Index is its row in rows
//		if !ok {
//			return checkDoneMsg{c.Report()}
//		}
//		return checkResultMsg{r} // on this message, update the row and return next again
//	}
//
// All at once, e.g. headless or the command line:
//
//	rep, err := check.Run(ctx, url, opts, func(r check.Result) { fmt.Println(r.Status.Mark(), r.Name, r.Detail) })
//	if !rep.OK { … } // a check failed; warnings leave OK true
//
// A Checker is not safe for concurrent use: call Next from one goroutine at
// a time (a tea.Cmd runs on its own goroutine, but only one is outstanding).
// Cancelling ctx fails the running check and skips the rest.
//
// Tests inject a resolver, a dialer, a clock and the root certificates
// through Options, so nothing leaves loopback and certificate verification
// is never turned off.
package check

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/telegent/telegent-onboard/api/webhook"
)

// Kind is a kind of event Telegent sends a message route.
type Kind string

// The kinds of events: an inbound message to the route's MessageUrl and a
// delivery report to its CallbackMessageUrl.
const (
	KindInbound        Kind = "inbound"
	KindDeliveryReport Kind = "delivery-report"
)

// AllKinds is both kinds, for a URL that serves as MessageUrl and
// CallbackMessageUrl.
var AllKinds = []Kind{KindInbound, KindDeliveryReport}

// Title is the kind as a checklist names it.
func (k Kind) Title() string {
	if k == KindDeliveryReport {
		return "Delivery report"
	}
	return "Inbound message"
}

// ParseKinds reads "inbound", "delivery-report" or "both".
func ParseKinds(s string) ([]Kind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "inbound":
		return []Kind{KindInbound}, nil
	case "delivery-report", "delivery", "dlr":
		return []Kind{KindDeliveryReport}, nil
	case "both", "":
		return append([]Kind(nil), AllKinds...), nil
	}
	return nil, fmt.Errorf("unknown kind %q: use inbound, delivery-report or both", s)
}

// Status is a check's outcome.
type Status string

const (
	StatusPending Status = "pending" // not run yet (Plan)
	StatusPass    Status = "pass"
	StatusWarn    Status = "warn" // works here, but something needs attention; never fails the run
	StatusFail    Status = "fail"
	StatusSkip    Status = "skip" // not applicable, or an earlier check failed
)

// Mark is the status as one character for a checklist.
func (s Status) Mark() string {
	switch s {
	case StatusPass:
		return "✓"
	case StatusWarn:
		return "!"
	case StatusFail:
		return "✗"
	case StatusSkip:
		return "–"
	}
	return "○"
}

// Check IDs. Event checks append "/" and the kind: "event/inbound".
const (
	IDURL    = "url"
	IDDNS    = "dns"
	IDTCP    = "tcp"
	IDTLS    = "tls"
	IDEvent  = "event"
	IDRefuse = "refuse"
)

// Result is one check's outcome.
type Result struct {
	Index  int    `json:"-"`  // position in Plan()
	ID     string `json:"id"` // stable: "url", "dns", "tcp", "tls", "event/inbound", "refuse/delivery-report" …
	Name   string `json:"name"`
	Status Status `json:"status"`
	// Detail says what was found, in a line: "200 OK in 38ms",
	// "certificate for other.example, not hooks.example.com".
	Detail string `json:"detail,omitempty"`
	// Remedy says what the customer can do; set on every failure and
	// warning.
	Remedy  string        `json:"remedy,omitempty"`
	Elapsed time.Duration `json:"-"`
	// HTTP is the endpoint's answer, for the event checks.
	HTTP *Exchange `json:"http,omitempty"`
}

// MarshalJSON writes Elapsed as whole milliseconds ("elapsedMs").
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	return json.Marshal(struct {
		plain
		ElapsedMS int64 `json:"elapsedMs"`
	}{plain(r), r.Elapsed.Milliseconds()})
}

// Exchange is what an event check sent and what came back.
type Exchange struct {
	Method     string `json:"method"`
	MessageID  string `json:"messageId"`
	StatusCode int    `json:"statusCode,omitempty"`
	Location   string `json:"location,omitempty"` // a redirect's target, resolved against the URL
	Body       string `json:"body,omitempty"`     // the start of the answer, printable, secrets masked
}

// Report is the whole checklist.
type Report struct {
	URL     string `json:"url"` // credentials in it, if any, redacted
	Method  string `json:"method"`
	Auth    string `json:"auth"` // "none", "basic:USER:****" or "bearer:****"
	Kinds   []Kind `json:"kinds"`
	Sandbox bool   `json:"sandbox"`
	// OK is true when no check failed (warnings allowed).
	OK       bool     `json:"ok"`
	Passed   int      `json:"passed"`
	Warnings int      `json:"warnings"`
	Failed   int      `json:"failed"`
	Skipped  int      `json:"skipped"`
	Checks   []Result `json:"checks"`
}

// Resolver looks host names up; *net.Resolver is one.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Dialer opens TCP connections; *net.Dialer is one.
type Dialer interface {
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
}

// Options say how to call the endpoint and what to expect of it.
type Options struct {
	// Method is POST (the default) or GET, as the route's MessageUrlMethod.
	// GET sends the event's fields as query parameters.
	Method string
	// Auth is the route's authentication; the zero value is none.
	Auth webhook.Auth
	// Kinds are the events to send (Run only); nil means both.
	Kinds []Kind
	// Timeout bounds each network step: the lookup, the connection, the
	// handshake, each event's whole exchange. Default 5s.
	Timeout time.Duration
	// Sandbox says the URL is for the built-in sandbox: a loopback or
	// private address is then expected, and a public one is a warning (the
	// sandbox calls loopback hosts only).
	Sandbox bool
	// RootCAs verify the endpoint's certificate; nil means the system's.
	// Tests and private CAs add theirs with SystemRootsWith. Verification
	// itself cannot be turned off.
	RootCAs *x509.CertPool
	// Resolver and Dialer default to the system's; tests inject their own
	// so that no name is looked up and nothing leaves loopback.
	Resolver Resolver
	Dialer   Dialer
	// Now is the clock certificates are judged by; default time.Now.
	Now func() time.Time
}

// DefaultTimeout is Options.Timeout's default.
const DefaultTimeout = 5 * time.Second

// ExpiryWarning is how close a certificate's expiry must be for a warning.
const ExpiryWarning = 14 * 24 * time.Hour

// MaxURL is the longest URL accepted; the API's own limit is not
// documented, and longer ones are typing accidents.
const MaxURL = 2048

// normalize checks opts and fills in the defaults.
func (o Options) normalize() (Options, error) {
	o.Method = strings.ToUpper(strings.TrimSpace(o.Method))
	switch o.Method {
	case "":
		o.Method = http.MethodPost
	case http.MethodPost, http.MethodGet:
	default:
		return o, fmt.Errorf("method %q: use POST or GET (a message route's MessageUrlMethod)", o.Method)
	}
	o.Auth.Kind = strings.ToLower(o.Auth.Kind)
	switch o.Auth.Kind {
	case "", "none":
		o.Auth = webhook.Auth{Kind: "none"}
	case "basic":
		if o.Auth.User == "" || o.Auth.Pass == "" {
			return o, errors.New("basic authentication needs a user and a password")
		}
	case "bearer":
		if o.Auth.Token == "" {
			return o, errors.New("bearer authentication needs a token")
		}
	default:
		return o, fmt.Errorf("authentication %q: use none, basic or bearer", o.Auth.Kind)
	}
	if len(o.Kinds) == 0 {
		o.Kinds = append([]Kind(nil), AllKinds...)
	}
	seen := map[Kind]bool{}
	var kinds []Kind
	for _, k := range o.Kinds {
		if k != KindInbound && k != KindDeliveryReport {
			return o, fmt.Errorf("kind %q: use %s or %s", k, KindInbound, KindDeliveryReport)
		}
		if !seen[k] {
			seen[k] = true
			kinds = append(kinds, k)
		}
	}
	o.Kinds = kinds
	if o.Timeout < 0 {
		return o, errors.New("the timeout cannot be negative")
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Resolver == nil {
		o.Resolver = net.DefaultResolver
	}
	if o.Dialer == nil {
		o.Dialer = &net.Dialer{}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o, nil
}

// MaskAuth shows an authentication without its secret: "none",
// "basic:USER:****" or "bearer:****".
func MaskAuth(a webhook.Auth) string {
	switch strings.ToLower(a.Kind) {
	case "basic":
		return "basic:" + a.User + ":****"
	case "bearer":
		return "bearer:****"
	}
	return "none"
}

// SystemRootsWith is the system's root certificates plus those in pem, for
// Options.RootCAs. It fails when pem holds no certificate.
func SystemRootsWith(pem []byte) (*x509.CertPool, error) {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool() // no system roots here: the extra ones alone
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, errors.New("no PEM certificate found")
	}
	return pool, nil
}

// Checker runs the checklist for one URL, one check at a time.
type Checker struct {
	raw  string
	opts Options
	plan []step
	next int
	done []Result

	// Learned by the checks, used by the later ones.
	u      *url.URL
	host   string // without brackets
	port   string
	addrs  []netip.Addr // resolved; the one that connected first
	stop   string       // why the remaining network checks are skipped, once one failed
	sentOK map[Kind]bool
}

type step struct {
	id, name string
	kind     Kind
	run      func(c *Checker, ctx context.Context, s step) Result
}

// New prepares the checklist for rawURL. It fails only on bad options; a
// bad URL is reported by the first check.
func New(rawURL string, opts Options) (*Checker, error) {
	o, err := opts.normalize()
	if err != nil {
		return nil, err
	}
	c := &Checker{raw: rawURL, opts: o, sentOK: map[Kind]bool{}}
	c.plan = []step{
		{id: IDURL, name: "URL is https", run: (*Checker).checkURL},
		{id: IDDNS, name: "Host resolves to a public address", run: (*Checker).checkDNS},
		{id: IDTCP, name: "TCP connects", run: (*Checker).checkTCP},
		{id: IDTLS, name: "TLS certificate and version", run: (*Checker).checkTLS},
	}
	if o.Sandbox {
		c.plan[1].name = "Host resolves to a loopback address"
	}
	for _, k := range o.Kinds {
		c.plan = append(c.plan, step{id: IDEvent + "/" + string(k), name: k.Title() + " answered 2xx", kind: k, run: (*Checker).checkEvent})
	}
	for _, k := range o.Kinds {
		c.plan = append(c.plan, step{id: IDRefuse + "/" + string(k), name: k.Title() + " with wrong credentials refused", kind: k, run: (*Checker).checkRefusal})
	}
	return c, nil
}

// Plan lists every check in order, those run so far with their results and
// the others pending.
func (c *Checker) Plan() []Result {
	out := make([]Result, len(c.plan))
	for i, s := range c.plan {
		if i < len(c.done) {
			out[i] = c.done[i]
		} else {
			out[i] = Result{Index: i, ID: s.id, Name: s.name, Status: StatusPending}
		}
	}
	return out
}

// Next runs the next check and returns its result, or false when every
// check has run.
func (c *Checker) Next(ctx context.Context) (Result, bool) {
	if c.next >= len(c.plan) {
		return Result{}, false
	}
	s := c.plan[c.next]
	var r Result
	switch {
	case ctx.Err() != nil:
		r = Result{Status: StatusSkip, Detail: "not run: the checks were cancelled"}
	case c.stop != "" && s.id != IDURL:
		r = Result{Status: StatusSkip, Detail: "not run: " + c.stop}
	default:
		start := time.Now()
		r = s.run(c, ctx, s)
		r.Elapsed = time.Since(start)
		// A check cut short by the caller says so, rather than blaming
		// the endpoint for the failure or warning that cutting it caused.
		if (r.Status == StatusFail || r.Status == StatusWarn) && ctx.Err() != nil {
			r.Status, r.Detail, r.Remedy, r.HTTP = StatusFail, "cancelled before it finished", "Run the checks again.", nil
			c.stop = "the checks were cancelled"
		}
	}
	r.Index, r.ID, r.Name = c.next, s.id, s.name
	c.done = append(c.done, r)
	c.next++
	return r, true
}

// Done reports whether every check has run.
func (c *Checker) Done() bool { return c.next >= len(c.plan) }

// Report is the checklist so far (every check once Done).
func (c *Checker) Report() Report {
	rep := Report{URL: redactURL(c.raw), Method: c.opts.Method, Auth: MaskAuth(c.opts.Auth),
		Kinds: c.opts.Kinds, Sandbox: c.opts.Sandbox, Checks: c.Plan()}
	for _, r := range c.done {
		switch r.Status {
		case StatusPass:
			rep.Passed++
		case StatusWarn:
			rep.Warnings++
		case StatusFail:
			rep.Failed++
		case StatusSkip:
			rep.Skipped++
		}
	}
	rep.OK = rep.Failed == 0 && c.Done()
	return rep
}

// Run runs every check, handing each result to onResult (which may be nil)
// as it completes, and returns the report. It fails only on bad options.
func Run(ctx context.Context, rawURL string, opts Options, onResult func(Result)) (Report, error) {
	c, err := New(rawURL, opts)
	if err != nil {
		return Report{}, err
	}
	for {
		r, ok := c.Next(ctx)
		if !ok {
			return c.Report(), nil
		}
		if onResult != nil {
			onResult(r)
		}
	}
}

// DisplayURL is raw as reports show it: any credentials in it masked,
// bounded in length, safe to print.
func DisplayURL(raw string) string { return redactURL(raw) }

// redactURL shows a URL with any userinfo in it (a user name may be a
// token too) replaced by ****; an unparsable one is cut at its last '@'.
func redactURL(raw string) string {
	if len(raw) > MaxURL {
		raw = raw[:MaxURL]
	}
	if u, err := url.Parse(raw); err == nil {
		if u.User != nil {
			u.User = nil
			s := u.String()
			if i := strings.Index(s, "://"); i >= 0 {
				return printable(s[:i+3]+"****@"+s[i+3:], MaxURL+10)
			}
			return printable(s, MaxURL+10)
		}
		return printable(u.String(), MaxURL+10)
	}
	if i := strings.LastIndexByte(raw, '@'); i >= 0 {
		raw = "…" + raw[i:]
	}
	return printable(raw, MaxURL+10)
}
