package check

// The first four checks: the URL, DNS, TCP and TLS. Each learns what the
// next needs (the parsed URL, the addresses, which one connects), and the
// event checks then call the address that connected, so every request goes
// where the DNS check looked and a test's resolver controls all traffic.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/telegent/telegent-onboard/api/validate"
)

// maxAddrs bounds the addresses shown and tried: a name with dozens of
// records is tried on the first few, as browsers do.
const maxAddrs = 4

// target is a URL that passed the URL check.
type target struct {
	u          *url.URL
	host, port string
}

// parseTarget applies the URL rules routes follow (validate.URL: https, or
// http to loopback) plus two of its own: no credentials in the URL, and a
// bounded length. It returns a failed Result when the URL is unusable.
func parseTarget(raw string) (target, *Result) {
	fail := func(detail, remedy string) (target, *Result) {
		return target{}, &Result{Status: StatusFail, Detail: detail, Remedy: remedy}
	}
	const example = "Give the full URL of your endpoint, like https://hooks.example.com/telegent/messages."
	if len(raw) > MaxURL {
		return fail(fmt.Sprintf("the URL is %d characters long; at most %d are accepted", len(raw), MaxURL), "Use a shorter URL.")
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Hostname() == "" || u.Opaque != "" {
		return fail("not an absolute URL", example)
	}
	if u.User != nil {
		return fail("the URL carries a user name or password, which would be logged wherever the URL is",
			"Take the credentials out of the URL and set them as the route's authentication (--auth basic:USER:PASS or bearer:TOKEN).")
	}
	if err := validate.URL(raw); err != nil {
		switch {
		case u.Scheme == "http":
			return fail("plain http to "+u.Hostname()+": not encrypted, and Telegent calls https URLs only",
				"Serve the endpoint over https with a certificate from a public CA (a reverse proxy or a tunnel can add it), and use the https URL. Plain http is only for loopback test receivers.")
		case u.Scheme != "https":
			return fail(fmt.Sprintf("scheme %q: Telegent calls https URLs", printable(u.Scheme, 20)), example)
		default:
			return fail("the URL "+err.Error(), example)
		}
	}
	t := target{u: u, host: u.Hostname(), port: u.Port()}
	if t.port == "" {
		t.port = "443"
		if u.Scheme == "http" {
			t.port = "80"
		}
	}
	return t, nil
}

// ValidateURL applies the URL check alone, for a form field or a flag: nil,
// or an error saying what is wrong and what to do.
func ValidateURL(raw string) error {
	if _, bad := parseTarget(raw); bad != nil {
		return fmt.Errorf("%s. %s", bad.Detail, bad.Remedy)
	}
	return nil
}

func (c *Checker) checkURL(_ context.Context, _ step) Result {
	t, bad := parseTarget(c.raw)
	if bad != nil {
		c.stop = "the URL is not usable"
		return *bad
	}
	c.u, c.host, c.port = t.u, t.host, t.port
	if t.u.Scheme == "http" {
		return Result{Status: StatusPass, Detail: "plain http to a loopback host: allowed for local testing only"}
	}
	return Result{Status: StatusPass, Detail: "https"}
}

// resolve looks host up (an IP literal is its own answer) and returns its
// addresses, deduplicated, IPv4-mapped ones unmapped.
func resolve(ctx context.Context, r Resolver, host string, timeout time.Duration) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a.Unmap()}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	found, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, err
	}
	var out []netip.Addr
	seen := map[netip.Addr]bool{}
	for _, a := range found {
		a = a.Unmap()
		if a.IsValid() && !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no addresses")
	}
	return out, nil
}

// cgnat is the shared address space (RFC 6598): not reachable from the
// internet, though netip does not call it private.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// nonPublic names why Telegent, calling from the internet, cannot reach a;
// "" when it can.
func nonPublic(a netip.Addr) string {
	switch {
	case a.IsLoopback():
		return "loopback"
	case a.IsPrivate():
		return "private"
	case a.IsLinkLocalUnicast(), a.IsLinkLocalMulticast():
		return "link-local"
	case a.IsUnspecified():
		return "unspecified"
	case a.IsMulticast():
		return "multicast"
	case cgnat.Contains(a):
		return "carrier-grade NAT"
	}
	return ""
}

