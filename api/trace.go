package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Redacted replaces every secret in traces, the inspector and exports.
const Redacted = "[REDACTED]"

// Exchange is one HTTP request and its answer, as the trace and the wizard's
// inspector show it. Bodies are redacted before any observer sees them.
type Exchange struct {
	Operation    string
	Method       string
	URL          string
	RequestBody  []byte
	Status       int // 0 when no answer came
	ResponseBody []byte
	Duration     time.Duration
	Err          error
}

func (e *Exchange) redact(secrets []string) {
	e.RequestBody = RedactJSON(e.RequestBody, secrets...)
	e.ResponseBody = RedactJSON(e.ResponseBody, secrets...)
}

// Format renders the exchange for a debug trace.
func (e Exchange) Format() string {
	var b strings.Builder
	fmt.Fprintf(&b, "--> %s %s\n", e.Method, e.URL)
	if len(e.RequestBody) > 0 {
		b.Write(PrettyJSON(e.RequestBody))
		b.WriteByte('\n')
	}
	if e.Err != nil {
		fmt.Fprintf(&b, "<-- error after %s: %v\n", e.Duration.Round(time.Millisecond), e.Err)
		return b.String()
	}
	fmt.Fprintf(&b, "<-- %d (%s)\n", e.Status, e.Duration.Round(time.Millisecond))
	if len(e.ResponseBody) > 0 {
		b.Write(PrettyJSON(e.ResponseBody))
		b.WriteByte('\n')
	}
	return b.String()
}

// IsSecretKey reports whether a JSON key holds a secret: the account secret,
// passwords, every …PasswordToken, the token itself, Authorization and a
// number's PortOutPin (which authorises moving the number away).
func IsSecretKey(key string) bool {
	k := strings.ToLower(key)
	switch k {
	case "accountsecret", "password", "token", "authorization", "portoutpin":
		return true
	}
	return strings.HasSuffix(k, "passwordtoken")
}

// RedactJSON replaces the values of secret keys, at any depth, and every
// occurrence of the given secret values. A body that is not JSON has only
// the values replaced.
func RedactJSON(body []byte, secrets ...string) []byte {
	if len(bytes.TrimSpace(body)) == 0 {
		return body
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	out := body
	if dec.Decode(&v) == nil {
		var enc bytes.Buffer
		e := json.NewEncoder(&enc)
		e.SetEscapeHTML(false) // keep URLs with & readable
		if e.Encode(redactValue(v)) == nil {
			out = bytes.TrimRight(enc.Bytes(), "\n")
		}
	}
	for _, s := range secrets {
		if len(s) >= 4 { // shorter values would blank out ordinary text
			out = bytes.ReplaceAll(out, []byte(s), []byte(Redacted))
		}
	}
	return out
}

func redactValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if IsSecretKey(k) {
				if s, ok := val.(string); ok && s == "" {
					continue // an empty secret shows that none was set
				}
				t[k] = Redacted
				continue
			}
			t[k] = redactValue(val)
		}
	case []any:
		for i := range t {
			t[i] = redactValue(t[i])
		}
	}
	return v
}

// PrettyJSON indents a JSON body; anything else comes back as it was.
func PrettyJSON(body []byte) []byte {
	var b bytes.Buffer
	if json.Indent(&b, body, "", "  ") != nil {
		return body
	}
	return b.Bytes()
}
