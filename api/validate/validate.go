// Package validate checks the values a Telegent customer types in, without
// any UI. Every function returns nil when the value is acceptable, or an
// error that says what is expected in plain words. Messages never start with
// a field name, so that callers can prefix the field they are checking:
//
//	if err := validate.AreaCode(s); err != nil {
//		return fmt.Errorf("AreaCode %w", err) // "AreaCode must be exactly 3 digits"
//	}
package validate

import (
	"encoding/base64"
	"errors"
	"net/mail"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// E164 accepts an international number: "+", a country code that does not
// start with 0, and 8 to 15 digits in all.
func E164(s string) error {
	digits, ok := strings.CutPrefix(s, "+")
	if !ok || len(digits) < 8 || len(digits) > 15 || !allDigits(digits) || digits[0] == '0' {
		return errors.New("must be an E.164 number like +18015551234 (a + and 8 to 15 digits, no spaces)")
	}
	return nil
}

// AreaCode accepts a 3-digit North American area code. Real area codes never
// start with 0 or 1, but the API only documents "3-digit", so neither does
// this.
func AreaCode(s string) error {
	if len(s) != 3 || !allDigits(s) {
		return errors.New("must be exactly 3 digits, like 801")
	}
	return nil
}

// ZipCode accepts a 5-digit US zip code (ZIP+4 is not documented by the API).
func ZipCode(s string) error {
	if len(s) != 5 || !allDigits(s) {
		return errors.New("must be exactly 5 digits (a US zip code like 84043)")
	}
	return nil
}

// ICCID accepts the 19- or 20-digit number printed on a SIM card.
func ICCID(s string) error {
	if (len(s) != 19 && len(s) != 20) || !allDigits(s) {
		return errors.New("must be the 19 or 20 digits printed on the SIM card")
	}
	return nil
}

// Email accepts a bare address such as name@example.com. A display name
// ("Jo <jo@example.com>") is refused because the API stores the value as the
// login, and a domain without a dot is refused because it cannot receive
// mail on the internet.
func Email(s string) error {
	bad := errors.New("must be an email address like name@example.com")
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return bad
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") ||
		strings.Contains(domain, "..") {
		return bad
	}
	return nil
}

// URL accepts an absolute https URL with a host. Plain http is accepted only
// for loopback hosts, so that local test receivers and the sandbox work
// while nothing real is ever sent unencrypted.
func URL(s string) error {
	return checkURL(s, "https", "http",
		"must be an https URL (http is allowed only for loopback hosts such as 127.0.0.1)")
}

// WebSocketURL is URL for WebSocket endpoints: wss, or ws on loopback.
func WebSocketURL(s string) error {
	return checkURL(s, "wss", "ws",
		"must be a wss URL (ws is allowed only for loopback hosts such as 127.0.0.1)")
}

func checkURL(s, secure, plain, msg string) error {
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() || u.Opaque != "" || u.Hostname() == "" || strings.ContainsAny(s, " \t\r\n") {
		return errors.New(msg)
	}
	if p := u.Port(); p != "" && Port(p) != nil {
		return errors.New(msg)
	}
	switch u.Scheme {
	case secure:
		return nil
	case plain:
		if IsLoopbackHost(u.Hostname()) {
			return nil
		}
	}
	return errors.New(msg)
}

// IsLoopbackHost reports whether host names this machine: "localhost", any
// 127.0.0.0/8 address, or ::1. Brackets around an IPv6 literal are allowed.
func IsLoopbackHost(host string) bool {
	if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	if strings.EqualFold(host, "localhost") || strings.EqualFold(host, "localhost.") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}

// IP accepts an IPv4 or IPv6 address literal. Zones ("fe80::1%eth0") are
// refused: they only mean something on the machine that wrote them.
func IP(s string) error {
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return errors.New("must be an IPv4 or IPv6 address like 203.0.113.10")
	}
	return nil
}

// Port accepts a TCP/UDP port number written in decimal, 1 to 65535.
func Port(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || !allDigits(s) || n < 1 || n > 65535 {
		return errors.New("must be a port number from 1 to 65535, like 5060")
	}
	return nil
}

// MIMEType accepts type/subtype, optionally followed by parameters, as in
// "audio/wav" or "text/plain; charset=utf-8".
func MIMEType(s string) error {
	bad := errors.New("must be a media type like image/png or audio/wav")
	base, params, _ := strings.Cut(s, ";")
	typ, sub, ok := strings.Cut(strings.TrimSpace(base), "/")
	if !ok || !isToken(typ) || !isToken(sub) {
		return bad
	}
	for p := range strings.SplitSeq(params, ";") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		k, v, ok := strings.Cut(p, "=")
		if !ok || !isToken(strings.TrimSpace(k)) || strings.TrimSpace(v) == "" {
			return bad
		}
	}
	return nil
}

// Base64 accepts non-empty standard base64 (RFC 4648 alphabet with +, / and
// = padding); line breaks are ignored as decoders do.
func Base64(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("must be base64-encoded data and cannot be empty")
	}
	if _, err := base64.StdEncoding.DecodeString(s); err != nil {
		return errors.New("must be standard base64 (letters, digits, + and /, padded with =)")
	}
	return nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isToken reports whether s is an RFC 2045 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune(`()<>@,;:\"/[]?=`, r) {
			return false
		}
	}
	return true
}

// Closest is the known name nearest to name, ignoring case, within three
// edits; "" when none is that close. It suggests the API's own spellings
// for typos, e.g. Trunk1Priortiy for Trunk1Priority.
func Closest(name string, known []string) string {
	const maxEdits = 3
	n := []rune(strings.ToLower(name))
	best, bestDist := "", maxEdits+1
	for _, k := range known {
		kr := []rune(strings.ToLower(k))
		if d := len(n) - len(kr); d > maxEdits || d < -maxEdits {
			continue
		}
		if d := editDistance(n, kr); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
