package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"
)

const opToken = "authenticate"

// tokenExpirySkew renews a token this long before the server's expiry (or
// at half its lifetime, if that is sooner), so a request is not sent with a
// token that dies in flight.
const tokenExpirySkew = 30 * time.Second

// Authenticate exchanges the credentials for a token now, so that bad
// credentials are reported at once rather than at the first operation.
func (c *Client) Authenticate(ctx context.Context) error {
	c.tokMu.Lock()
	clear(c.tokens)
	c.tokMu.Unlock()
	// Any endpoint will do; message routes is the first one the quickstart
	// needs, so a server that scopes tokens gets a useful one.
	_, _, err := c.token(ctx, "/message/routes")
	return err
}

// token returns the bearer for an endpoint path, fetching one when none is
// cached or the cached one has expired. The key says which cache entry it
// came from: "" for the account-wide token.
func (c *Client) token(ctx context.Context, path string) (key, value string, err error) {
	// One fetch at a time: concurrent first calls share one token instead of
	// racing for several.
	c.fetchMu.Lock()
	defer c.fetchMu.Unlock()

	c.tokMu.Lock()
	key = ""
	if c.perEndpoint || c.scoped[path] {
		key = path
	}
	t, ok := c.tokens[key]
	c.tokMu.Unlock()
	if ok && (t.renewAt.IsZero() || c.now().Before(t.renewAt)) {
		return key, t.value, nil
	}

	t, err = c.fetchToken(ctx, key)
	var e *Error
	if key == "" && errors.As(err, &e) && e.Status == http.StatusBadRequest &&
		strings.Contains(strings.ToLower(e.Message), "apiendpoint") {
		// This server insists on scoped tokens ("The ApiEndpoint field is
		// required."): one token per endpoint from now on.
		c.tokMu.Lock()
		c.perEndpoint = true
		c.tokMu.Unlock()
		key = path
		t, err = c.fetchToken(ctx, key)
	}
	if err != nil {
		return key, "", err
	}
	c.tokMu.Lock()
	c.tokens[key] = t
	c.tokMu.Unlock()
	return key, t.value, nil
}

func (c *Client) fetchToken(ctx context.Context, endpointPath string) (bearer, error) {
	req := TokenRequest{AccountKey: c.creds.AccountKey, AccountSecret: c.creds.AccountSecret}
	if endpointPath != "" {
		u := *c.baseURL
		u.Path = c.baseURL.Path + endpointPath
		req.ApiEndpoint = u.String()
	}
	var resp TokenResponse
	var header http.Header
	// Asking for a token twice is harmless: no resource is created.
	err := c.do(ctx, call{op: opToken, method: http.MethodPost, path: "/oauth2/tokens", body: req, out: &resp, noAuth: true,
		repeatable: true, header: &header})
	if err != nil {
		return bearer{}, err
	}
	if resp.Token == "" {
		return bearer{}, &Error{Operation: opToken, Method: http.MethodPost, Path: c.baseURL.Path + "/oauth2/tokens",
			Status: http.StatusOK, Message: "the answer held no token", Kind: KindAuth, Remedy: RemedyBadCredentials}
	}
	serverNow := c.now()
	if d, err := http.ParseTime(header.Get("Date")); err == nil {
		serverNow = d
	}
	return bearer{value: resp.Token, renewAt: renewAt(parseTokenExpiry(resp.TokenExpiry), serverNow, c.now())}, nil
}

// renewAt is when, by our clock, a token that arrived at received should be
// replaced. The lifetime is measured on the server's clock (its Date header
// against its tokenExpiry), so a machine whose clock is off, or a server
// writing the expiry in another zone than UTC, does not make a fresh token
// look expired. A token without a readable expiry, or one already past it
// by the server's own clock, is used until a 401 says otherwise (the 401
// renews it once): renewing it before every request would cost a token
// request, and rate budget, per call.
func renewAt(expiry, serverNow, received time.Time) time.Time {
	if expiry.IsZero() {
		return time.Time{}
	}
	lifetime := expiry.Sub(serverNow)
	if lifetime <= 0 {
		return time.Time{}
	}
	return received.Add(lifetime - min(tokenExpirySkew, lifetime/2))
}

// parseTokenExpiry reads "05/02/2025 06:36:13 PM" (UTC) and, in case a
// server sends it, RFC 3339. An unreadable expiry is zero.
func parseTokenExpiry(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"01/02/2006 03:04:05 PM", "1/2/2006 3:04:05 PM", time.RFC3339Nano} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t
		}
	}
	return time.Time{}
}

func (c *Client) dropToken(key string) {
	c.tokMu.Lock()
	delete(c.tokens, key)
	c.tokMu.Unlock()
}

func (c *Client) needScoped(path string) {
	c.tokMu.Lock()
	c.scoped[path] = true
	c.tokMu.Unlock()
}
