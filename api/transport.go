package api

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// maxRedirects bounds same-origin redirects: a server that keeps redirecting
// is misconfigured, and each hop re-sends the body.
const maxRedirects = 3

// RedirectError is a redirect the client refused to follow: to another
// scheme, host or port (where the credentials, token and route passwords in
// the request must never go), or one that would change a create into a GET.
// Nothing was sent to To.
type RedirectError struct {
	From, To string
	Reason   string
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("refused a redirect from %s to %s: %s", e.From, e.To, e.Reason)
}

// checkRedirect is the http.Client's redirect policy. It runs before the
// redirected request is sent, so a refusal means nothing reached the target.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	prev := via[len(via)-1]
	from, to := redactURL(prev.URL), redactURL(req.URL)
	switch {
	case !sameOrigin(req.URL, c.baseURL):
		return &RedirectError{From: from, To: to,
			Reason: "it leads to another scheme, host or port than the base URL " + c.baseURL.String() +
				", and the request carries credentials or a token that must go nowhere else"}
	case len(via) > maxRedirects:
		return &RedirectError{From: from, To: to, Reason: fmt.Sprintf("more than %d redirects", maxRedirects)}
	case via[0].Method != http.MethodGet && via[0].Method != http.MethodHead && req.Method != via[0].Method:
		// 301/302/303 turn a POST into a GET without its body: the create
		// would silently not be sent, and an unrelated answer read as its
		// result. Only 307/308 keep the method and body.
		return &RedirectError{From: from, To: to,
			Reason: fmt.Sprintf("it would turn the %s into a %s without its body", via[0].Method, req.Method)}
	}
	return nil
}

// sameOrigin compares scheme, host and port, with default ports filled in.
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

// redactURL drops user info and the query from a URL shown in a message: a
// redirect target is chosen by the server and may carry anything.
func redactURL(u *url.URL) string {
	c := *u
	c.User = nil
	if c.RawQuery != "" {
		c.RawQuery = "…"
	}
	return c.String()
}

// describeTLS explains a failed TLS handshake: what is wrong and what to
// check. ok is false when err is not a TLS failure.
func describeTLS(err error, host string) (msg, remedy string, ok bool) {
	var (
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		record   tls.RecordHeaderError
		verify   *tls.CertificateVerificationError
		alert    tls.AlertError
	)
	switch {
	case errors.As(err, &unknown):
		return "the TLS certificate of " + host + " is signed by an authority this machine does not trust",
			"Check that the base URL is Telegent's (https://api.telegent.com/v1.0). If a company proxy inspects TLS, install its CA certificate in the system's trust store (or point SSL_CERT_FILE at it). Certificate checks are never turned off.", true
	case errors.As(err, &hostname):
		return "the TLS certificate does not match the host name: " + hostname.Error(),
			"Check the host name in the base URL (--base-url / TELEGENT_BASE_URL): it must be the name the API's certificate was issued for, like api.telegent.com.", true
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return "the TLS certificate of " + host + " has expired or is not yet valid (" + invalid.Detail + ")",
			"Check this machine's date and time first (a wrong clock makes valid certificates look expired); if the clock is right, the server's certificate is out of date: tell Telegent support.", true
	case errors.As(err, &invalid):
		return "the TLS certificate of " + host + " is not valid: " + invalid.Error(),
			"Check that the base URL is Telegent's (https://api.telegent.com/v1.0); if it is, tell Telegent support.", true
	case errors.As(err, &record):
		return host + " did not answer in TLS (is it a plain http server?)",
			"Check the base URL's scheme and port: the API is https on port 443.", true
	case errors.As(err, &verify):
		return "the TLS certificate of " + host + " could not be verified: " + verify.Err.Error(),
			"Check that the base URL is Telegent's (https://api.telegent.com/v1.0) and this machine's date and time.", true
	case errors.As(err, &alert):
		return "the TLS handshake with " + host + " failed: " + alert.Error(),
			"Check the base URL; a proxy between this machine and Telegent may be refusing the connection.", true
	}
	return "", "", false
}
