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
)

// MaxBody is the largest body the receiver reads.
const MaxBody = 1 << 20

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

	Raw         []byte // the body as received (or the query for GET)
	DecodeError string
}

// Receiver is an http.Handler for one path; safe for concurrent use.
type Receiver struct {
	path string
	auth Auth
	now  func() time.Time

	mu     sync.Mutex
	events []Event
	subs   map[*subscriber]struct{}
}

// NewReceiver answers calls to path checked against auth.
func NewReceiver(path string, auth Auth) *Receiver {
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	if auth.Kind == "" {
		auth.Kind = "none"
	}
	return &Receiver{path: path, auth: auth, now: time.Now, subs: map[*subscriber]struct{}{}}
}

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
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, MaxBody))
	tooLarge := false
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			tooLarge = true
			ev.DecodeError = fmt.Sprintf("body larger than %d bytes; the first %d kept", MaxBody, len(body))
		} else {
			ev.DecodeError = "reading the body: " + err.Error()
		}
	}
	ev.Raw = body
	if req.Method == http.MethodGet && len(body) == 0 {
		ev.Raw = []byte(req.URL.RawQuery)
	}
	ev.Authorized = r.auth.check(req)
	if !ev.Authorized {
		ev.Kind = KindUnauthorized
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
	if !tooLarge {
		decode(&ev, req, body)
	}
	classify(&ev)
	r.add(ev)
	w.Header().Set("Content-Type", "application/json")
	if tooLarge {
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		_, _ = io.WriteString(w, `{"ok":false,"error":"body too large"}`+"\n")
		return
	}
	_, _ = io.WriteString(w, `{"ok":true}`+"\n")
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

// add numbers an event, stores it and hands it to the subscribers.
func (r *Receiver) add(ev Event) {
	r.mu.Lock()
	ev.Seq = len(r.events) + 1
	r.events = append(r.events, ev)
	for s := range r.subs {
		s.push(ev)
	}
	r.mu.Unlock()
}

// Events is a snapshot of every event so far, in arrival order.
func (r *Receiver) Events() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}

// Len is the number of events so far.
func (r *Receiver) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}

// Subscribe returns a live feed of the events that arrive from now on and a
// function that ends it (and closes the channel). The sender never waits:
// each subscriber has an unbounded queue that a goroutine of its own feeds
// into the channel, so nothing is dropped however far behind it falls (and
// every event is in Events() anyway).
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

func (s *subscriber) push(ev Event) {
	s.mu.Lock()
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
func Start(addr, path string, auth Auth) (*Running, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	rec := NewReceiver(path, auth)
	srv := &http.Server{Handler: rec, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
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
