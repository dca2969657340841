package check

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"
)

// testCA is a certificate authority made for one test.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pool *x509.CertPool
}

func newCA(t *testing.T) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Telegent Test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(10 * 365 * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &testCA{cert: cert, key: key, pool: pool}
}

// leaf issues a server certificate for names (DNS names or IP literals)
// valid from notBefore to notAfter.
func (ca *testCA) leaf(t *testing.T, names []string, notBefore, notAfter time.Time) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: names[0]},
		NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// validLeaf is a certificate for names valid from an hour ago for a year.
func (ca *testCA) validLeaf(t *testing.T, names ...string) tls.Certificate {
	return ca.leaf(t, names, time.Now().Add(-time.Hour), time.Now().Add(365*24*time.Hour))
}

// tlsServer serves h over TLS with cert on a free loopback port.
func tlsServer(t *testing.T, h http.Handler, cert tls.Certificate) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.Config.ErrorLog = quietLog() // handshake failures are the point of some tests
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// fakeNet is a resolver and dialer for tests: names resolve only as
// listed, and a dial reaches only the listed addresses, each redirected to
// a loopback listener. Nothing is ever looked up or dialled for real
// outside loopback.
type fakeNet struct {
	t     *testing.T
	mu    sync.Mutex
	names map[string][]netip.Addr
	to    map[string]string // "203.0.113.10:443" → "127.0.0.1:41234"
	errs  map[string]error  // dial errors by address
	looks []string
	dials []string
}

func newFakeNet(t *testing.T) *fakeNet {
	return &fakeNet{t: t, names: map[string][]netip.Addr{}, to: map[string]string{}, errs: map[string]error{}}
}

// route makes host resolve to addr and connections to addr:port reach srv.
func (f *fakeNet) route(host, addr string, srv *httptest.Server) (port string) {
	_, port, _ = net.SplitHostPort(srv.Listener.Addr().String())
	a := netip.MustParseAddr(addr)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.names[host] = append(f.names[host], a)
	f.to[net.JoinHostPort(addr, port)] = srv.Listener.Addr().String()
	return port
}

func (f *fakeNet) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.looks = append(f.looks, host)
	if a, ok := f.names[host]; ok {
		return a, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

func (f *fakeNet) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	f.mu.Lock()
	f.dials = append(f.dials, address)
	real, ok := f.to[address]
	err := f.errs[address]
	f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("test dialer: %s is not a test address (refusing to dial it)", address)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, real)
}

func (f *fakeNet) lookups() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.looks...)
}

func (f *fakeNet) dialled() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.dials...)
}

// opts are Options wired to f and ca.
func (f *fakeNet) opts(ca *testCA) Options {
	o := Options{Resolver: f, Dialer: f, Timeout: 5 * time.Second}
	if ca != nil {
		o.RootCAs = ca.pool
	}
	return o
}

// statuses is the report as "id=status" pairs, for comparing with a want.
func statuses(rep Report) string {
	var parts []string
	for _, r := range rep.Checks {
		parts = append(parts, r.ID+"="+string(r.Status))
	}
	return strings.Join(parts, " ")
}

func find(t *testing.T, rep Report, id string) Result {
	t.Helper()
	for _, r := range rep.Checks {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no check %q in %s", id, statuses(rep))
	return Result{}
}

// slowTLSServer answers nothing until the test ends (or the client hangs
// up), for timeouts.
func slowTLSServer(t *testing.T, cert tls.Certificate) *httptest.Server {
	done := make(chan struct{})
	srv := tlsServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-done:
		case <-r.Context().Done():
		}
	}), cert)
	// Registered after the server's Close, so it runs before it: Close
	// waits for handlers, and this releases them.
	t.Cleanup(func() { close(done) })
	return srv
}

func quietLog() *log.Logger { return log.New(io.Discard, "", 0) }
