package flow

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/validate"
)

// The field rules: one table, per step and field, of what a value must be.
// The wizard's form validators, the accessible prompts, answers files and
// the engine's check before every request all read it, so a value is
// accepted or refused identically everywhere, with the same words.

// Rule is what one field's value must be.
type Rule struct {
	Required bool
	// Max is the longest value, in characters. Every field has one: the
	// documented bound where there is one, otherwise a generous one that
	// no real value reaches (a URL 2,048, a name 100, a secret 512).
	Max int
	// Enum lists the values allowed, exactly as the API spells them.
	Enum []string
	// Format checks a value that is present (validate's wording).
	Format func(string) error
	// Each, for a comma-separated list on a form, checks every entry.
	Each func(string) error
	// Secret values are never trimmed, echoed or stored.
	Secret bool
}

// Bounds where the documents give none: long enough for any real value,
// short enough that nothing absurd is sent (a 10 MB body is refused before
// the run creates anything).
const (
	maxName    = 100
	maxURL     = 2048
	maxUser    = 128
	maxSecret  = 512
	maxShort   = 64
	maxBody    = 1600 // ten concatenated SMS segments
	maxList    = 4096 // a comma-separated list on a form
	maxIDField = 64
)

var (
	methods   = []string{"GET", "POST"}
	authTypes = []string{api.AuthNone, api.AuthBasic, api.AuthBearer}
)

// MinPasswordLength is the shortest subscriber password the API takes.
const MinPasswordLength = 8

func minLength(n int) func(string) error {
	return func(s string) error {
		if utf8.RuneCountInString(s) < n {
			return fmt.Errorf("must be at least %d characters, got %d", n, utf8.RuneCountInString(s))
		}
		return nil
	}
}

func integer(lo, hi int) func(string) error {
	return func(s string) error {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("must be a whole number from %d to %d", lo, hi)
		}
		return nil
	}
}

// trunkURI is what a trunk URI may be: an https URL (as the quickstart
// shows) or a sip:/sips: URI with a host.
func trunkURI(s string) error {
	lower := strings.ToLower(s)
	for _, p := range []string{"sips:", "sip:"} {
		if rest, ok := strings.CutPrefix(lower, p); ok {
			if rest == "" || strings.ContainsAny(rest, " \t") {
				break
			}
			return nil
		}
	}
	if validate.URL(s) == nil {
		return nil
	}
	return errors.New("must be an https URL or a sip:/sips: URI, like sip:trunk.example.com:5060")
}

var rules = map[Step]map[string]Rule{
	Credentials: {
		"AccountKey":    {Required: true, Max: maxIDField},
		"AccountSecret": {Required: true, Max: maxSecret, Secret: true},
		"AccountId":     {Required: true, Max: maxIDField},
	},
	MessageRoute: {
		"RouteName":                         {Required: true, Max: maxName},
		"MessageUrl":                        {Required: true, Max: maxURL, Format: validate.URL},
		"MessageUrlMethod":                  {Required: true, Max: maxShort, Enum: methods},
		"MessageAuthenticationType":         {Max: maxShort, Enum: authTypes},
		"MessageUsername":                   {Max: maxUser},
		"MessagePasswordToken":              {Max: maxSecret, Secret: true},
		"CallbackMessageUrl":                {Max: maxURL, Format: validate.URL},
		"CallbackMessageUrlMethod":          {Max: maxShort, Enum: methods},
		"CallbackMessageAuthenticationType": {Max: maxShort, Enum: authTypes},
		"CallbackMessageUsername":           {Max: maxUser},
		"CallbackMessagePasswordToken":      {Max: maxSecret, Secret: true},
		"AccountId":                         {Max: maxIDField},
	},
	VoiceRoute: {
		"RouteName":               {Required: true, Max: maxName},
		"RouteType":               {Required: true, Max: maxShort, Enum: []string{"Trunk", "URL", "Forward"}},
		"VoiceUrl":                {Max: maxURL, Format: validate.URL},
		"VoiceUrlMethod":          {Max: maxShort, Enum: methods},
		"VoiceAuthenticationType": {Max: maxShort, Enum: authTypes},
		"VoiceUsername":           {Max: maxUser},
		"VoicePasswordToken":      {Max: maxSecret, Secret: true},
		"CallbackVoiceUrl":        {Max: maxURL, Format: validate.URL},
		"CallbackVoiceUrlMethod":  {Max: maxShort, Enum: methods},
		"TrunkIp1":                {Max: maxShort, Format: validate.IP},
		"TrunkPort1":              {Max: 5, Format: validate.Port},
		"TrunkTransport1":         {Max: maxShort, Enum: []string{"UDP", "TCP", "TLS"}},
		"TrunkUri1":               {Max: maxURL, Format: trunkURI},
		"Trunk1Priortiy":          {Max: 5, Format: integer(0, 65535)},
		"Trunk1Weight":            {Max: 5, Format: integer(0, 65535)},
		"TrunkIp2":                {Max: maxShort, Format: validate.IP},
		"TrunkPort2":              {Max: 5, Format: validate.Port},
		"TrunkTransport2":         {Max: maxShort, Enum: []string{"UDP", "TCP", "TLS"}},
		"TrunkUri2":               {Max: maxURL, Format: trunkURI},
		"Trunk2Priortiy":          {Max: 5, Format: integer(0, 65535)},
		"Trunk2Weight":            {Max: 5, Format: integer(0, 65535)},
		"IpWhitelist":             {Max: maxList, Each: validate.IP},
		"WssUri":                  {Max: maxURL, Format: validate.WebSocketURL},
		"HeaderManipulation":      {Max: maxURL},
		"TransferCallerId":        {Max: maxShort},
		"TerminationUriSubdomain": {Max: maxShort},
		"AccountId":               {Max: maxIDField},
	},
	Availability: {
		"NumberType":  {Required: true, Max: maxShort, Enum: []string{"mobile", "voip"}},
		"MessageType": {Max: maxShort, Enum: []string{"p2p", "a2p"}},
		"AreaCode":    {Max: 3, Format: validate.AreaCode},
		"ZipCode":     {Max: 5, Format: validate.ZipCode},
	},
	Subscriber: {
		"Name":         {Required: true, Max: maxName},
		"Email":        {Required: true, Max: 254, Format: validate.Email}, // RFC 5321's bound
		"Role":         {Required: true, Max: maxShort, Enum: []string{"Subscriber", "Manager", "Account Admin"}},
		"Password":     {Required: true, Max: maxSecret, Format: minLength(MinPasswordLength), Secret: true},
		"AccountId":    {Required: true, Max: maxIDField},
		"PhoneNumbers": {Max: 16, Format: validate.E164},
		"SubscriberId": {Max: maxIDField},
	},
	Provision: {
		"NumberType":           {Required: true, Max: maxShort, Enum: []string{"mvno", "iot"}},
		"MessageType":          {Required: true, Max: maxShort, Enum: []string{"p2p", "a2p"}},
		"ProductType":          {Required: true, Max: maxShort, Enum: api.ProductTypes},
		"ICCID":                {Max: 20, Format: validate.ICCID},
		"AreaCode":             {Max: 3, Format: validate.AreaCode},
		"ZipCode":              {Max: 5, Format: validate.ZipCode},
		"MessageRouteId":       {Max: maxIDField},
		"VoiceRouteId":         {Max: maxIDField},
		"AssignedSubscriberId": {Max: maxIDField},
		"AccountId":            {Max: maxIDField},
	},
	TestMessage: {
		"From":     {Required: true, Max: 16, Format: validate.E164},
		"To":       {Required: true, Max: maxList, Each: validate.E164},
		"Body":     {Required: true, Max: maxBody},
		"MmsMedia": {Max: maxList, Each: validate.URL},
		"Owner":    {Max: 16, Format: validate.E164},
	},
}

