// Package sandbox is an in-memory stand-in for the Telegent API, built from
// its documents (the quickstart, the number-provision page, the OpenAPI
// subset and API-NOTES.md) rather than from the client in package api, so
// that a misreading in the client is caught instead of mirrored.
//
// It enforces the documented rules and, where the documents are silent,
// answers with a status and a message that say what to fix. Options inject
// latency, faults, lost responses and rate limits, all seeded, so that a
// client's retry logic can be exercised reproducibly.
package sandbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"path"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/telegent/telegent-onboard/api/validate"
)

// The one account every sandbox has. The ID never changes so that scripts
// and saved wizard state keep working across restarts.
const (
	DemoAccountKey    = "sandbox-key"
	DemoAccountSecret = "sandbox-secret"
	DemoAccountID     = "AID-5a4d6b0e-7c1f-4e2a-9b3d-0c8e5f1a2b3c"
	DemoCompanyName   = "Sandbox Telecom Inc."
)

// Options tune the sandbox. The zero value is a well-behaved server.
type Options struct {
	// TokenTTL is how long a token is valid; 0 means one hour.
	TokenTTL time.Duration
	// RequireAPIEndpoint refuses token requests without ApiEndpoint, as one
	// help page says the real API does.
	RequireAPIEndpoint bool
	// RateLimit is requests per minute per token (and per AccountKey on the
	// token endpoint); 0 means 50, the standard tier; negative disables it.
	RateLimit int
	// FaultRate is the fraction of /v1.0 requests answered 500, 503 or 429
	// (uniformly) after the latency and before authentication.
	FaultRate float64
	// LoseResponses is the fraction of successful creates that are carried
	// out and then answered by closing the connection, so the client cannot
	// know the outcome.
	LoseResponses float64
	// Latency is waited before each /v1.0 request is handled. A request whose
	// context ends meanwhile is abandoned without any effect.
	Latency time.Duration
	// Seed seeds every random choice (faults, lost responses, random
	// availability areas and numbers, eSIM activation codes): the same seed
	// and the same requests give the same behaviour. IDs and tokens come
	// from crypto/rand and are not reproducible.
	Seed int64
	// OrderDelay is how long a new order stays Pending; 0 completes it at
	// once.
	OrderDelay time.Duration
	// DeliveryDelay is how long after a send the delivery receipts are
	// posted; 0 means 300ms, negative means at once.
	DeliveryDelay time.Duration
	// Now is the clock for token expiry, rate limits and order status;
	// nil means time.Now.
	Now func() time.Time
	// WebhookClient posts delivery receipts; nil means a client with a 5s
	// timeout that follows redirects only to loopback hosts.
	WebhookClient *http.Client
	// Logf, when set, receives a line per webhook attempt, abandoned
	// request, lost response and recovered panic.
	Logf func(format string, args ...any)
}

// Server is the sandbox; it implements http.Handler and is safe for
// concurrent use.
type Server struct {
	opts    Options
	now     func() time.Time
	webhook *http.Client
	mux     *http.ServeMux
	paths   map[string][]string // path → methods, to tell 405 from 404

	ctx       context.Context // ends at Close; bounds webhook deliveries
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	closeOnce sync.Once

	// mu guards everything below. One lock is plenty for an in-memory
	// demo server and makes every operation trivially atomic.
	mu            sync.Mutex
	closed        bool
	rng           *rand.Rand
	tokens        map[string]*tokenInfo
	windows       map[string][]time.Time
	inv           *inventory
	messageRoutes []*messageRouteRec
	voiceRoutes   []*voiceRouteRec
	subscribers   []*Subscriber
	numbers       []*numberRec
	orders        []*orderRec
	messages      []*messageRec
	attempts      []WebhookAttempt
}

const (
	tokenPath = "/v1.0/oauth2/tokens"
	apiPrefix = "/v1.0"
)

