package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// ErrOutcomeUnknown matches (errors.Is) an *Error for a create whose request
// reached the server but whose answer was lost: the resource may exist. Such
// a request is never repeated silently; the caller must look it up or ask.
var ErrOutcomeUnknown = errors.New("outcome unknown")

// Kind sorts errors by what a person (or a script's exit code) does next.
type Kind int

const (
	KindOther          Kind = iota
	KindBadRequest          // a field was refused: fix it
	KindAuth                // credentials or token refused
	KindScope               // token not allowed on this endpoint
	KindNotFound            // an ID does not exist (or is another account's)
	KindConflict            // refused because of existing state
	KindRateLimit           // 429 after the retries
	KindServer              // 5xx or timeout after the retries
	KindNetwork             // never reached the server
	KindOutcomeUnknown      // reached the server, answer lost
	KindNoMessageRoute      // the quickstart's "create a message route first"
	KindNumberClaimed       // the number went to someone else
	KindEmailTaken          // subscriber email already used
	KindAccountID           // wrong AccountId
	KindRefused             // the request as a whole was refused (405, 413): not a field
	KindRedirect            // the server redirected where the client will not follow
	KindTLS                 // the TLS handshake failed: certificate or protocol
)

// The quickstart's "Common Issues & Solutions", word for word where the
// document's wording fits the case.
const (
	RemedyBadToken       = "Check that your Bearer token is correct and included in the Authorization header."
	RemedyBadCredentials = "Check your AccountKey and AccountSecret: they must be exactly the ones your Telegent representative gave you."
	// The quickstart says "Step 3" here although the message route is its
	// step 2; the step number is corrected, the rest is the document's.
	RemedyNoMessageRoute = "You must create a Message Route (step 2) before provisioning numbers. Message routes are required for ALL subscribers."
	RemedyNumberClaimed  = "The number you selected was claimed by another user. Check availability again and select a different number."
	RemedyEmailTaken     = "Each subscriber email must be unique across the entire platform. Try a different email address."
	RemedyAccountID      = "Make sure you're using the correct AccountId provided by your Telegent representative."
	RemedyScope          = "Your token is not allowed on this endpoint (tokens can be scoped to one ApiEndpoint). Ask your Telegent representative to enable this operation for your AccountKey."
	RemedyRateLimit      = "You hit the rate limit (standard tier: 50 requests a minute). Wait a minute and retry; for more, ask Telegent about an enterprise tier."
	RemedyServer         = "Telegent had a temporary problem. Retry in a moment; if it persists, contact support@telegent.com."
	RemedyBadRequest     = "Fix the field named in the message and send again."
	RemedyNotFound       = "Check the ID: it does not exist or belongs to a different account."
	RemedyNetwork        = "Could not reach the API. Check your network connection and the base URL, then retry."
	RemedyOutcomeUnknown = "The request reached Telegent but its answer was lost, so it may have succeeded. Look the resource up before trying again, or you may create it twice."
	// A 500, 502 or 504 to a create: the server (or a gateway before it)
	// failed without saying whether the create was carried out.
	RemedyOutcomeUnknownStatus = "Telegent answered with a server error that does not say whether the request was carried out, so it may have succeeded. Look the resource up before trying again, or you may create it twice."
	RemedyMethodNotAllowed     = "The API refused the HTTP method for this endpoint: the base URL probably points at something other than the Telegent API, or a proxy changed the request. Check the base URL: it must end in /v1.0, like " + DefaultBaseURL + "."
	RemedyTokenNotFound        = "The token endpoint was not found, so the base URL is wrong: it must end in /v1.0, like " + DefaultBaseURL + " (check --base-url / TELEGENT_BASE_URL)."
)

// Error is every failure the client returns: an HTTP error answer, a request
// that could not be sent, or one whose outcome is unknown.
type Error struct {
	Operation  string        // e.g. "create message route"
	Method     string        // HTTP method
	Path       string        // e.g. /v1.0/message/routes
	Status     int           // HTTP status; 0 when there was no answer
	Message    string        // the server's own words, or what went wrong
	Remedy     string        // what a person should do about it
	Kind       Kind          // the case, for programs
	RetryAfter time.Duration // from a 429's Retry-After, when given
	Err        error         // the underlying transport error, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Operation != "" {
		b.WriteString(e.Operation)
		b.WriteString(": ")
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, "%d %s: ", e.Status, http.StatusText(e.Status))
	}
	b.WriteString(e.Message)
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrOutcomeUnknown) true for unknown outcomes.
func (e *Error) Is(target error) bool {
	return target == ErrOutcomeUnknown && e.Kind == KindOutcomeUnknown
}

// decodeErrorBody extracts the server's message from the three documented
// shapes: {"StatusCode","Message"}, the older RFC 7807-like
// {"Title","Errors":{field:[…]}}, or plain text.
func decodeErrorBody(body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return ""
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) == nil && obj != nil {
		fields := make(map[string]json.RawMessage, len(obj))
		for k, v := range obj {
			fields[strings.ToLower(k)] = v
		}
		var parts []string
		for _, key := range []string{"message", "title", "detail"} {
			var s string
			if json.Unmarshal(fields[key], &s) == nil && strings.TrimSpace(s) != "" {
				parts = append(parts, strings.TrimSpace(s))
				break
			}
		}
		var errs map[string][]string
		if json.Unmarshal(fields["errors"], &errs) == nil && len(errs) > 0 {
			keys := make([]string, 0, len(errs))
			for k := range errs {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				parts = append(parts, strings.TrimPrefix(k, "$.")+": "+strings.Join(errs[k], " "))
			}
		}
		if len(parts) > 0 {
			return strings.Join(parts, "; ")
		}
	}
	var s string
	if json.Unmarshal(body, &s) == nil {
		return strings.TrimSpace(s)
	}
	const max = 500 // an HTML error page is not a message
	text := strings.TrimSpace(string(body))
	if len(text) > max {
		text = text[:max] + "…"
	}
	return text
}

