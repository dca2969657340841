// Package webhook receives the calls a Telegent message route makes: inbound
// messages to its MessageUrl and delivery reports to its CallbackMessageUrl.
// It checks the route's authentication, decodes leniently (the payloads are
// not public, see API-NOTES), keeps every raw body and hands the events to a
// UI or a log without ever making the sender wait.
package webhook

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// MaxBody is the largest body the receiver reads; a larger one is answered
// 413. Of what it reads, it keeps only the receiver's MaxKeptBody.
const MaxBody = 1 << 20

// Defaults for what a receiver holds, so that a flood of calls (or a few
// huge ones) cannot take its memory: the last DefaultKeep events, each with
// at most DefaultMaxKeptBody bytes of its body.
const (
	DefaultKeep        = 1000
	DefaultMaxKeptBody = 64 << 10
)

// maxHeaderBytes bounds the headers a call may send (each event keeps them).
const maxHeaderBytes = 32 << 10

// maxFieldBytes bounds each decoded field but the message body: IDs,
// numbers, statuses and timestamps are short.
const maxFieldBytes = 1 << 10

// Option sets a receiver's limits.
type Option func(*Receiver)

// WithKeep holds the last n events (n ≥ 1); older ones are dropped.
func WithKeep(n int) Option {
	return func(r *Receiver) {
		if n >= 1 {
			r.keep = n
		}
	}
}

// WithMaxKeptBody keeps at most n bytes of each body (0 keeps none), marking
// the cut in the event. Decoding still sees the whole body, up to MaxBody.
func WithMaxKeptBody(n int) Option {
	return func(r *Receiver) {
		if n >= 0 {
			r.maxKept = min(n, MaxBody)
		}
	}
}

// Kinds of events.
const (
	KindInbound      = "inbound"
	KindDelivery     = "delivery"
	KindUnauthorized = "unauthorized"
	KindUnknown      = "unknown"
)

// Auth is the authentication a route was configured with.
type Auth struct {
	Kind       string // "none", "basic" or "bearer"
	User, Pass string
	Token      string
}

// ParseAuth reads "none", "basic:USER:PASS" (PASS may contain ':') or
// "bearer:TOKEN".
func ParseAuth(s string) (Auth, error) {
	kind, rest, hasRest := strings.Cut(strings.TrimSpace(s), ":")
	switch strings.ToLower(kind) {
	case "", "none":
		if hasRest {
			return Auth{}, errors.New(`auth "none" takes no value`)
		}
		return Auth{Kind: "none"}, nil
	case "basic":
		user, pass, ok := strings.Cut(rest, ":")
		if !hasRest || !ok || user == "" || pass == "" {
			return Auth{}, errors.New("basic auth needs a user and a password: basic:USER:PASS")
		}
		return Auth{Kind: "basic", User: user, Pass: pass}, nil
	case "bearer":
		if !hasRest || rest == "" {
			return Auth{}, errors.New("bearer auth needs a token: bearer:TOKEN")
		}
		return Auth{Kind: "bearer", Token: rest}, nil
	}
	return Auth{}, fmt.Errorf("unknown auth %q: use none, basic:USER:PASS or bearer:TOKEN", kind)
}

// Describe says what to configure on the route, without the secret.
func (a Auth) Describe() string {
	switch a.Kind {
	case "basic":
		return fmt.Sprintf("Basic (username %q and the password you gave)", a.User)
	case "bearer":
		return "Bearer (the token you gave)"
	}
	return "None"
}

// check reports whether the request carries the expected credentials.
func (a Auth) check(req *http.Request) bool {
	switch a.Kind {
	case "basic":
		u, p, ok := req.BasicAuth()
		return ok && eq(u, a.User) && eq(p, a.Pass)
	case "bearer":
		h := req.Header.Get("Authorization")
		scheme, tok, ok := strings.Cut(h, " ")
		return ok && strings.EqualFold(scheme, "Bearer") && eq(strings.TrimSpace(tok), a.Token)
	}
	return true
}

