// Package checktest makes what tests of webhook checks need: a certificate
// authority made in the test, certificates from it (valid, expired, for
// other names), and loopback TLS servers that use them. It lives outside
// the _test files so that the command's tests use the same helpers as the
// package's.
package checktest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// CA is a certificate authority made for one test.
type CA struct {
	Cert *x509.Certificate
	Pool *x509.CertPool // just this CA, for check.Options.RootCAs
	key  *ecdsa.PrivateKey
}

// NewCA makes a CA valid from an hour ago for ten years.
func NewCA(t testing.TB) *CA {
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
	return &CA{Cert: cert, Pool: pool, key: key}
}

// PEM is the CA's certificate in PEM, for a file of extra roots.
func (ca *CA) PEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Cert.Raw})
}

// Leaf issues a server certificate for names (DNS names or IP literals)
// valid from notBefore to notAfter.
func (ca *CA) Leaf(t testing.TB, names []string, notBefore, notAfter time.Time) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		t.Fatal(err)
	}
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
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// Valid is a certificate for names valid from an hour ago for a year.
func (ca *CA) Valid(t testing.TB, names ...string) tls.Certificate {
	return ca.Leaf(t, names, time.Now().Add(-time.Hour), time.Now().Add(365*24*time.Hour))
}

// Expired is a certificate for names that expired a day ago.
func (ca *CA) Expired(t testing.TB, names ...string) tls.Certificate {
	return ca.Leaf(t, names, time.Now().Add(-90*24*time.Hour), time.Now().Add(-24*time.Hour))
}

// TLSServer serves h over TLS with cert on a free loopback port until the
// test ends. Handshake errors, the point of some tests, are not logged.
func TLSServer(t testing.TB, h http.Handler, cert tls.Certificate) *httptest.Server {
	return TLSServerConfig(t, h, &tls.Config{Certificates: []tls.Certificate{cert}})
}

// TLSServerConfig is TLSServer with a whole TLS configuration.
func TLSServerConfig(t testing.TB, h http.Handler, cfg *tls.Config) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = cfg
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// Slow serves over TLS a handler that answers nothing until the test ends
// (or the client hangs up), for timeouts: only the client's timeout can end
// an exchange with it, so a test needs to measure no time.
func Slow(t testing.TB, cert tls.Certificate) *httptest.Server {
	done := make(chan struct{})
	srv := TLSServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-done:
		case <-r.Context().Done():
		}
	}), cert)
	// Registered after the server's Close, so it runs first: Close waits
	// for handlers, and this releases them.
	t.Cleanup(func() { close(done) })
	return srv
}
