package flow

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"unicode/utf8"

	"sigs.k8s.io/yaml"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/validate"
)

// Answers are the request bodies of a headless run, keyed by step, exactly
// as the quickstart writes them. A nil VoiceRoute skips the voice route; the
// other steps are required. IDs that earlier steps produce (MessageRouteId,
// VoiceRouteId, AssignedSubscriberId, From, AccountId, and AreaCode/ZipCode
// from the first availability result) are filled in when left out.
type Answers struct {
	MessageRoute *api.MessageRouteRequest    `json:"MessageRoute"`
	VoiceRoute   *api.VoiceRouteRequest      `json:"VoiceRoute"`
	Availability *api.AvailabilityRequest    `json:"Availability"`
	Subscriber   *SubscriberAnswer           `json:"Subscriber"`
	Provision    *api.ProvisionRequest       `json:"Provision"`
	Message      *api.OutboundMessageRequest `json:"Message"`

	// present holds, per step, the keys the file wrote (lower case), so
	// that a required boolean left out is told from an explicit false.
	present map[string]map[string]bool
	// source is the file's text, for line numbers in errors.
	source []byte
}

// SubscriberAnswer is a subscriber body, or with SubscriberId an existing
// subscriber to adopt instead of creating one (how a run finishes after a
// lost answer: the API cannot look a subscriber up by email).
type SubscriberAnswer struct {
	api.SubscriberRequest
	SubscriberId string `json:"SubscriberId,omitempty"`
}

// AnswersError is bad input in an answers file: which file, step and field,
// and what is expected. Its message reads like
// `answers.yaml: Provision.ZipCode: must be exactly 5 digits …, got "XXXXX"`.
type AnswersError struct {
	File     string
	Step     string // "Provision"; empty for the file as a whole
	Field    string // "ZipCode", "To[0].Number"; empty for the step as a whole
	Line     int    // 1-based, when known
	Expected string
}

func (e *AnswersError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Step != "" {
		b.WriteString(e.Step)
		if e.Field != "" {
			b.WriteString("." + e.Field)
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Expected)
	return b.String()
}

// answerSteps are the keys of an answers file, in order.
var answerSteps = []string{"MessageRoute", "VoiceRoute", "Availability", "Subscriber", "Provision", "Message"}

// LoadAnswers reads an answers file, JSON or YAML. Unknown keys, at the top
// or inside a step, and values of the wrong type are *AnswersError naming
// the step and field. It does not check values: see Validate.
func LoadAnswers(path string) (*Answers, error) {
	data, err := readAnswersFile(path)
	if err != nil {
		return nil, err
	}
	a := &Answers{present: map[string]map[string]bool{}, source: data}
	js := data
	if !looksLikeJSON(path, data) {
		if js, err = yaml.YAMLToJSON(data); err != nil {
			return nil, &AnswersError{File: path, Line: yamlLine(err), Expected: "is not valid YAML or JSON: " + strings.TrimPrefix(err.Error(), "error converting YAML to JSON: ")}
		}
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(js, &top); err != nil || top == nil {
		msg := "must be an object keyed by step: " + strings.Join(answerSteps, ", ")
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, &AnswersError{File: path, Line: lineAt(data, se.Offset), Expected: "is not valid JSON: " + se.Error()}
		}
		return nil, &AnswersError{File: path, Expected: msg}
	}
	keys := make([]string, 0, len(top))
	for k := range top {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		step := canonicalStep(k)
		if step == "" {
			return nil, &AnswersError{File: path, Step: k, Line: keyLine(data, k),
				Expected: "unknown step; the steps are " + strings.Join(answerSteps, ", ") + suggest(k, answerSteps)}
		}
		raw := top[k]
		if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			continue
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
			return nil, &AnswersError{File: path, Step: step, Line: keyLine(data, k), Expected: "must be an object: the step's request body"}
		}
		a.present[step] = map[string]bool{}
		for f := range fields {
			a.present[step][strings.ToLower(f)] = true
		}
		var target any
		switch step {
		case "MessageRoute":
			a.MessageRoute = new(api.MessageRouteRequest)
			target = a.MessageRoute
		case "VoiceRoute":
			a.VoiceRoute = new(api.VoiceRouteRequest)
			target = a.VoiceRoute
		case "Availability":
			a.Availability = new(api.AvailabilityRequest)
			target = a.Availability
		case "Subscriber":
			a.Subscriber = new(SubscriberAnswer)
			target = a.Subscriber
		case "Provision":
			a.Provision = new(api.ProvisionRequest)
			target = a.Provision
		case "Message":
			a.Message = new(api.OutboundMessageRequest)
			target = a.Message
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(target); err != nil {
			return nil, decodeError(path, data, step, target, err)
		}
	}
	return a, nil
}

// MaxAnswersSize is the largest answers file read: the full example is
// about 1 KiB, and every field has a bound far below this.
const MaxAnswersSize = 1 << 20

// readAnswersFile reads a regular file of at most MaxAnswersSize. Anything
// else is refused at once: /dev/zero would be read until memory runs out,
// and a FIFO without a writer would block the open past any signal. The
// file is opened without blocking and checked on the open descriptor, so it
// cannot be swapped for a FIFO between the check and the read.
func readAnswersFile(path string) ([]byte, error) {
	bad := func(why string) error { return &AnswersError{File: path, Expected: why} }
	if fi, err := os.Stat(path); err != nil {
		return nil, bad("cannot read the answers file: " + unwrapPathErr(err))
	} else if !fi.Mode().IsRegular() {
		return nil, bad(fmt.Sprintf("is not a regular file (%s): give the path of a YAML or JSON file", fileKind(fi.Mode())))
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, bad("cannot read the answers file: " + unwrapPathErr(err))
	}
	defer f.Close()
	fi, err := f.Stat()
	switch {
	case err != nil:
		return nil, bad("cannot read the answers file: " + unwrapPathErr(err))
	case !fi.Mode().IsRegular():
		return nil, bad(fmt.Sprintf("is not a regular file (%s): give the path of a YAML or JSON file", fileKind(fi.Mode())))
	case fi.Size() > MaxAnswersSize:
		return nil, bad(fmt.Sprintf("is %d bytes; an answers file may be at most %d (1 MiB)", fi.Size(), MaxAnswersSize))
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxAnswersSize+1))
	if err != nil {
		return nil, bad("cannot read the answers file: " + unwrapPathErr(err))
	}
	if len(data) > MaxAnswersSize { // it grew while being read
		return nil, bad(fmt.Sprintf("is larger than %d bytes (1 MiB), the most an answers file may be", MaxAnswersSize))
	}
	return data, nil
}