// RuleOf is the rule of a step's field; a field the table does not know
// gets a bare length bound, so nothing is ever unbounded.
func RuleOf(step Step, field string) Rule {
	if r, ok := rules[step][field]; ok {
		return r
	}
	return Rule{Max: maxURL}
}

// FieldError is a value that breaks its field's rule.
type FieldError struct {
	Step  Step
	Field string // the API's name; "To[0].Number" inside a list
	Msg   string // what is expected: "is required", "must be …"
	Got   string // the value, for messages; empty for secrets
}

func (e *FieldError) Error() string {
	msg := e.Field + " " + e.Msg
	if e.Got != "" {
		msg += ", got " + strconv.Quote(clip(e.Got, 40))
	}
	return msg
}

// clip shortens a value quoted in a message: a 10 MB body is not echoed.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// CheckField checks one value against its field's rule. The error names
// the field ("MessageUrl must be an https URL…"), as a form shows it.
func CheckField(step Step, field, value string) error {
	if fe := checkValue(step, field, field, value); fe != nil {
		return fe
	}
	return nil
}

// checkValue is CheckField with the name to report (a list entry's path).
func checkValue(step Step, field, report, value string) *FieldError {
	r := RuleOf(step, field)
	fail := func(msg string, got bool) *FieldError {
		fe := &FieldError{Step: step, Field: report, Msg: msg}
		if got && !r.Secret {
			fe.Got = value
		}
		return fe
	}
	if n := utf8.RuneCountInString(value); r.Max > 0 && n > r.Max {
		return fail(fmt.Sprintf("must be at most %d characters, got %d", r.Max, n), false)
	}
	v := value
	if !r.Secret {
		v = strings.TrimSpace(value)
	}
	if strings.TrimSpace(v) == "" {
		if r.Required {
			return fail("is required", false)
		}
		return nil
	}
	if len(r.Enum) > 0 && !slices.Contains(r.Enum, v) {
		return fail("must be "+orList(r.Enum), true)
	}
	if r.Each != nil {
		for _, item := range SplitList(v) {
			if err := r.Each(item); err != nil {
				return &FieldError{Step: step, Field: report, Msg: fmt.Sprintf("entry %q %v", clip(item, 40), err)}
			}
		}
		return nil
	}
	if r.Format != nil {
		if err := r.Format(v); err != nil {
			return fail(err.Error(), true)
		}
	}
	return nil
}

// SplitList reads a comma-separated list as forms take one.
func SplitList(s string) []string {
	var out []string
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func orList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = strconv.Quote(s)
	}
	switch len(q) {
	case 1:
		return q[0]
	case 2:
		return q[0] + " or " + q[1]
	}
	return "one of " + strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}
