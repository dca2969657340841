package api

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder is a plain-http loopback server that must never be reached: it
// records whatever arrives.
type recorder struct {
	srv  *httptest.Server
	mu   sync.Mutex
	hits []string
}

func newRecorder(t *testing.T) *recorder {
	r := &recorder{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.hits = append(r.hits, req.Method+" "+req.URL.Path+" auth="+req.Header.Get("Authorization"))
		r.mu.Unlock()
		writeJSON(w, 200, map[string]any{"token": "stolen", "MessageRouteId": "MRID-evil"})
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *recorder) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.hits...)
}

// tlsStub is the stub server over TLS, with a client that trusts its
// certificate through WithRootCAs (verification stays on).
func tlsStub(t *testing.T) (*stubServer, *Client) {
	t.Helper()
	s := &stubServer{t: t, routes: map[string][]http.HandlerFunc{}}
	s.srv = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	s.on("POST /v1.0/oauth2/tokens", s.issueToken(time.Now().Add(time.Hour)))
	pool := x509.NewCertPool()
	pool.AddCert(s.srv.Certificate())
	c, err := New(s.srv.URL+"/v1.0", Credentials{AccountKey: "key-1", AccountSecret: "s3cret-value"},
		WithRateLimit(1<<20), WithRootCAs(pool))
	if err != nil {
		t.Fatal(err)
	}
	c.sleep = (&fakeSleeps{}).sleep
	return s, c
}

func redirectTo(target string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target+r.URL.Path, http.StatusTemporaryRedirect)
	}
}

func TestCrossOriginRedirectOfTheTokenRequestSendsNothing(t *testing.T) {
	evil := newRecorder(t)
	s, c := tlsStub(t)
	s.on("POST /v1.0/oauth2/tokens", redirectTo(evil.srv.URL))
	err := c.Authenticate(context.Background())
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindRedirect {
		t.Fatalf("want a redirect refusal, got %#v", err)
	}
	for _, want := range []string{s.srv.URL + "/v1.0/oauth2/tokens", evil.srv.URL + "/v1.0/oauth2/tokens"} {
		if !strings.Contains(e.Error(), want) {
			t.Errorf("error %q does not name %s", e.Error(), want)
		}
	}
	if e.Remedy == "" || errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("remedy %q, unknown outcome %v: want a remedy and a known outcome", e.Remedy, errors.Is(err, ErrOutcomeUnknown))
	}
	if hits := evil.got(); len(hits) != 0 {
		t.Errorf("the redirect target received %v", hits)
	}
	if n := len(s.requests("POST /v1.0/oauth2/tokens")); n != 1 {
		t.Errorf("token request sent %d times, want 1 (a refused redirect is not retried)", n)
	}
}

func TestCrossOriginRedirectOfACreateSendsNoTokenNorPassword(t *testing.T) {
	evil := newRecorder(t)
	s, c := tlsStub(t)
	s.on("POST /v1.0/message/routes", redirectTo(evil.srv.URL))
	s.on("GET /v1.0/numbers/order", redirectTo(evil.srv.URL))
	_, err := c.CreateMessageRoute(context.Background(), routeReq)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindRedirect {
		t.Fatalf("create: want a redirect refusal, got %#v", err)
	}
	if _, err := c.GetOrder(context.Background(), "JNUOID-1"); !errors.As(err, &e) || e.Kind != KindRedirect {
		t.Fatalf("lookup: want a redirect refusal, got %#v", err)
	}
	if hits := evil.got(); len(hits) != 0 {
		t.Errorf("the redirect target received %v", hits)
	}
}

func TestRedirectToAnotherPortOrHostIsRefused(t *testing.T) {
	other, _ := tlsStub(t) // https too, but another port
	for name, target := range map[string]string{
		"another port":   other.srv.URL,
		"another host":   strings.Replace(other.srv.URL, "127.0.0.1", "localhost", 1),
		"another scheme": strings.Replace(other.srv.URL, "https://", "http://", 1),
	} {
		t.Run(name, func(t *testing.T) {
			s, c := tlsStub(t)
			s.on("GET /v1.0/numbers/order", redirectTo(target))
			_, err := c.GetOrder(context.Background(), "JNUOID-1")
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindRedirect {
				t.Fatalf("want a redirect refusal, got %#v", err)
			}
			if n := len(other.requests("")); n != 0 {
				t.Errorf("the other server received %d requests", n)
			}
		})
	}
}