func fileKind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a FIFO"
	case m&os.ModeCharDevice != 0:
		return "a character device"
	case m&os.ModeDevice != 0:
		return "a device"
	case m&os.ModeSocket != 0:
		return "a socket"
	}
	return "not a plain file"
}

func unwrapPathErr(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func looksLikeJSON(path string, data []byte) bool {
	if strings.EqualFold(filepath.Ext(path), ".json") {
		return true
	}
	t := bytes.TrimSpace(data)
	return len(t) > 0 && t[0] == '{'
}

func canonicalStep(k string) string {
	for _, s := range answerSteps {
		if strings.EqualFold(k, s) {
			return s
		}
	}
	return ""
}

var unknownFieldRE = regexp.MustCompile(`unknown field "([^"]+)"`)

// decodeError turns encoding/json's complaints into step and field terms.
func decodeError(file string, data []byte, step string, target any, err error) error {
	if m := unknownFieldRE.FindStringSubmatch(err.Error()); m != nil {
		expected := "unknown field"
		if hint := suggest(m[1], jsonFields(target)); hint != "" {
			expected += hint
		} else {
			expected += "; " + step + " takes " + strings.Join(jsonFields(target), ", ")
		}
		return &AnswersError{File: file, Step: step, Field: m[1], Line: fieldLine(data, step, m[1]), Expected: expected}
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if i := strings.LastIndexByte(field, '.'); i >= 0 && step == "Subscriber" && strings.HasPrefix(field, "SubscriberRequest.") {
			field = field[i+1:]
		}
		want := te.Type.String()
		switch te.Type.Kind().String() {
		case "string":
			want = "a string (in YAML, quote it: \"…\")"
		case "bool":
			want = "true or false"
		case "int", "int64":
			want = "a whole number"
		case "slice":
			want = "a list"
		case "struct", "ptr":
			want = "an object"
		}
		return &AnswersError{File: file, Step: step, Field: field, Line: fieldLine(data, step, field),
			Expected: "must be " + want + ", got a JSON " + te.Value}
	}
	return &AnswersError{File: file, Step: step, Expected: "cannot be read: " + err.Error()}
}

func lastSegment(field string) string {
	if i := strings.LastIndexByte(field, '.'); i >= 0 {
		return field[i+1:]
	}
	return field
}

// jsonFields lists the JSON names a step takes, for messages.
func jsonFields(target any) []string {
	b, _ := json.Marshal(target)
	var m map[string]json.RawMessage
	_ = json.Unmarshal(b, &m)
	var names []string
	for k := range m {
		names = append(names, k)
	}
	// omitempty fields are missing from the marshalled zero value; add them.
	switch target.(type) {
	case *SubscriberAnswer:
		names = append(names, "SubscriberId")
	}
	names = append(names, optionalFields[fmt.Sprintf("%T", target)]...)
	slices.Sort(names)
	return slices.Compact(names)
}

var optionalFields = map[string][]string{
	"*api.MessageRouteRequest": {"MessageRouteEnabled", "MessageAuthenticationType", "MessageUsername", "MessagePasswordToken",
		"CallbackMessageUrl", "CallbackMessageUrlMethod", "CallbackMessageAuthenticationType", "CallbackMessageUsername",
		"CallbackMessagePasswordToken", "InboundBypass", "OutboundBypass", "IntelligentRouteEnabled", "AccountId"},
	"*api.VoiceRouteRequest": {"VoiceUrl", "VoiceUrlMethod", "VoiceAuthenticationType", "VoiceUsername", "VoicePasswordToken",
		"CallbackVoiceUrl", "CallbackVoiceUrlMethod", "TrunkIp1", "TrunkIp2", "TrunkPort1", "TrunkPort2", "TrunkTransport1",
		"TrunkTransport2", "TrunkUri1", "TrunkUri2", "TrunkEnabled1", "TrunkEnabled2", "Trunk1Priortiy", "Trunk1Weight",
		"Trunk2Priortiy", "Trunk2Weight", "HeaderManipulation", "EnableSipRefer", "TransferCallerId", "SymmetricRtp",
		"EnableTrpSecureTrunk", "EnablePstnTransfer", "IpWhitelist", "CnamLookup", "TerminationUriSubdomain",
		"EnableCallStreaming", "WssUri", "RouteEnabled", "IntelligentRouteEnabled", "AccountId"},
	"*api.AvailabilityRequest": {"MessageType", "PageNumber"},
	"*api.ProvisionRequest": {"DataEnabled", "MessageRouteId", "VoiceRouteId", "AreaCode", "ZipCode", "ICCID",
		"AssignedSubscriberId", "AccountId"},
	"*api.OutboundMessageRequest": {"CampaignId", "Owner", "MmsMedia", "MmsBase64"},
}

// suggest names the closest known spelling, for typos such as
// Trunk1Priority (the API writes Trunk1Priortiy).
func suggest(got string, known []string) string {
	best := validate.Closest(got, known)
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// keyLine is the first line of data that writes key as a key, JSON or YAML
// style; 0 when not found.
func keyLine(data []byte, key string) int {
	if key == "" {
		return 0
	}
	re, err := regexp.Compile(`(?mi)^\s*(?:-\s*)?(?:"` + regexp.QuoteMeta(key) + `"|'` + regexp.QuoteMeta(key) + `'|` + regexp.QuoteMeta(key) + `)\s*:|[{,]\s*"` + regexp.QuoteMeta(key) + `"\s*:`)
	if err != nil {
		return 0
	}
	loc := re.FindIndex(data)
	if loc == nil {
		return 0
	}
	return bytes.Count(data[:loc[0]], []byte("\n")) + 1 + leadingNewlines(data[loc[0]:loc[1]])
}

func leadingNewlines(b []byte) int {
	n := 0
	for _, c := range b {
		switch c {
		case '\n':
			n++
		case ' ', '\t', '\r':
		default:
			return n
		}
	}
	return n
}

// fieldLine is the line of a step's key, or of field after it; 0 when not
// found.
func fieldLine(src []byte, step, field string) int {
	line := keyLine(src, step)
	if field == "" || line == 0 {
		return line
	}
	start := lineStart(src, line)
	if l := keyLine(src[start:], lastSegment(strings.SplitN(field, "[", 2)[0])); l > 0 {
		return line + l - 1
	}
	return 0
}

// lineStart is the offset where 1-based line n begins.
func lineStart(data []byte, n int) int {
	off := 0
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(data[off:], '\n')
		if j < 0 {
			return len(data)
		}
		off += j + 1
	}
	return off
}

func lineAt(data []byte, offset int64) int {
	if offset < 0 || offset > int64(len(data)) {
		return 0
	}
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

func yamlLine(err error) int {
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// Validate checks every value the API would refuse, before any call, so a
// bad file costs nothing. file names the file in messages. Every problem is
// an *AnswersError; several are joined (errors.As finds the first).
func (a *Answers) Validate(file string) error {
	v := &validator{file: file, a: a}
	if a.MessageRoute == nil {
		v.fail("MessageRoute", "", "is required: the message route every number needs (RouteName, MessageUrl, MessageUrlMethod)")
	} else {
		v.messageRoute(a.MessageRoute)
	}
	if a.VoiceRoute != nil {
		v.voiceRoute(a.VoiceRoute)
	}
	if a.Availability == nil {
		v.fail("Availability", "", "is required: the availability search (NumberType, MessageEnabled, VoiceEnabled)")
	} else {
		v.availability(a.Availability)
	}
	if a.Subscriber == nil {
		v.fail("Subscriber", "", "is required: the subscriber (Name, Email, Role, Password), or SubscriberId to use an existing one")
	} else {
		v.subscriber(a.Subscriber)
	}
	if a.Provision == nil {
		v.fail("Provision", "", "is required: the provision body (NumberType, MessageType, MessageEnabled, VoiceEnabled, ProductType)")
	} else {
		v.provision(a.Provision)
	}
	if a.Message == nil {
		v.fail("Message", "", "is required: the test message (To, Body)")
	} else {
		v.message(a.Message)
	}
	for _, st := range []struct {
		name string
		body any
	}{{"MessageRoute", a.MessageRoute}, {"VoiceRoute", a.VoiceRoute}, {"Availability", a.Availability},
		{"Subscriber", a.Subscriber}, {"Provision", a.Provision}, {"Message", a.Message}} {
		v.lengths(st.name, st.body)
	}
	return errors.Join(v.errs...)
}

// lengths checks every string of a step against its field's upper bound
// (validate.MaxLen), so a runaway value is refused before the run creates
// anything, not by the API at the step that sends it.
func (v *validator) lengths(step string, body any) {
	if reflect.ValueOf(body).IsNil() {
		return
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return
	}
	var tree any
	if json.Unmarshal(raw, &tree) != nil {
		return
	}
	var walk func(path, key string, val any)
	walk = func(path, key string, val any) {
		switch t := val.(type) {
		case string:
			if err := validate.Length(key, t); err != nil {
				v.fail(step, path, err.Error())
			}
		case map[string]any:
			keys := make([]string, 0, len(t))
			for k := range t {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				p := k
				if path != "" {
					p = path + "." + k
				}
				walk(p, k, t[k])
			}
		case []any:
			for i, item := range t {
				walk(fmt.Sprintf("%s[%d]", path, i), key, item)
			}
		}
	}
	walk("", "", tree)
}

type validator struct {
	file string
	a    *Answers
	errs []error
}

func (v *validator) fail(step, field, expected string) {
	line := 0
	if v.a.source != nil {
		line = fieldLine(v.a.source, step, field)
	}
	v.errs = append(v.errs, &AnswersError{File: v.file, Step: step, Field: field, Line: line, Expected: expected})
}

func (v *validator) required(step, field, val string) bool {
	if strings.TrimSpace(val) == "" {
		v.fail(step, field, "is required")
		return false
	}
	return true
}

// check applies a validate function to a value that must be present.
func (v *validator) check(step, field, val string, f func(string) error) {
	if v.required(step, field, val) {
		v.optional(step, field, val, f)
	}
}

func (v *validator) optional(step, field, val string, f func(string) error) {
	if val == "" {
		return
	}
	if err := f(val); err != nil {
		v.fail(step, field, fmt.Sprintf("%v, got %q", err, val))
	}
}

func (v *validator) oneOf(step, field, val string, allowed ...string) {
	if val == "" || slices.Contains(allowed, val) {
		return
	}
	v.fail(step, field, fmt.Sprintf("must be %s, got %q", orList(allowed), val))
}

func (v *validator) requiredBool(step, field string) {
	if !v.a.present[step][strings.ToLower(field)] && v.a.present != nil && v.a.present[step] != nil {
		v.fail(step, field, "is required: true or false")
	}
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

func (v *validator) auth(step, prefix, typ, user, secret string) {
	field := prefix + "AuthenticationType"
	v.oneOf(step, field, typ, api.AuthNone, api.AuthBasic, api.AuthBearer)
	switch typ {
	case api.AuthBasic:
		if user == "" {
			v.fail(step, prefix+"Username", "is required when "+field+" is Basic")
		}
		if secret == "" {
			v.fail(step, prefix+"PasswordToken", "is required when "+field+" is Basic (the password)")
		}
	case api.AuthBearer:
		if secret == "" {
			v.fail(step, prefix+"PasswordToken", "is required when "+field+" is Bearer (the token)")
		}
	}
}

func (v *validator) messageRoute(r *api.MessageRouteRequest) {
	const s = "MessageRoute"
	v.required(s, "RouteName", r.RouteName)
	v.check(s, "MessageUrl", r.MessageUrl, validate.URL)
	if v.required(s, "MessageUrlMethod", r.MessageUrlMethod) {
		v.oneOf(s, "MessageUrlMethod", r.MessageUrlMethod, "GET", "POST")
	}
	v.auth(s, "Message", r.MessageAuthenticationType, r.MessageUsername, r.MessagePasswordToken)
	v.optional(s, "CallbackMessageUrl", r.CallbackMessageUrl, validate.URL)
	v.oneOf(s, "CallbackMessageUrlMethod", r.CallbackMessageUrlMethod, "GET", "POST")
	v.auth(s, "CallbackMessage", r.CallbackMessageAuthenticationType, r.CallbackMessageUsername, r.CallbackMessagePasswordToken)
}

// trunkURI is what a trunk URI may be: an https URL (as the quickstart
// shows) or a sip:/sips: URI.
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

func (v *validator) voiceRoute(r *api.VoiceRouteRequest) {
	const s = "VoiceRoute"
	v.required(s, "RouteName", r.RouteName)
	if v.required(s, "RouteType", r.RouteType) {
		v.oneOf(s, "RouteType", r.RouteType, "Trunk", "URL", "Forward")
	}
	v.optional(s, "VoiceUrl", r.VoiceUrl, validate.URL)
	v.oneOf(s, "VoiceUrlMethod", r.VoiceUrlMethod, "GET", "POST")
	v.auth(s, "Voice", r.VoiceAuthenticationType, r.VoiceUsername, r.VoicePasswordToken)
	v.optional(s, "CallbackVoiceUrl", r.CallbackVoiceUrl, validate.URL)
	v.oneOf(s, "CallbackVoiceUrlMethod", r.CallbackVoiceUrlMethod, "GET", "POST")
	for i, t := range []struct {
		ip, port, transport, uri string
		priority, weight         *int
	}{
		{r.TrunkIp1, r.TrunkPort1, r.TrunkTransport1, r.TrunkUri1, r.Trunk1Priortiy, r.Trunk1Weight},
		{r.TrunkIp2, r.TrunkPort2, r.TrunkTransport2, r.TrunkUri2, r.Trunk2Priortiy, r.Trunk2Weight},
	} {
		n := strconv.Itoa(i + 1)
		v.optional(s, "TrunkIp"+n, t.ip, validate.IP)
		v.optional(s, "TrunkPort"+n, t.port, validate.Port)
		v.oneOf(s, "TrunkTransport"+n, t.transport, "UDP", "TCP", "TLS")
		v.optional(s, "TrunkUri"+n, t.uri, trunkURI)
		for name, p := range map[string]*int{"Trunk" + n + "Priortiy": t.priority, "Trunk" + n + "Weight": t.weight} {
			if p != nil && (*p < 0 || *p > 65535) {
				v.fail(s, name, fmt.Sprintf("must be a whole number from 0 to 65535, got %d", *p))
			}
		}
	}
	for i, ip := range r.IpWhitelist {
		v.check(s, fmt.Sprintf("IpWhitelist[%d].IpAddress", i), ip.IpAddress, validate.IP)
	}
	v.optional(s, "WssUri", r.WssUri, validate.WebSocketURL)
	switch {
	case r.RouteType == "URL" && r.VoiceUrl == "":
		v.fail(s, "VoiceUrl", "is required when RouteType is URL")
	case r.RouteType == "Trunk" && r.TrunkIp1 == "" && r.TrunkUri1 == "":
		v.fail(s, "TrunkIp1", "is required when RouteType is Trunk (or give TrunkUri1)")
	}
}

func (v *validator) availability(r *api.AvailabilityRequest) {
	const s = "Availability"
	if v.required(s, "NumberType", r.NumberType) {
		v.oneOf(s, "NumberType", r.NumberType, "mobile")
	}
	v.oneOf(s, "MessageType", r.MessageType, "a2p", "p2p")
	v.requiredBool(s, "MessageEnabled")
	v.requiredBool(s, "VoiceEnabled")
	if r.PageNumber < 0 {
		v.fail(s, "PageNumber", fmt.Sprintf("must be 1 or more, got %d", r.PageNumber))
	}
	v.optional(s, "AreaCode", r.AreaCode, validate.AreaCode)
	v.optional(s, "ZipCode", r.ZipCode, validate.ZipCode)
}

// MinPasswordLength is the shortest subscriber password the API takes.
const MinPasswordLength = 8

func (v *validator) subscriber(r *SubscriberAnswer) {
	const s = "Subscriber"
	if r.SubscriberId != "" {
		// An existing subscriber: nothing is created, the rest is unused.
		v.optional(s, "Email", r.Email, validate.Email)
		return
	}
	v.required(s, "Name", r.Name)
	v.check(s, "Email", r.Email, validate.Email)
	for i, p := range r.PhoneNumbers {
		v.check(s, fmt.Sprintf("PhoneNumbers[%d]", i), p, validate.E164)
	}
	if v.required(s, "Role", r.Role) {
		v.oneOf(s, "Role", r.Role, "Subscriber", "Manager", "Account Admin")
	}
	if v.required(s, "Password", r.Password) {
		if n := utf8.RuneCountInString(r.Password); n < MinPasswordLength {
			v.fail(s, "Password", fmt.Sprintf("must be at least %d characters, got %d", MinPasswordLength, n))
		}
	}
}

func (v *validator) provision(r *api.ProvisionRequest) {
	const s = "Provision"
	if v.required(s, "NumberType", r.NumberType) {
		v.oneOf(s, "NumberType", r.NumberType, "mvno", "iot")
	}
	if v.required(s, "MessageType", r.MessageType) {
		v.oneOf(s, "MessageType", r.MessageType, "a2p", "p2p")
	}
	v.requiredBool(s, "MessageEnabled")
	v.requiredBool(s, "VoiceEnabled")
	if r.NumberType == "iot" {
		if r.MessageType == "a2p" {
			v.fail(s, "MessageType", `must be "p2p" for NumberType "iot" (iot is p2p only; use "mvno" for a2p)`)
		}
		if r.VoiceEnabled {
			v.fail(s, "VoiceEnabled", `must be false for NumberType "iot" (data and p2p messaging only; use "mvno" for voice)`)
		}
	}
	if v.required(s, "ProductType", r.ProductType) && !slices.Contains(api.ProductTypes, api.NormalizeProductType(r.ProductType)) {
		v.fail(s, "ProductType", fmt.Sprintf("must be %s, got %q", orList(api.ProductTypes), r.ProductType))
	}
	if r.VoiceEnabled && r.VoiceRouteId == "" && v.a.VoiceRoute == nil {
		v.fail(s, "VoiceEnabled", "true needs a voice route: add a VoiceRoute step, give VoiceRouteId, or set VoiceEnabled to false")
	}
	v.optional(s, "AreaCode", r.AreaCode, validate.AreaCode)
	v.optional(s, "ZipCode", r.ZipCode, validate.ZipCode)
	v.optional(s, "ICCID", r.ICCID, validate.ICCID)
}

func (v *validator) message(r *api.OutboundMessageRequest) {
	const s = "Message"
	if len(r.To) == 0 {
		v.fail(s, "To", `is required: a list of recipients like [{"Number": "+18015737111"}]`)
	}
	for i, t := range r.To {
		v.check(s, fmt.Sprintf("To[%d].Number", i), t.Number, validate.E164)
	}
	v.optional(s, "From", r.From, validate.E164)
	v.required(s, "Body", r.Body)
	v.optional(s, "Owner", r.Owner, validate.E164)
	for i, m := range r.MmsMedia {
		v.check(s, fmt.Sprintf("MmsMedia[%d].MediaUrl", i), m.MediaUrl, validate.URL)
	}
	for i, m := range r.MmsBase64 {
		v.check(s, fmt.Sprintf("MmsBase64[%d].Base64", i), m.Base64, validate.Base64)
		v.check(s, fmt.Sprintf("MmsBase64[%d].BaseType", i), m.BaseType, validate.MIMEType)
	}
}