// New returns a sandbox with an empty account and a full inventory.
func New(opts Options) *Server {
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = time.Hour
	}
	if opts.RateLimit == 0 {
		opts.RateLimit = 50
	}
	if opts.DeliveryDelay == 0 {
		opts.DeliveryDelay = 300 * time.Millisecond
	}
	s := &Server{
		opts:    opts,
		now:     opts.Now,
		webhook: opts.WebhookClient,
		mux:     http.NewServeMux(),
		paths:   map[string][]string{},
		rng:     rand.New(rand.NewPCG(uint64(opts.Seed), 0x7e1e9e47)),
		tokens:  map[string]*tokenInfo{},
		windows: map[string][]time.Time{},
		inv:     newInventory(),
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.webhook == nil {
		s.webhook = &http.Client{Timeout: 5 * time.Second, CheckRedirect: loopbackRedirectsOnly}
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.routes()
	return s
}

// Close stops pending webhook deliveries and waits for them to return. The
// server still answers requests afterwards but schedules no deliveries.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		s.cancel()
	})
	s.wg.Wait()
}

func (s *Server) routes() {
	s.handle("POST", tokenPath, false, s.createToken)

	s.handle("POST", "/v1.0/message/routes", true, s.createMessageRoute)
	s.handle("GET", "/v1.0/message/routes", false, s.getMessageRoute)
	s.handle("GET", "/v1.0/account/message/routes", false, s.listMessageRoutes)
	s.handle("POST", "/v1.0/message/routes/delete", false, s.deleteMessageRoute)

	s.handle("POST", "/v1.0/voice/routes", true, s.createVoiceRoute)
	s.handle("GET", "/v1.0/voice/routes", false, s.getVoiceRoute)
	s.handle("GET", "/v1.0/account/voice/routes", false, s.listVoiceRoutes)
	s.handle("POST", "/v1.0/voice/routes/delete", false, s.deleteVoiceRoute)

	s.handle("POST", "/v1.0/numbers/availability", false, s.availability)
	s.handle("POST", "/v1.0/numbers/provision", true, s.provision)
	s.handle("GET", "/v1.0/numbers/order", false, s.getOrder)
	s.handle("GET", "/v1.0/numbers", false, s.getNumber)
	s.handle("GET", "/v1.0/numbers/inventory", false, s.numberInventory)
	s.handle("POST", "/v1.0/numbers/status", true, s.changeNumberStatus)

	s.handle("POST", "/v1.0/subscribers/create", true, s.createSubscriber)
	s.handle("GET", "/v1.0/subscribers/get", false, s.getSubscriber)

	s.handle("POST", "/v1.0/message/outbound", true, s.sendMessage)
	s.handle("GET", "/v1.0/message/details", false, s.messageDetails)
	s.handle("GET", "/v1.0/message/search", false, s.searchMessages)

	s.handle("GET", "/_sandbox/info", false, s.info)
	s.handle("GET", "/_sandbox/resources", false, s.resourcesHandler)

	// The stdlib mux answers unknown paths and wrong methods in plain text;
	// this catch-all keeps both in the documented JSON shape. Because it
	// matches every method, the mux never produces its own 405.
	s.mux.HandleFunc("/", s.noRoute)
}

type handlerFunc func(r *http.Request) (any, *apiError)

func (s *Server) handle(method, p string, create bool, h handlerFunc) {
	s.paths[p] = append(s.paths[p], method)
	s.mux.HandleFunc(method+" "+p, func(w http.ResponseWriter, r *http.Request) {
		v, e := h(r)
		if e != nil {
			writeError(w, e)
			return
		}
		if create && s.loseResponse() {
			s.logf("sandbox: %s %s carried out; response deliberately lost", r.Method, r.URL.Path)
			panic(http.ErrAbortHandler) // net/http closes the connection without answering
		}
		writeJSON(w, http.StatusOK, v)
	})
}

func (s *Server) noRoute(w http.ResponseWriter, r *http.Request) {
	if methods, ok := s.paths[r.URL.Path]; ok {
		w.Header().Set("Allow", strings.Join(methods, ", "))
		writeError(w, &apiError{Status: http.StatusMethodNotAllowed, Message: msgMethodNotAllowed})
		return
	}
	writeError(w, &apiError{Status: http.StatusNotFound, Message: msgNotFound})
}

