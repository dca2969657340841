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
	// Max is the longest value, in characters; zero takes the bound of
	// validate.MaxLen, the one table of bounds (a standard's where one
	// applies, a generous one otherwise), so every field has one.
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

// maxList bounds a comma-separated list as a form takes it.
const maxList = 4096

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
		"AccountKey":    {Required: true},
		"AccountSecret": {Required: true, Secret: true},
		"AccountId":     {Required: true},
	},
	MessageRoute: {
		"RouteName":                         {Required: true},
		"MessageUrl":                        {Required: true, Format: validate.URL},
		"MessageUrlMethod":                  {Required: true, Enum: methods},
		"MessageAuthenticationType":         {Enum: authTypes},
		"MessageUsername":                   {},
		"MessagePasswordToken":              {Secret: true},
		"CallbackMessageUrl":                {Format: validate.URL},
		"CallbackMessageUrlMethod":          {Enum: methods},
		"CallbackMessageAuthenticationType": {Enum: authTypes},
		"CallbackMessageUsername":           {},
		"CallbackMessagePasswordToken":      {Secret: true},
		"AccountId":                         {},
	},
	VoiceRoute: {
		"RouteName":               {Required: true},
		"RouteType":               {Required: true, Enum: []string{"Trunk", "URL", "Forward"}},
		"VoiceUrl":                {Format: validate.URL},
		"VoiceUrlMethod":          {Enum: methods},
		"VoiceAuthenticationType": {Enum: authTypes},
		"VoiceUsername":           {},
		"VoicePasswordToken":      {Secret: true},
		"CallbackVoiceUrl":        {Format: validate.URL},
		"CallbackVoiceUrlMethod":  {Enum: methods},
		"TrunkIp1":                {Format: validate.IP},
		"TrunkPort1":              {Format: validate.Port},
		"TrunkTransport1":         {Enum: []string{"UDP", "TCP", "TLS"}},
		"TrunkUri1":               {Format: trunkURI},
		"Trunk1Priortiy":          {Format: integer(0, 65535)},
		"Trunk1Weight":            {Format: integer(0, 65535)},
		"TrunkIp2":                {Format: validate.IP},
		"TrunkPort2":              {Format: validate.Port},
		"TrunkTransport2":         {Enum: []string{"UDP", "TCP", "TLS"}},
		"TrunkUri2":               {Format: trunkURI},
		"Trunk2Priortiy":          {Format: integer(0, 65535)},
		"Trunk2Weight":            {Format: integer(0, 65535)},
		"IpWhitelist":             {Max: maxList, Each: validate.IP},
		"WssUri":                  {Format: validate.WebSocketURL},
		"HeaderManipulation":      {},
		"TransferCallerId":        {},
		"TerminationUriSubdomain": {},
		"AccountId":               {},
	},
	Availability: {
		"NumberType":  {Required: true, Enum: []string{"mobile", "voip"}},
		"MessageType": {Enum: []string{"p2p", "a2p"}},
		"AreaCode":    {Format: validate.AreaCode},
		"ZipCode":     {Format: validate.ZipCode},
	},
	Subscriber: {
		"Name":         {Required: true},
		"Email":        {Required: true, Format: validate.Email}, // RFC 5321's bound
		"Role":         {Required: true, Enum: []string{"Subscriber", "Manager", "Account Admin"}},
		"Password":     {Required: true, Format: minLength(MinPasswordLength), Secret: true},
		"AccountId":    {Required: true},
		"PhoneNumbers": {Format: validate.E164},
		"SubscriberId": {},
	},
	Provision: {
		"NumberType":           {Required: true, Enum: []string{"mvno", "iot"}},
		"MessageType":          {Required: true, Enum: []string{"p2p", "a2p"}},
		"ProductType":          {Required: true, Enum: api.ProductTypes},
		"ICCID":                {Format: validate.ICCID},
		"AreaCode":             {Format: validate.AreaCode},
		"ZipCode":              {Format: validate.ZipCode},
		"MessageRouteId":       {},
		"VoiceRouteId":         {},
		"AssignedSubscriberId": {},
		"AccountId":            {},
	},
	TestMessage: {
		"From":     {Required: true, Format: validate.E164},
		"To":       {Required: true, Max: maxList, Each: validate.E164},
		"Body":     {Required: true},
		"MmsMedia": {Max: maxList, Each: validate.URL},
		"Owner":    {Format: validate.E164},
	},
}

// RuleOf is the rule of a step's field; a field the table does not know
// gets a bare length bound, so nothing is ever unbounded.
func RuleOf(step Step, field string) Rule {
	r := rules[step][field]
	if r.Max == 0 {
		r.Max = validate.MaxLength(field)
	}
	return r
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
