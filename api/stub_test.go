package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// stubServer is an httpmock-style registry: each "METHOD /path" answers from
// a queue of responders (the last one repeats), and every request is logged.
// It scripts the server behaviours the sandbox does not produce on demand.
type stubServer struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	routes map[string][]http.HandlerFunc
	log    []stubRequest
	tokens int
	// clock, when set, is the server's clock: its Date header (which the
	// client reads to measure the server's clock against its own).
	clock func() time.Time
}

type stubRequest struct {
	Method, Path, Auth string
	Body               map[string]any
}

func newStub(t *testing.T) *stubServer {
	s := &stubServer{t: t, routes: map[string][]http.HandlerFunc{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	// By default the token endpoint hands out tok-1, tok-2, … valid for an hour.
	s.on("POST /v1.0/oauth2/tokens", s.issueToken(time.Now().Add(time.Hour)))
	return s
}

func (s *stubServer) serve(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	var body map[string]any
	_ = json.Unmarshal(raw, &body)
	key := r.Method + " " + r.URL.Path
	s.mu.Lock()
	s.log = append(s.log, stubRequest{Method: r.Method, Path: r.URL.Path, Auth: r.Header.Get("Authorization"), Body: body})
	queue := s.routes[key]
	var h http.HandlerFunc
	if len(queue) > 0 {
		h = queue[0]
		if len(queue) > 1 {
			s.routes[key] = queue[1:]
		}
	}
	clock := s.clock
	s.mu.Unlock()
	if clock != nil {
		w.Header().Set("Date", clock().UTC().Format(http.TimeFormat))
	}
	if h == nil {
		s.t.Errorf("stub: unexpected %s", key)
		http.Error(w, "unexpected", http.StatusTeapot)
		return
	}
	h(w, r)
}

// on replaces the responders of a route.
func (s *stubServer) on(route string, hs ...http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.routes[route] = hs
}

func (s *stubServer) requests(route string) []stubRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []stubRequest
	for _, r := range s.log {
		if route == "" || r.Method+" "+r.Path == route {
			out = append(out, r)
		}
	}
	return out
}

func (s *stubServer) issueToken(expiry time.Time) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.tokens++
		n := s.tokens
		s.mu.Unlock()
		writeJSON(w, 200, map[string]any{"token": fmt.Sprintf("tok-%d", n), "successful": true,
			"tokenExpiry": expiry.UTC().Format("01/02/2006 03:04:05 PM")})
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func reply(status int, v any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { writeJSON(w, status, v) }
}

func apiError(status int, msg string) http.HandlerFunc {
	return reply(status, map[string]any{"StatusCode": status, "Message": msg})
}

// hangUp reads the request and closes the connection without answering:
// the server may have acted, the client cannot know.
func hangUp(w http.ResponseWriter, r *http.Request) {
	_, _ = io.ReadAll(r.Body)
	panic(http.ErrAbortHandler)
}

// fakeSleeps records the waits instead of waiting.
type fakeSleeps struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (f *fakeSleeps) sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	f.waits = append(f.waits, d)
	f.mu.Unlock()
	return ctx.Err()
}

func (f *fakeSleeps) got() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.waits...)
}

// newStubClient returns a client for the stub with instant, recorded sleeps
// and no pacing, so retry tests run in microseconds.
func newStubClient(t *testing.T, s *stubServer, opts ...Option) (*Client, *fakeSleeps) {
	t.Helper()
	opts = append([]Option{WithRateLimit(1 << 20)}, opts...)
	c, err := New(s.srv.URL+"/v1.0", Credentials{AccountKey: "key-1", AccountSecret: "s3cret-value"}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeSleeps{}
	c.sleep = f.sleep
	return c, f
}

func contains(haystack, needle string) bool { return strings.Contains(haystack, needle) }
