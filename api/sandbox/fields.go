package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Field checks shared by the handlers. Each returns a 400 whose message
// starts with the field's name and says what was expected.

func required(field, v string) *apiError {
	if strings.TrimSpace(v) == "" {
		return badRequest("%s is required", field)
	}
	return nil
}

func requiredBool(field string, v *bool) *apiError {
	if v == nil {
		return badRequest("%s is required (true or false)", field)
	}
	return nil
}

// check applies a validate function to a value that must be present.
func check(field, v string, f func(string) error) *apiError {
	if e := required(field, v); e != nil {
		return e
	}
	return checkOptional(field, v, f)
}

// checkOptional applies f only when v is not empty.
func checkOptional(field, v string, f func(string) error) *apiError {
	if v == "" {
		return nil
	}
	if err := f(v); err != nil {
		return badRequest("%s %v; got %s", field, err, q(v))
	}
	return nil
}

// oneOf matches v case-insensitively against the allowed spellings and
// returns the canonical one. An empty v returns "" without error; callers
// decide whether the field is required.
func oneOf(field string, v *string, allowed ...string) *apiError {
	if *v == "" {
		return nil
	}
	for _, a := range allowed {
		if strings.EqualFold(*v, a) {
			*v = a
			return nil
		}
	}
	return badRequest("%s must be %s; got %s", field, orList(allowed), q(*v))
}

func orList(items []string) string {
	switch len(items) {
	case 1:
		return items[0]
	case 2:
		return items[0] + " or " + items[1]
	}
	return "one of " + strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

func intRange(field string, v *int, lo, hi int) *apiError {
	if v != nil && (*v < lo || *v > hi) {
		return badRequest("%s must be a whole number from %d to %d; got %d", field, lo, hi, *v)
	}
	return nil
}

// authRules applies the documented pairing of an authentication type with
// its credentials: Basic needs a username and a password, Bearer a token.
func authRules(prefix string, typ *string, user, secret string) *apiError {
	field := prefix + "AuthenticationType"
	if e := oneOf(field, typ, "None", "Basic", "Bearer"); e != nil {
		return e
	}
	if *typ == "" {
		*typ = "None"
	}
	switch *typ {
	case "Basic":
		if user == "" {
			return badRequest("%sUsername is required when %s is Basic", prefix, field)
		}
		if secret == "" {
			return badRequest("%sPasswordToken (the password) is required when %s is Basic", prefix, field)
		}
	case "Bearer":
		if secret == "" {
			return badRequest("%sPasswordToken (the bearer token) is required when %s is Bearer", prefix, field)
		}
	}
	return nil
}

func checkAccount(id string) *apiError {
	if id != "" && id != DemoAccountID {
		return notFound("AccountId %s does not exist or belongs to a different account. "+
			"Use the AccountId provided by your Telegent representative (the sandbox's is %s).", q(id), DemoAccountID)
	}
	return nil
}

func boolOr(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}

func intOr(p *int, def int) int {
	if p == nil {
		return def
	}
	return *p
}

// query returns a query parameter, matching its name case-insensitively
// (the docs write CallRouteID and phoneNumber) and preferring the exact
// spelling when several are present.
func query(r *http.Request, name string) string {
	vals := r.URL.Query()
	if v, ok := vals[name]; ok && len(v) > 0 {
		return v[0]
	}
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if strings.EqualFold(k, name) && len(vals[k]) > 0 {
			return vals[k][0]
		}
	}
	return ""
}

func requiredQuery(r *http.Request, name string) (string, *apiError) {
	v := strings.TrimSpace(query(r, name))
	if v == "" {
		return "", badRequest("the %s query parameter is required", name)
	}
	return v, nil
}

// queryInt reads an optional positive integer parameter.
func queryInt(r *http.Request, name string, def, lo, hi int) (int, *apiError) {
	s := strings.TrimSpace(query(r, name))
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, badRequest("the %s query parameter must be a whole number from %d to %d; got %s", name, lo, hi, q(s))
	}
	return n, nil
}

// phoneParam repairs a number written unescaped in a query string, where
// "+1801…" arrives as " 1801…".
func phoneParam(s string) string {
	s = strings.TrimSpace(s)
	if s != "" && s[0] != '+' && strings.Trim(s, "0123456789") == "" {
		return "+" + s
	}
	return s
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return b
}

// newUUID returns a version 4 UUID, the shape the API's IDs have after their
// prefix.
func newUUID() string {
	b := randomBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func randomString(n int, alphabet string) string {
	b := randomBytes(n)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