// ServeHTTP runs /v1.0 requests through latency, fault injection,
// authentication and the rate limit, in that order, before routing them.
// /_sandbox requests skip all of that.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.logf("sandbox: panic serving %s %s: %v\n%s", r.Method, r.URL.Path, v, debug.Stack())
			writeError(w, &apiError{Status: http.StatusInternalServerError, Message: msgInternal})
		}
	}()
	r = normalisePath(r)
	p := r.URL.Path
	switch {
	case p == "/_sandbox" || strings.HasPrefix(p, "/_sandbox/"):
	case p == apiPrefix || strings.HasPrefix(p, apiPrefix+"/"):
		// net/http notices a client hanging up only once the request body
		// has been read to the end, so the body is buffered before the wait:
		// otherwise an abandoned create would sit out the latency and then
		// be carried out for nobody.
		if r.Body != nil && r.Body != http.NoBody {
			body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
			if err != nil {
				s.logf("sandbox: %s %s abandoned: reading the body failed: %v", r.Method, p, err)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		if !s.waitLatency(r.Context()) {
			s.logf("sandbox: %s %s abandoned: the client went away during the latency wait", r.Method, p)
			return
		}
		if e := s.fault(); e != nil {
			writeError(w, e)
			return
		}
		if p != tokenPath {
			tok, e := s.authenticate(r)
			if e == nil {
				e = s.allow("token " + tok)
			}
			if e != nil {
				writeError(w, e)
				return
			}
		}
	default:
		writeError(w, &apiError{Status: http.StatusNotFound, Message: msgNotFound})
		return
	}
	s.mux.ServeHTTP(w, r)
}

// normalisePath lower-cases and cleans the path, because the API documents
// the token path as both /v1.0/oauth2/tokens and /v1.0/OAuth2/tokens, and a
// cleaned path means the mux never answers with its own redirect.
func normalisePath(r *http.Request) *http.Request {
	p := path.Clean("/" + strings.ToLower(r.URL.Path))
	if p == r.URL.Path && r.URL.RawPath == "" {
		return r
	}
	r2 := new(http.Request)
	*r2 = *r
	u := *r.URL
	u.Path, u.RawPath = p, ""
	r2.URL = &u
	return r2
}

func (s *Server) waitLatency(ctx context.Context) bool {
	if d := s.opts.Latency; d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return false
		}
	}
	return ctx.Err() == nil
}

func (s *Server) fault() *apiError {
	if s.opts.FaultRate <= 0 {
		return nil
	}
	s.mu.Lock()
	hit := s.rng.Float64() < s.opts.FaultRate
	pick := 0
	if hit {
		pick = s.rng.IntN(3)
	}
	s.mu.Unlock()
	if !hit {
		return nil
	}
	switch pick {
	case 0:
		return &apiError{Status: http.StatusInternalServerError, Message: msgInternal}
	case 1:
		return &apiError{Status: http.StatusServiceUnavailable, Message: msgUnavailable}
	default:
		return &apiError{Status: http.StatusTooManyRequests, Message: msgTooManyRequests, RetryAfter: 1}
	}
}

func (s *Server) loseResponse() bool {
	if s.opts.LoseResponses <= 0 {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rng.Float64() < s.opts.LoseResponses
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}

func loopbackRedirectsOnly(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("stopped after 5 redirects")
	}
	if !validate.IsLoopbackHost(req.URL.Hostname()) {
		return fmt.Errorf("redirect to non-loopback host %q refused: the sandbox only calls loopback webhooks", req.URL.Hostname())
	}
	return nil
}

// info describes how to reach this sandbox; it needs no token.
func (s *Server) info(r *http.Request) (any, *apiError) {
	return map[string]string{
		"AccountId":     DemoAccountID,
		"AccountKey":    DemoAccountKey,
		"AccountSecret": DemoAccountSecret,
		"BaseURL":       "http://" + r.Host + apiPrefix,
	}, nil
}

func (s *Server) resourcesHandler(*http.Request) (any, *apiError) {
	return s.Resources(), nil
}
