package flow

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/tailscale/hujson"
	yamlv4 "go.yaml.in/yaml/v4"
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
	// CheckWebhooks asks for the route's webhooks to be proved before the
	// route is created (as --check-webhooks does).
	CheckWebhooks bool `json:"CheckWebhooks"`

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
	if looksLikeJSON(path, data) {
		// The quickstart's own bodies carry // comments and trailing
		// commas; hujson turns them into standard JSON, keeping every
		// byte offset (so error lines still point at the file).
		if js, err = hujson.Standardize(slices.Clone(data)); err != nil {
			return nil, &AnswersError{File: path, Line: yamlLine(err), Expected: "is not valid JSON: " + strings.TrimPrefix(err.Error(), "hujson: ")}
		}
	} else {
		if js, err = yaml.YAMLToJSON(data); err != nil {
			// The converter's parser puts an error inside a flow mapping
			// ({…}) on the line the mapping starts; yaml/v4's parser names
			// the line at fault, so its message is the one shown.
			var probe any
			if perr := yamlv4.Unmarshal(data, &probe); perr != nil {
				err = perr
			}
			return nil, &AnswersError{File: path, Line: yamlLine(err), Expected: "is not valid YAML or JSON: " +
				strings.TrimPrefix(strings.TrimPrefix(err.Error(), "error converting YAML to JSON: "), "yaml: ")}
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
		if strings.EqualFold(k, "CheckWebhooks") {
			if err := json.Unmarshal(top[k], &a.CheckWebhooks); err != nil {
				return nil, &AnswersError{File: path, Step: k, Line: keyLine(data, k), Expected: "must be true or false"}
			}
			continue
		}
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
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json", ".jsonc":
		return true
	case ".yaml", ".yml":
		return false // flow style ({…}) is YAML too, and its errors name YAML lines
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
// bad file costs nothing. file names the file in messages. The checks are
// the field rules every driver uses (rules.go); only the booleans a file
// must write are the file's own. Every problem is an *AnswersError;
// several are joined (errors.As finds the first).
func (a *Answers) Validate(file string) error {
	v := &validator{file: file, a: a}
	required := map[string]string{
		"MessageRoute": "the message route every number needs (RouteName, MessageUrl, MessageUrlMethod)",
		"Availability": "the availability search (NumberType, MessageEnabled, VoiceEnabled)",
		"Subscriber":   "the subscriber (Name, Email, Role, Password), or SubscriberId to use an existing one",
		"Provision":    "the provision body (NumberType, MessageType, MessageEnabled, VoiceEnabled, ProductType)",
		"Message":      "the test message (To, Body)",
	}
	for _, name := range answerSteps {
		step, req := a.request(name)
		if req == nil {
			if why, ok := required[name]; ok {
				v.fail(name, "", "is required: "+why)
			}
			continue
		}
		if name == "Subscriber" && a.Subscriber.SubscriberId != "" {
			// An existing subscriber: nothing is created, the rest is unused.
			if fe := checkValue(Subscriber, "SubscriberId", "SubscriberId", a.Subscriber.SubscriberId); fe != nil {
				v.field(name, fe)
			}
			continue
		}
		for _, fe := range ValidateRequest(step, req, nil) {
			v.field(name, fe)
		}
		switch name {
		case "Availability", "Provision":
			v.requiredBool(name, "MessageEnabled")
			v.requiredBool(name, "VoiceEnabled")
		}
	}
	if p := a.Provision; p != nil && p.VoiceEnabled && p.VoiceRouteId == "" && a.VoiceRoute == nil {
		v.fail("Provision", "VoiceEnabled", "true needs a voice route: add a VoiceRoute step, give VoiceRouteId, or set VoiceEnabled to false")
	}
	return errors.Join(v.errs...)
}

// request is the answer for an answers-file step, as the engine takes it.
func (a *Answers) request(name string) (Step, any) {
	switch name {
	case "MessageRoute":
		if a.MessageRoute != nil {
			return MessageRoute, *a.MessageRoute
		}
		return MessageRoute, nil
	case "VoiceRoute":
		if a.VoiceRoute != nil {
			return VoiceRoute, *a.VoiceRoute
		}
		return VoiceRoute, nil
	case "Availability":
		if a.Availability != nil {
			return Availability, *a.Availability
		}
		return Availability, nil
	case "Subscriber":
		if a.Subscriber != nil {
			return Subscriber, a.Subscriber.SubscriberRequest
		}
		return Subscriber, nil
	case "Provision":
		if a.Provision != nil {
			return Provision, *a.Provision
		}
		return Provision, nil
	case "Message":
		if a.Message != nil {
			return TestMessage, *a.Message
		}
		return TestMessage, nil
	}
	return Credentials, nil
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

// field reports a broken field rule in the file's terms.
func (v *validator) field(step string, fe *FieldError) {
	msg := fe.Msg
	if fe.Got != "" {
		msg += ", got " + strconv.Quote(clip(fe.Got, 40))
	}
	v.fail(step, fe.Field, msg)
}

func (v *validator) requiredBool(step, field string) {
	if !v.a.present[step][strings.ToLower(field)] && v.a.present != nil && v.a.present[step] != nil {
		v.fail(step, field, "is required: true or false")
	}
}
