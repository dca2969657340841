package check

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/telegent/telegent-onboard/api/webhook/check/checktest"
)

type testCA = checktest.CA

func newCA(t *testing.T) *testCA { return checktest.NewCA(t) }

func tlsServer(t *testing.T, h http.Handler, cert tls.Certificate) *httptest.Server {
	return checktest.TLSServer(t, h, cert)
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
		o.RootCAs = ca.Pool
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
