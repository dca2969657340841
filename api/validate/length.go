package validate

import (
	"fmt"
	"unicode/utf8"
)

// MaxLen is the longest value each field takes, in characters, keyed by the
// API's JSON name (the last segment: "Number" for To[0].Number). The
// documents give no length limits for this API, so the bounds are standards
// where one applies and otherwise generous values chosen here; they exist
// so that a runaway value (a 10 MB body) is refused before anything is
// created, not to second-guess the server.
var MaxLen = map[string]int{
	// Standards.
	"Email":                   254, // RFC 5321: the longest deliverable address
	"Number":                  16,  // E.164: "+" and at most 15 digits
	"From":                    16,
	"Owner":                   16,
	"PhoneNumbers":            16,
	"TerminationUriSubdomain": 63, // RFC 1035: one DNS label
	"TrunkIp1":                45, // the longest IPv6 text form
	"TrunkIp2":                45,
	"IpAddress":               45,
	"BaseType":                255, // RFC 6838: 127-character type and subtype
	"AreaCode":                3,
	"ZipCode":                 5,
	"ICCID":                   20,
	"TrunkPort1":              5,
	"TrunkPort2":              5,

	// Chosen here.
	"Body":                         1600, // ten concatenated 160-character SMS segments
	"Base64":                       1 << 20,
	"RouteName":                    100,
	"Name":                         100,
	"Password":                     128,
	"MessageUsername":              128,
	"CallbackMessageUsername":      128,
	"VoiceUsername":                128,
	"MessagePasswordToken":         4096, // a bearer token (a JWT) can be long
	"CallbackMessagePasswordToken": 4096,
	"VoicePasswordToken":           4096,
	"MessageUrl":                   2048, // what browsers and proxies reliably carry
	"CallbackMessageUrl":           2048,
	"VoiceUrl":                     2048,
	"CallbackVoiceUrl":             2048,
	"TrunkUri1":                    2048,
	"TrunkUri2":                    2048,
	"WssUri":                       2048,
	"MediaUrl":                     2048,
	"HeaderManipulation":           64,
	"TransferCallerId":             64,
	"CampaignId":                   128,
	"AccountId":                    128,
	"MessageRouteId":               128,
	"VoiceRouteId":                 128,
	"AssignedSubscriberId":         128,
	"SubscriberId":                 128,
}

// DefaultMaxLen bounds a field MaxLen does not name (enums, methods, types).
const DefaultMaxLen = 256

// MaxLength is the bound for a field: MaxLen's, else DefaultMaxLen.
func MaxLength(field string) int {
	if n, ok := MaxLen[field]; ok {
		return n
	}
	return DefaultMaxLen
}

// Length refuses a value longer than its field's bound, counted in
// characters. The message gives the length, never the value, which may be
// a secret.
func Length(field, s string) error {
	max := MaxLength(field)
	if len(s) <= max { // bytes ≥ characters: no need to count
		return nil
	}
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Errorf("must be at most %d characters, got %d", max, n)
	}
	return nil
}