func eq(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// Event is one call the receiver got.
type Event struct {
	Seq  int
	Time time.Time
	Kind string // "inbound", "delivery", "unauthorized", "unknown"

	Method, Path, Query, RemoteAddr string
	// Header is the request's headers with Authorization (and cookies)
	// redacted.
	Header     http.Header
	Authorized bool

	MessageID, From, To, Owner, Body, Status string
	Type, Timestamp                          string
	Segments                                 int

	Raw         []byte // the body as received (or the query for GET), cut at the receiver's limit
	Size        int    // bytes of body received (up to MaxBody+1), before any cut
	Truncated   bool   // Raw (or a decoded field) was cut to the receiver's limit
	DecodeError string
}

// retained estimates the bytes an event holds, for RetainedBytes.
func (e *Event) retained() int {
	n := len(e.Raw) + len(e.Query) + len(e.MessageID) + len(e.From) + len(e.To) + len(e.Owner) + len(e.Body) +
		len(e.Status) + len(e.Type) + len(e.Timestamp) + len(e.DecodeError) + len(e.RemoteAddr) + len(e.Path)
	for k, vs := range e.Header {
		n += len(k)
		for _, v := range vs {
			n += len(v)
		}
	}
	return n
}

// Receiver is an http.Handler for one path; safe for concurrent use. It
// holds the last Keep events in a ring, so its memory is bounded however
// many calls arrive.
type Receiver struct {
	path    string
	auth    Auth
	now     func() time.Time
	keep    int
	maxKept int

	mu   sync.Mutex
	ring []Event // len ≤ keep; the oldest at head once full
	head int
	seq  int // events ever received
	subs map[*subscriber]struct{}
}

// NewReceiver answers calls to path checked against auth, holding the last
// DefaultKeep events with DefaultMaxKeptBody of each body unless opts say
// otherwise.
func NewReceiver(path string, auth Auth, opts ...Option) *Receiver {
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	if auth.Kind == "" {
		auth.Kind = "none"
	}
	r := &Receiver{path: path, auth: auth, now: time.Now, keep: DefaultKeep, maxKept: DefaultMaxKeptBody,
		subs: map[*subscriber]struct{}{}}
	for _, o := range opts {
		o(r)
	}
	return r
}

// Keep is how many events the receiver holds.
func (r *Receiver) Keep() int { return r.keep }

// Path is the path the receiver answers on.
func (r *Receiver) Path() string { return r.path }

// Auth is the authentication the receiver checks.
func (r *Receiver) Auth() Auth { return r.auth }

func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.URL.Path != r.path {
		http.Error(w, `{"ok":false,"error":"not found"}`, http.StatusNotFound)
		return
	}
	if req.Method != http.MethodGet && req.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, `{"ok":false,"error":"method not allowed"}`, http.StatusMethodNotAllowed)
		return
	}
	ev := Event{Time: r.now(), Method: req.Method, Path: req.URL.Path, Query: req.URL.RawQuery,
		RemoteAddr: req.RemoteAddr, Header: redact(req.Header)}
	ev.Authorized = r.auth.check(req)
	if !ev.Authorized {
		// Refused credentials: the body is not read, let alone kept, so an
		// unauthenticated sender cannot fill the receiver's memory.
		ev.Kind = KindUnauthorized
		ev.Query = r.cut(ev.Query, r.maxKept, &ev.Truncated)
		r.add(ev)
		switch r.auth.Kind {
		case "basic":
			w.Header().Set("WWW-Authenticate", `Basic realm="telegent-onboard listen"`)
		case "bearer":
			w.Header().Set("WWW-Authenticate", `Bearer realm="telegent-onboard listen"`)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"ok":false,"error":"unauthorized"}`+"\n")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, MaxBody))
	ev.Size = len(body)
	tooLarge := false
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			tooLarge = true
			ev.Size = MaxBody + 1
			ev.DecodeError = fmt.Sprintf("body larger than %d bytes; not decoded", MaxBody)
		} else {
			ev.DecodeError = "reading the body: " + err.Error()
		}
	}
	if !tooLarge {
		decode(&ev, req, body)
	}
	classify(&ev)
	raw := body
	if req.Method == http.MethodGet && len(body) == 0 {
		raw = []byte(req.URL.RawQuery)
	}
	// Keep a copy of the cut only, so the full body's memory is freed.
	if len(raw) > r.maxKept {
		ev.Truncated = true
		raw = raw[:r.maxKept]
	}
	ev.Raw = bytes.Clone(raw)
	ev.Query = r.cut(ev.Query, r.maxKept, &ev.Truncated)
	ev.Body = r.cut(ev.Body, r.maxKept, &ev.Truncated)
	for _, f := range []*string{&ev.MessageID, &ev.From, &ev.To, &ev.Owner, &ev.Status, &ev.Type, &ev.Timestamp} {
		*f = r.cut(*f, maxFieldBytes, &ev.Truncated)
	}
	r.add(ev)
	w.Header().Set("Content-Type", "application/json")
	if tooLarge {
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		_, _ = io.WriteString(w, `{"ok":false,"error":"body too large"}`+"\n")
		return
	}
	_, _ = io.WriteString(w, `{"ok":true}`+"\n")
}

// cut shortens s to at most n bytes (on a UTF-8 boundary), as a copy so
// that a long original is not kept alive, and notes the cut.
func (r *Receiver) cut(s string, n int, cut *bool) string {
	if len(s) <= n {
		return s
	}
	*cut = true
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.Clone(s[:n])
}

func redact(h http.Header) http.Header {
	out := h.Clone()
	for _, k := range []string{"Authorization", "Proxy-Authorization", "Cookie"} {
		if vs := out.Values(k); len(vs) > 0 {
			red := make([]string, len(vs))
			for i, v := range vs {
				scheme, _, _ := strings.Cut(v, " ")
				if strings.EqualFold(scheme, "Basic") || strings.EqualFold(scheme, "Bearer") {
					red[i] = scheme + " [redacted]"
				} else {
					red[i] = "[redacted]"
				}
			}
			out[k] = red
		}
	}
	return out
}

// add numbers an event, stores it (dropping the oldest beyond Keep) and
// hands it to the subscribers.
func (r *Receiver) add(ev Event) {
	r.mu.Lock()
	r.seq++
	ev.Seq = r.seq
	if len(r.ring) < r.keep {
		r.ring = append(r.ring, ev)
	} else {
		r.ring[r.head] = ev
		r.head = (r.head + 1) % r.keep
	}
	for s := range r.subs {
		s.push(ev, r.keep)
	}
	r.mu.Unlock()
}

// Events is a snapshot of the events held (the last Keep), in arrival order.
// Seq numbers count every event ever received, so a gap shows what was
// dropped.
func (r *Receiver) Events() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Event, 0, len(r.ring))
	out = append(out, r.ring[r.head:]...)
	return append(out, r.ring[:r.head]...)
}

// Len is the number of events received so far, including any no longer held.
func (r *Receiver) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.seq
}

// RetainedBytes estimates the bytes of bodies, fields and headers the
// receiver holds: at most about Keep × (MaxKeptBody + a few KiB).
func (r *Receiver) RetainedBytes() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for i := range r.ring {
		n += r.ring[i].retained()
	}
	return n
}

// Subscribe returns a live feed of the events that arrive from now on and a
// function that ends it (and closes the channel). The sender never waits:
// each subscriber has a queue that a goroutine of its own feeds into the
// channel. The queue holds at most Keep events, like the receiver: a
// subscriber that falls further behind loses the oldest (a gap in Seq), so
// a slow reader cannot make memory grow without bound.
func (r *Receiver) Subscribe() (<-chan Event, func()) {
	s := &subscriber{out: make(chan Event, 256), kick: make(chan struct{}, 1), done: make(chan struct{})}
	r.mu.Lock()
	r.subs[s] = struct{}{}
	r.mu.Unlock()
	go s.pump()
	var once sync.Once
	return s.out, func() {
		once.Do(func() {
			r.mu.Lock()
			delete(r.subs, s)
			r.mu.Unlock()
			close(s.done)
		})
	}
}

type subscriber struct {
	mu    sync.Mutex
	queue []Event
	out   chan Event
	kick  chan struct{}
	done  chan struct{}
}

func (s *subscriber) push(ev Event, keep int) {
	s.mu.Lock()
	if len(s.queue) >= keep {
		s.queue = append(s.queue[:0], s.queue[len(s.queue)-keep+1:]...)
	}
	s.queue = append(s.queue, ev)
	s.mu.Unlock()
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

func (s *subscriber) pump() {
	defer close(s.out)
	for {
		select {
		case <-s.done:
			return
		case <-s.kick:
		}
		for {
			s.mu.Lock()
			batch := s.queue
			s.queue = nil
			s.mu.Unlock()
			if len(batch) == 0 {
				break
			}
			for _, ev := range batch {
				select {
				case s.out <- ev:
				case <-s.done:
					return
				}
			}
		}
	}
}

// Running is a receiver listening on a port.
type Running struct {
	URL      string // e.g. http://127.0.0.1:8090/telegent/messages
	Addr     string // the address actually bound
	Receiver *Receiver

	srv  *http.Server
	done chan error
}

// Start listens on addr (port 0 picks one) and serves a receiver on path.
// The server bounds each call: headers in 10 s and 32 KiB, the whole request
// in 30 s, the answer in 30 s, so a slow or endless sender cannot hold it.
func Start(addr, path string, auth Auth, opts ...Option) (*Running, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	rec := NewReceiver(path, auth, opts...)
	srv := &http.Server{Handler: rec, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: maxHeaderBytes}
	r := &Running{URL: "http://" + ln.Addr().String() + rec.Path(), Addr: ln.Addr().String(), Receiver: rec,
		srv: srv, done: make(chan error, 1)}
	go func() { r.done <- srv.Serve(ln) }()
	return r, nil
}

// Close stops listening, letting calls in progress finish for up to two
// seconds.
func (r *Running) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := r.srv.Shutdown(ctx)
	if err != nil {
		err = r.srv.Close()
	}
	if serr := <-r.done; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// fields are the decoded values, keyed by normalized name.
type fields map[string]string

// norm lower-cases a key and drops underscores, dashes and spaces.
func norm(k string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(k) {
		if c != '_' && c != '-' && c != ' ' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func (f fields) first(names ...string) string {
	for _, n := range names {
		if v, ok := f[n]; ok && v != "" {
			return v
		}
	}
	return ""
}

// decode fills the message fields from a JSON object, form values or the
// query, whichever the request carries.
func decode(ev *Event, req *http.Request, body []byte) {
	f := fields{}
	addValues := func(v url.Values) {
		for k, vs := range v {
			if len(vs) > 0 {
				if _, ok := f[norm(k)]; !ok {
					f[norm(k)] = vs[0]
				}
			}
		}
	}
	trimmed := bytes.TrimSpace(body)
	ct := strings.ToLower(req.Header.Get("Content-Type"))
	switch {
	case len(trimmed) == 0:
	case trimmed[0] == '{' || trimmed[0] == '[':
		// JSON, whatever the Content-Type says (curl -d labels it a form).
		var obj map[string]any
		d := json.NewDecoder(bytes.NewReader(trimmed))
		d.UseNumber()
		if err := d.Decode(&obj); err != nil {
			ev.DecodeError = "body is not a JSON object: " + err.Error()
			break
		}
		for k, v := range obj {
			if s := scalar(v); s != "" {
				f[norm(k)] = s
			}
		}
	default:
		v, err := url.ParseQuery(string(trimmed))
		isForm := strings.HasPrefix(ct, "application/x-www-form-urlencoded")
		switch {
		case err == nil && (isForm || known(v)):
			addValues(v)
		case isForm:
			ev.DecodeError = "form body: " + err.Error()
			addValues(v)
		default:
			ev.DecodeError = "body is neither a JSON object nor form values"
		}
	}
	addValues(req.URL.Query()) // the query fills what the body does not say
	ev.MessageID = f.first("messageid", "id", "msgid", "smsid")
	ev.From = f.first("from", "sender", "source")
	ev.To = f.first("to", "recipient", "destination")
	ev.Owner = f.first("owner")
	ev.Body = f.first("messagebody", "body", "text", "message")
	ev.Status = f.first("status", "deliverystatus", "dlrstatus", "state")
	ev.Type = f.first("type", "eventtype", "event")
	ev.Timestamp = f.first("timestamp", "time", "date", "datetime")
	if s := f.first("segment", "segments", "segmentcount", "numsegments"); s != "" {
		if n, err := strconv.Atoi(s); err == nil {
			ev.Segments = n
		} else if fl, err := strconv.ParseFloat(s, 64); err == nil {
			ev.Segments = int(fl)
		}
	}
}

func known(v url.Values) bool {
	for k := range v {
		switch norm(k) {
		case "messageid", "id", "from", "to", "body", "messagebody", "text", "status", "deliverystatus", "type":
			return true
		}
	}
	return false
}

// scalar turns a JSON value into the string the event shows: numbers and
// booleans as written; a list of recipients ([{"Number":…}] or strings)
// joined with commas.
func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case []any:
		var parts []string
		for _, e := range x {
			if s := scalar(e); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			switch norm(k) {
			case "number", "phonenumber", "to":
				return scalar(x[k])
			}
		}
	}
	return ""
}

func classify(ev *Event) {
	t := strings.ToLower(ev.Type)
	switch {
	case ev.Status != "" || strings.Contains(t, "deliver") || strings.Contains(t, "dlr"):
		ev.Kind = KindDelivery
	case ev.Body != "":
		ev.Kind = KindInbound
	default:
		ev.Kind = KindUnknown
	}
}