// classify picks the Kind and Remedy of an HTTP error answer. The server's
// words are matched loosely because the real API's messages are not
// documented; the sandbox's messages are written to be matched the same way.
func classify(op string, status int, message string) (Kind, string) {
	m := strings.ToLower(message)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(m, w) {
				return true
			}
		}
		return false
	}
	switch {
	case status == http.StatusUnauthorized && op == opToken:
		return KindAuth, RemedyBadCredentials
	case status == http.StatusUnauthorized:
		return KindAuth, RemedyBadToken
	case status == http.StatusNotFound && op == opToken:
		return KindNotFound, RemedyTokenNotFound
	case status == http.StatusMethodNotAllowed:
		return KindRefused, RemedyMethodNotAllowed
	case status == http.StatusRequestEntityTooLarge:
		return KindRefused, "The request was too large for the API: shorten the longest field and send again."
	case status == http.StatusForbidden:
		return KindScope, RemedyScope
	case status == http.StatusTooManyRequests:
		return KindRateLimit, RemedyRateLimit
	case status >= 500 || status == http.StatusRequestTimeout:
		return KindServer, RemedyServer
	case has("claimed"):
		return KindNumberClaimed, RemedyNumberClaimed
	case has("email") && has("unique", "already", "exists", "taken", "in use"):
		return KindEmailTaken, RemedyEmailTaken
	case has("accountid", "account id") && !has("messagerouteid", "message route"):
		return KindAccountID, RemedyAccountID
	case op == opProvision && has("messagerouteid", "message route"):
		return KindNoMessageRoute, RemedyNoMessageRoute
	case status == http.StatusNotFound:
		return KindNotFound, RemedyNotFound
	case status == http.StatusConflict:
		return KindConflict, "Change what the message names, or use the existing resource."
	case status == http.StatusBadRequest || status == http.StatusUnprocessableEntity:
		return KindBadRequest, RemedyBadRequest
	}
	return KindOther, ""
}

func newHTTPError(op, method, path string, status int, body []byte, retryAfter time.Duration) *Error {
	msg := decodeErrorBody(body)
	if msg == "" {
		msg = http.StatusText(status)
	}
	if msg == "" { // a status net/http has no name for, and no body
		msg = fmt.Sprintf("HTTP status %d", status)
	}
	kind, remedy := classify(op, status, msg)
	return &Error{Operation: op, Method: method, Path: path, Status: status, Message: msg,
		Remedy: remedy, Kind: kind, RetryAfter: retryAfter}
}

// refineRemedy makes the remedy of a refused request concrete from what was
// sent: a 413 says how large the request was and which field made it so; a
// 400 or 422 lists the fields its message names, or, when it names none,
// the fields that were sent, so the person knows where to look.
func refineRemedy(e *Error, payload []byte, query url.Values) {
	switch {
	case e.Status == http.StatusRequestEntityTooLarge:
		e.Remedy = tooLargeRemedy(payload)
	case (e.Status == http.StatusBadRequest || e.Status == http.StatusUnprocessableEntity) && e.Kind == KindBadRequest:
		sent := sentFields(payload, query)
		named := namedFields(e.Message, sent)
		switch {
		case len(named) > 0 && e.Status == http.StatusUnprocessableEntity:
			e.Remedy = "Telegent could not process " + strings.Join(named, ", ") + ": fix them and send again."
		case len(named) > 0:
			e.Remedy = RemedyBadRequest
		case len(sent) > 0:
			e.Remedy = "Telegent did not say which field it refused. Check each field of this step against the quickstart: " +
				strings.Join(sent, ", ") + "."
		default:
			e.Remedy = "Telegent did not say what it refused; check this step's values against the quickstart."
		}
	}
}

// sentFields are the JSON keys of a request body (at any depth) and its
// query keys, sorted and without repeats.
func sentFields(payload []byte, query url.Values) []string {
	seen := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			for k, val := range t {
				seen[k] = true
				walk(val)
			}
		case []any:
			for _, val := range t {
				walk(val)
			}
		}
	}
	var v any
	if json.Unmarshal(payload, &v) == nil {
		walk(v)
	}
	for k := range query {
		seen[k] = true
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// namedFields are the fields of sent that message names as a whole word,
// case-sensitively, the way the API writes field names ("AreaCode must …").
func namedFields(message string, sent []string) []string {
	var out []string
	for _, f := range sent {
		for i := strings.Index(message, f); i >= 0; {
			end := i + len(f)
			if (i == 0 || !isWordByte(message[i-1])) && (end == len(message) || !isWordByte(message[end])) {
				out = append(out, f)
				break
			}
			next := strings.Index(message[i+1:], f)
			if next < 0 {
				break
			}
			i += 1 + next
		}
	}
	return out
}

func isWordByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// tooLargeRemedy names the size of the request and its largest field.
func tooLargeRemedy(payload []byte) string {
	if len(payload) == 0 {
		return "The request's address or headers were too large for the API; check the IDs and values in the query."
	}
	var top map[string]json.RawMessage
	largest, size := "", 0
	if json.Unmarshal(payload, &top) == nil {
		for k, v := range top {
			if len(v) > size || len(v) == size && k < largest {
				largest, size = k, len(v)
			}
		}
	}
	msg := "The request body was " + humanBytes(len(payload)) + ", too large for the API"
	if largest != "" {
		msg += "; its largest field is " + largest + " (" + humanBytes(size) + ")"
	}
	return msg + ". Shorten it and send again."
}

func humanBytes(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
