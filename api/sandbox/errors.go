package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// The generic messages are copied from the OpenAPI file's examples, so that
// a client tested here meets the same words in production.
const (
	msgBadRequest       = "Bad request: one or more required fields are missing or contain an invalid value."
	msgUnauthorized     = "Unauthorized: Bearer token is missing, expired, or invalid. Re-authenticate via POST /v1.0/oauth2/tokens."
	msgForbidden        = "Forbidden: your token does not have permission to access this resource. Check the ApiEndpoint scope."
	msgNotFound         = "Not found: the requested resource does not exist or belongs to a different account."
	msgMethodNotAllowed = "Method not allowed: verify the HTTP method required for this endpoint."
	msgTooManyRequests  = "Too many requests: rate limit exceeded. Slow your request cadence and retry after a short delay."
	msgInternal         = "Internal server error: an unexpected error occurred. If the problem persists contact support@telegent.com."
	msgUnavailable      = "Service unavailable: the API is temporarily unavailable. Retry after a short delay."

	msgBadCredentials      = "Unauthorized: invalid AccountKey or AccountSecret."
	msgApiEndpointRequired = "The ApiEndpoint field is required."
	msgTooLarge            = "Request entity too large: the body must be at most 1 MiB."
)

// apiError is an answer other than 200. Handlers return it instead of
// writing, so that every error leaves through writeError in the one
// documented shape.
type apiError struct {
	Status     int
	Message    string
	RetryAfter int // seconds for the Retry-After header; 0 sends none
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s", e.Status, e.Message) }

func badRequest(format string, args ...any) *apiError {
	return &apiError{Status: http.StatusBadRequest, Message: "Bad request: " + fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) *apiError {
	return &apiError{Status: http.StatusNotFound, Message: "Not found: " + fmt.Sprintf(format, args...)}
}

func conflict(format string, args ...any) *apiError {
	return &apiError{Status: http.StatusConflict, Message: "Conflict: " + fmt.Sprintf(format, args...)}
}

// errorBody is the documented error shape, {"StatusCode": 400, "Message": "…"}.
type errorBody struct {
	StatusCode int    `json:"StatusCode"`
	Message    string `json:"Message"`
}

func writeError(w http.ResponseWriter, e *apiError) {
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfter))
	}
	writeJSON(w, e.Status, errorBody{StatusCode: e.Status, Message: e.Message})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// QR code URLs carry '&'; escaping it as \u0026 is legal but makes the
	// sandbox's answers needlessly hard to read in a terminal.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		_ = json.NewEncoder(&buf).Encode(errorBody{StatusCode: status, Message: msgInternal})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// q quotes a client-supplied value for an error message, cut short so that a
// megabyte of garbage is not echoed back.
func q(s string) string {
	const max = 60
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max]) + "…"
	}
	return strconv.Quote(s)
}
