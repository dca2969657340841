package sandbox

import (
	"crypto/subtle"
	"encoding/hex"
	"math"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
)

type tokenInfo struct {
	expires time.Time
	scope   string // lower-cased path the token is limited to; "" for any
}

type tokenRequest struct {
	AccountKey    string `json:"AccountKey"`
	AccountSecret string `json:"AccountSecret"`
	ApiEndpoint   string `json:"ApiEndpoint"`
}

type tokenResponse struct {
	Token       string `json:"token"`
	Successful  bool   `json:"successful"`
	TokenExpiry string `json:"tokenExpiry"`
}

// expiryLayout is the documented "05/02/2025 06:36:13 PM", in UTC.
const expiryLayout = "01/02/2006 03:04:05 PM"

func (s *Server) createToken(r *http.Request) (any, *apiError) {
	var req tokenRequest
	if e := decodeBody(r, &req); e != nil {
		return nil, e
	}
	if e := required("AccountKey", req.AccountKey); e != nil {
		return nil, e
	}
	if e := required("AccountSecret", req.AccountSecret); e != nil {
		return nil, e
	}
	// Limited per key before the secret is checked, so guessing secrets is
	// throttled like everything else.
	if e := s.allow("key " + req.AccountKey); e != nil {
		return nil, e
	}
	scope := ""
	if req.ApiEndpoint == "" {
		if s.opts.RequireAPIEndpoint {
			return nil, &apiError{Status: http.StatusBadRequest, Message: msgApiEndpointRequired}
		}
	} else {
		var e *apiError
		if scope, e = s.endpointScope(req.ApiEndpoint); e != nil {
			return nil, e
		}
	}
	keyOK := subtle.ConstantTimeCompare([]byte(req.AccountKey), []byte(DemoAccountKey)) == 1
	secretOK := subtle.ConstantTimeCompare([]byte(req.AccountSecret), []byte(DemoAccountSecret)) == 1
	if !keyOK || !secretOK {
		return nil, &apiError{Status: http.StatusUnauthorized, Message: msgBadCredentials}
	}

	tok := hex.EncodeToString(randomBytes(32))
	now := s.now()
	expires := now.Add(s.opts.TokenTTL)
	s.mu.Lock()
	s.pruneTokens(now)
	s.tokens[tok] = &tokenInfo{expires: expires, scope: scope}
	s.mu.Unlock()
	return tokenResponse{Token: tok, Successful: true, TokenExpiry: expires.UTC().Format(expiryLayout)}, nil
}

// endpointScope checks ApiEndpoint and returns the path the token is scoped
// to. Only the path counts: the sandbox's host is never api.telegent.com,
// and a client configured for production must still work here.
func (s *Server) endpointScope(raw string) (string, *apiError) {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return "", badRequest("ApiEndpoint must be the absolute URL of one endpoint, like "+
			"https://api.telegent.com/v1.0/numbers/provision; got %s", q(raw))
	}
	p := path.Clean("/" + strings.ToLower(u.Path))
	if _, ok := s.paths[p]; !ok || p == tokenPath || !strings.HasPrefix(p, apiPrefix+"/") {
		return "", badRequest("ApiEndpoint must name an endpoint of this API, like "+
			"https://api.telegent.com/v1.0/numbers/provision; the path %s is not one", q(u.Path))
	}
	return p, nil
}

// pruneTokens drops expired tokens once there are many, so a long-running
// sandbox does not grow without bound. Called with s.mu held.
func (s *Server) pruneTokens(now time.Time) {
	if len(s.tokens) < 1024 {
		return
	}
	for t, info := range s.tokens {
		if !now.Before(info.expires) {
			delete(s.tokens, t)
			delete(s.windows, "token "+t)
		}
	}
}

// authenticate returns the request's bearer token when it is known,
// unexpired and allowed on this path.
func (s *Server) authenticate(r *http.Request) (string, *apiError) {
	unauthorized := &apiError{Status: http.StatusUnauthorized, Message: msgUnauthorized}
	scheme, tok, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	tok = strings.TrimSpace(tok)
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return "", unauthorized
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	info, ok := s.tokens[tok]
	if !ok {
		return "", unauthorized
	}
	if !now.Before(info.expires) {
		delete(s.tokens, tok)
		delete(s.windows, "token "+tok)
		return "", unauthorized
	}
	if info.scope != "" && info.scope != r.URL.Path {
		return "", &apiError{Status: http.StatusForbidden, Message: msgForbidden}
	}
	return tok, nil
}

// allow applies the sliding-window rate limit to key: at most RateLimit
// requests in any 60 seconds. A refusal says when the oldest request in the
// window leaves it.
func (s *Server) allow(key string) *apiError {
	limit := s.opts.RateLimit
	if limit < 0 {
		return nil
	}
	now := s.now()
	cut := now.Add(-time.Minute)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.windows) > 4096 {
		for k, w := range s.windows {
			if len(w) == 0 || !w[len(w)-1].After(cut) {
				delete(s.windows, k)
			}
		}
	}
	w := s.windows[key]
	i := 0
	for i < len(w) && !w[i].After(cut) {
		i++
	}
	w = w[i:]
	if len(w) >= limit {
		s.windows[key] = w
		wait := w[0].Add(time.Minute).Sub(now)
		secs := max(int(math.Ceil(wait.Seconds())), 1)
		return &apiError{Status: http.StatusTooManyRequests, Message: msgTooManyRequests, RetryAfter: secs}
	}
	s.windows[key] = append(w, now)
	return nil
}