func listAddrs(addrs []netip.Addr) string {
	var parts []string
	for i, a := range addrs {
		if i == maxAddrs {
			parts = append(parts, fmt.Sprintf("and %d more", len(addrs)-maxAddrs))
			break
		}
		s := a.String()
		if why := nonPublic(a); why != "" {
			s += " (" + why + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func (c *Checker) checkDNS(ctx context.Context, _ step) Result {
	addrs, err := resolve(ctx, c.opts.Resolver, c.host, c.opts.Timeout)
	if err != nil {
		c.stop = "the host does not resolve"
		var dnsErr *net.DNSError
		detail := printable(c.host, 255) + " does not resolve"
		switch {
		case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
			detail += ": no such host"
		case errors.As(err, &dnsErr) && dnsErr.IsTimeout, errors.Is(err, context.DeadlineExceeded):
			detail += fmt.Sprintf(": no answer within %v", c.opts.Timeout)
		default:
			detail += ": " + printable(err.Error(), 200)
		}
		return Result{Status: StatusFail, Detail: detail,
			Remedy: "Create a DNS record (A or AAAA) for " + printable(c.host, 255) + " pointing at your server, or correct the host name."}
	}
	c.addrs = addrs
	shown := printable(c.host, 255)
	if _, err := netip.ParseAddr(c.host); err == nil {
		shown = "an IP address"
	}
	detail := shown + " → " + listAddrs(addrs)
	if c.opts.Sandbox {
		// The sandbox calls a webhook only when its host is a loopback
		// host by name (see sandbox.send): check exactly that.
		if !validate.IsLoopbackHost(c.host) {
			return Result{Status: StatusWarn, Detail: detail + "; the sandbox calls only loopback hosts",
				Remedy: "For the sandbox, use a URL on localhost, 127.0.0.1 or [::1], such as the one `telegent-onboard listen` prints."}
		}
		return Result{Status: StatusPass, Detail: detail}
	}
	var bad []string
	for _, a := range addrs {
		if why := nonPublic(a); why != "" {
			bad = append(bad, why)
		}
	}
	if len(bad) > 0 {
		what := "is " + bad[0]
		if len(bad) < len(addrs) {
			what = "has addresses Telegent cannot reach"
		}
		return Result{Status: StatusWarn, Detail: detail + "; Telegent calls from the internet, and this " + what,
			Remedy: "Publish the endpoint on a public address (or through a reverse proxy or tunnel with a public https URL) before the route goes live. A local address is fine for testing with the sandbox."}
	}
	return Result{Status: StatusPass, Detail: detail}
}

// dial connects to the first of the resolved addresses that answers.
func (c *Checker) dial(ctx context.Context) (net.Conn, netip.AddrPort, error) {
	return dialAddrs(ctx, c.opts.Dialer, c.addrs, c.port, c.opts.Timeout)
}

func dialAddrs(ctx context.Context, d Dialer, addrs []netip.Addr, port string, timeout time.Duration) (net.Conn, netip.AddrPort, error) {
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return nil, netip.AddrPort{}, fmt.Errorf("bad port %q", port)
	}
	var errs []error
	for i, a := range addrs {
		if i == maxAddrs {
			break
		}
		ap := netip.AddrPortFrom(a, uint16(p))
		dctx, cancel := context.WithTimeout(ctx, timeout)
		conn, err := d.DialContext(dctx, "tcp", ap.String())
		cancel()
		if err == nil {
			return conn, ap, nil
		}
		errs = append(errs, &addrError{ap, err})
		if ctx.Err() != nil {
			break
		}
	}
	return nil, netip.AddrPort{}, errors.Join(errs...)
}

type addrError struct {
	ap  netip.AddrPort
	err error
}

func (e *addrError) Error() string { return e.ap.String() + ": " + e.err.Error() }
func (e *addrError) Unwrap() error { return e.err }

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

func (c *Checker) checkTCP(ctx context.Context, _ step) Result {
	conn, ap, err := c.dial(ctx)
	if err != nil {
		c.stop = "TCP does not connect"
		where := net.JoinHostPort(printable(c.host, 255), c.port)
		switch {
		case errors.Is(err, syscall.ECONNREFUSED):
			return Result{Status: StatusFail, Detail: "connection refused by " + where,
				Remedy: "Nothing accepts connections on port " + c.port + ": start the server, check the port in the URL, and allow inbound TCP on it from the internet."}
		case isTimeout(err):
			return Result{Status: StatusFail, Detail: fmt.Sprintf("no connection to %s within %v", where, c.opts.Timeout),
				Remedy: "A firewall or security group may be dropping the connection: allow inbound TCP on port " + c.port + " from the internet, and check the server is up."}
		}
		return Result{Status: StatusFail, Detail: printable(err.Error(), 300),
			Remedy: "Check the server is up and reachable on port " + c.port + "."}
	}
	conn.Close()
	// Later checks call the address that answered first.
	for i, a := range c.addrs {
		if a == ap.Addr() {
			c.addrs = append([]netip.Addr{a}, append(c.addrs[:i:i], c.addrs[i+1:]...)...)
			break
		}
	}
	return Result{Status: StatusPass, Detail: "connected to " + ap.String()}
}

// tlsConfig is the client configuration every TLS connection here uses:
// the name from the URL, the given roots (or the system's) and the clock
// of the expiry check. InsecureSkipVerify is never set.
func tlsConfig(o Options, host string, minVersion uint16) *tls.Config {
	return &tls.Config{ServerName: host, RootCAs: o.RootCAs, MinVersion: minVersion, Time: o.Now}
}

func (c *Checker) checkTLS(ctx context.Context, _ step) Result {
	if c.u.Scheme != "https" {
		return Result{Status: StatusSkip, Detail: "plain http to a loopback host: no TLS to check"}
	}
	conn, _, err := c.dial(ctx)
	if err != nil {
		c.stop = "TCP does not connect"
		return Result{Status: StatusFail, Detail: "could not connect again: " + printable(err.Error(), 300),
			Remedy: "Check the server is up and reachable on port " + c.port + "."}
	}
	defer conn.Close()
	// The probe accepts TLS 1.0 and 1.1 so that an old server is told so,
	// rather than failing with a bare "protocol version" error; it is then
	// failed below, and the events themselves require TLS 1.2.
	tc := tls.Client(conn, tlsConfig(c.opts, c.host, tls.VersionTLS10))
	hctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	if err := tc.HandshakeContext(hctx); err != nil {
		c.stop = "TLS failed, and Telegent will not call an endpoint whose TLS fails"
		r := c.tlsFailure(err)
		return r
	}
	st := tc.ConnectionState()
	if st.Version < tls.VersionTLS12 {
		c.stop = "the server offers only TLS older than 1.2"
		return Result{Status: StatusFail, Detail: tls.VersionName(st.Version) + " is the newest version the server offers",
			Remedy: "Enable TLS 1.2 or 1.3 on the server: older versions are insecure and refused by up-to-date clients."}
	}
	leaf := st.PeerCertificates[0]
	now := c.opts.Now()
	left := leaf.NotAfter.Sub(now)
	detail := fmt.Sprintf("%s, certificate for %s issued by %s, valid until %s (%s)",
		tls.VersionName(st.Version), printable(c.host, 255), issuer(leaf), leaf.NotAfter.UTC().Format("2006-01-02"), daysLeft(left))
	switch {
	case left <= 0: // verification already refuses this; kept so no clock skew passes it
		c.stop = "the certificate has expired"
		return Result{Status: StatusFail, Detail: "the certificate expired on " + leaf.NotAfter.UTC().Format("2006-01-02"),
			Remedy: "Renew the certificate, and automate its renewal (ACME, e.g. Let's Encrypt)."}
	case left < ExpiryWarning:
		return Result{Status: StatusWarn, Detail: detail,
			Remedy: "Renew the certificate before " + leaf.NotAfter.UTC().Format("2006-01-02") + ", and automate its renewal (ACME, e.g. Let's Encrypt): Telegent's calls fail the moment it expires."}
	}
	return Result{Status: StatusPass, Detail: detail}
}

func daysLeft(d time.Duration) string {
	days := int(d.Hours() / 24)
	switch days {
	case 0:
		return "less than a day left"
	case 1:
		return "1 day left"
	}
	return fmt.Sprintf("%d days left", days)
}

func issuer(cert *x509.Certificate) string {
	switch {
	case cert.Issuer.CommonName != "":
		return printable(cert.Issuer.CommonName, 80)
	case len(cert.Issuer.Organization) > 0:
		return printable(cert.Issuer.Organization[0], 80)
	}
	return "an unnamed issuer"
}

// tlsFailure explains a failed handshake in the customer's terms.
func (c *Checker) tlsFailure(err error) Result {
	var (
		hostErr x509.HostnameError
		unknown x509.UnknownAuthorityError
		invalid x509.CertificateInvalidError
		record  tls.RecordHeaderError
		alert   tls.AlertError
	)
	host := printable(c.host, 255)
	switch {
	case errors.As(err, &hostErr):
		return Result{Status: StatusFail, Detail: "the certificate is for " + certNames(hostErr.Certificate) + ", not " + host,
			Remedy: "Install a certificate that covers " + host + " (or use a host name the certificate names in the URL)."}
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		now := c.opts.Now()
		if invalid.Cert != nil && now.Before(invalid.Cert.NotBefore) {
			return Result{Status: StatusFail, Detail: "the certificate is not valid until " + invalid.Cert.NotBefore.UTC().Format(time.RFC3339),
				Remedy: "Check the clocks of the server and of this machine, or install a certificate valid now."}
		}
		when := "has expired"
		if invalid.Cert != nil {
			when = "expired on " + invalid.Cert.NotAfter.UTC().Format("2006-01-02")
			if invalid.Cert.IsCA {
				when = "chain's " + issuer(invalid.Cert) + " certificate " + when
			}
		}
		return Result{Status: StatusFail, Detail: "the certificate " + when,
			Remedy: "Renew the certificate now, and automate its renewal (ACME, e.g. Let's Encrypt)."}
	case errors.As(err, &unknown):
		return Result{Status: StatusFail, Detail: "the certificate chain does not verify: signed by an unknown authority (" + issuer(unknown.Cert) + ")",
			Remedy: "Use a certificate from a public certificate authority, and make the server send the full chain (its intermediate certificates too). Self-signed and private-CA certificates are refused."}
	case errors.As(err, &invalid):
		return Result{Status: StatusFail, Detail: "the certificate chain does not verify: " + printable(invalid.Error(), 200),
			Remedy: "Install a certificate from a public certificate authority valid for this use (server authentication), with its full chain."}
	case errors.As(err, &record):
		return Result{Status: StatusFail, Detail: "the server did not answer in TLS on port " + c.port + " (it may speak plain http there)",
			Remedy: "Serve TLS on this port, or put the port that serves TLS in the URL."}
	case isTimeout(err):
		return Result{Status: StatusFail, Detail: fmt.Sprintf("no TLS handshake within %v", c.opts.Timeout),
			Remedy: "Check that the server serves TLS on port " + c.port + " and is not overloaded."}
	case errors.As(err, &alert):
		return Result{Status: StatusFail, Detail: "the server refused the TLS handshake: " + printable(err.Error(), 200),
			Remedy: "Enable TLS 1.2 or 1.3 with current cipher suites on the server, and make sure it has a certificate for " + host + " (SNI)."}
	}
	return Result{Status: StatusFail, Detail: "TLS handshake failed: " + printable(err.Error(), 200),
		Remedy: "Check the server's TLS configuration: TLS 1.2 or newer and a valid certificate for " + host + " from a public CA, with its full chain."}
}

// certNames lists the names a certificate covers.
func certNames(cert *x509.Certificate) string {
	if cert == nil {
		return "another name"
	}
	var names []string
	names = append(names, cert.DNSNames...)
	for _, ip := range cert.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 && cert.Subject.CommonName != "" {
		names = append(names, cert.Subject.CommonName)
	}
	if len(names) == 0 {
		return "no name"
	}
	if len(names) > maxAddrs {
		names = append(names[:maxAddrs], fmt.Sprintf("%d more", len(names)-maxAddrs))
	}
	return printable(strings.Join(names, ", "), 300)
}

// Printable makes text from the network (an endpoint's answer) safe to
// show in a terminal; see printable.
func Printable(s string, max int) string { return printable(s, max) }

// printable makes text from the network safe to show in a terminal: at
// most max bytes (on a rune boundary), control characters escaped so that
// no escape sequence reaches the terminal, invalid UTF-8 replaced.
func printable(s string, max int) string {
	var b strings.Builder
	cut := false
	for i, r := range s {
		if i >= max {
			cut = true
			break
		}
		switch {
		case r == utf8.RuneError:
			b.WriteRune('\uFFFD')
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	if cut {
		b.WriteString("…")
	}
	return b.String()
}