func TestSameOriginRedirectsAreFollowedOnlyWhenSafe(t *testing.T) {
	s, c := tlsStub(t)
	// 307 keeps the method and body: followed, once.
	s.on("POST /v1.0/message/routes", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/v1.0/message/routes2", http.StatusTemporaryRedirect)
	})
	s.on("POST /v1.0/message/routes2", reply(200, map[string]any{"MessageRouteId": "MRID-1"}))
	got, err := c.CreateMessageRoute(context.Background(), routeReq)
	if err != nil || got.MessageRouteId != "MRID-1" {
		t.Fatalf("same-origin 307: %v %+v", err, got)
	}
	if r := s.requests("POST /v1.0/message/routes2"); len(r) != 1 || r[0].Body["RouteName"] != "r" || r[0].Auth != "Bearer tok-1" {
		t.Errorf("the redirected create arrived as %+v", r)
	}
	// 302 would turn the create into a GET without its body: refused.
	s.on("POST /v1.0/voice/routes", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/v1.0/elsewhere", http.StatusFound)
	})
	_, err = c.CreateVoiceRoute(context.Background(), VoiceRouteRequest{RouteName: "v", RouteType: "Trunk"})
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindRedirect {
		t.Fatalf("302 on a create: want a refusal, got %#v", err)
	}
	if n := len(s.requests("GET /v1.0/elsewhere")); n != 0 {
		t.Errorf("followed the 302 with %d GETs", n)
	}
}

// testCA issues certificates for loopback TLS servers.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pool *x509.CertPool
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "telegent-onboard test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour), IsCA: true,
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &testCA{cert: cert, key: key, pool: pool}
}

// leaf is a server certificate for the given names and IPs, valid in
// [notBefore, notAfter].
func (ca *testCA) leaf(t *testing.T, dns []string, ips []net.IP, notBefore, notAfter time.Time) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "server"},
		DNSNames: dns, IPAddresses: ips, NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func tlsServer(t *testing.T, cert tls.Certificate) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"token": "tok", "tokenExpiry": "", "OrderStatus": "Complete"})
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

func TestTLSFailuresSayWhatIsWrongAndWhatToCheck(t *testing.T) {
	ca := newTestCA(t)
	loop := []net.IP{net.IPv4(127, 0, 0, 1)}
	now := time.Now()
	for _, tc := range []struct {
		name      string
		cert      tls.Certificate
		trustCA   bool
		msg       string
		remedyHas string
	}{
		{"unknown authority", ca.leaf(t, nil, loop, now.Add(-time.Hour), now.Add(time.Hour)), false,
			"authority this machine does not trust", "trust store"},
		{"wrong host name", ca.leaf(t, []string{"api.example.net"}, nil, now.Add(-time.Hour), now.Add(time.Hour)), true,
			"does not match the host name", "host name in the base URL"},
		{"expired", ca.leaf(t, nil, loop, now.Add(-48*time.Hour), now.Add(-24*time.Hour)), true,
			"has expired", "date and time"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := tlsServer(t, tc.cert)
			var opts []Option
			if tc.trustCA {
				opts = append(opts, WithRootCAs(ca.pool))
			}
			c, err := New(srv.URL+"/v1.0", Credentials{AccountKey: "k", AccountSecret: "secret-1"}, append(opts, WithRateLimit(1<<20))...)
			if err != nil {
				t.Fatal(err)
			}
			sleeps := &fakeSleeps{}
			c.sleep = sleeps.sleep
			err = c.Authenticate(context.Background())
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindTLS {
				t.Fatalf("want a TLS error, got %#v", err)
			}
			if !strings.Contains(e.Message, tc.msg) || !strings.Contains(e.Remedy, tc.remedyHas) {
				t.Errorf("message %q / remedy %q: want %q / %q", e.Message, e.Remedy, tc.msg, tc.remedyHas)
			}
			if strings.Contains(e.Remedy, "network connection") {
				t.Errorf("remedy %q blames the network", e.Remedy)
			}
			if len(sleeps.got()) != 0 {
				t.Errorf("retried a certificate failure: waits %v", sleeps.got())
			}
		})
	}
	t.Run("trusted through WithRootCAs", func(t *testing.T) {
		srv := tlsServer(t, ca.leaf(t, nil, loop, now.Add(-time.Hour), now.Add(time.Hour)))
		c, err := New(srv.URL+"/v1.0", Credentials{AccountKey: "k", AccountSecret: "secret-1"}, WithRootCAs(ca.pool))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Authenticate(context.Background()); err != nil {
			t.Fatalf("a certificate from the injected CA: %v", err)
		}
	})
}
