package flow

import (
	"errors"
	"github.com/telegent/telegent-onboard/api"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The example answers file (the quickstart's own bodies) loads and passes.
func TestExampleAnswersFileIsValid(t *testing.T) {
	const path = "../../testdata/answers.yaml"
	a, err := LoadAnswers(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Validate(path); err != nil {
		t.Fatal(err)
	}
	if a.VoiceRoute == nil || a.VoiceRoute.Trunk1Priortiy == nil || *a.VoiceRoute.Trunk1Priortiy != 10 ||
		a.Availability.AreaCode != "201" || a.Subscriber.Password != "1234567890" || a.Message.To[0].Number != "+18015737111" ||
		a.MessageRoute.MessagePasswordToken != "passwordORbearerToken" || !a.Provision.VoiceEnabled {
		t.Errorf("parsed wrong: %+v %+v %+v", a.VoiceRoute, a.Availability, a.Message)
	}
}

const validJSON = `{
  "MessageRoute": {"RouteName": "r", "MessageUrl": "https://example.com/hook", "MessageUrlMethod": "POST"},
  "Availability": {"NumberType": "mobile", "MessageEnabled": true, "VoiceEnabled": false, "AreaCode": "801"},
  "Subscriber": {"Name": "N", "Email": "n@example.com", "Role": "Subscriber", "Password": "12345678"},
  "Provision": {"NumberType": "mvno", "MessageType": "p2p", "MessageEnabled": true, "VoiceEnabled": false, "ProductType": "sms-only"},
  "Message": {"To": [{"Number": "+18015737111"}], "Body": "hi"}
}`

func writeAnswers(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestJSONAnswersWithoutVoiceRoute(t *testing.T) {
	p := writeAnswers(t, "a.json", validJSON)
	a, err := LoadAnswers(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Validate(p); err != nil {
		t.Fatal(err)
	}
	if a.VoiceRoute != nil {
		t.Error("a left-out VoiceRoute is not nil (it must skip the step)")
	}
}

// Every kind of bad input is refused before any call, naming the file, the
// step, the field and what is expected.
func TestBadAnswersNameFileStepAndField(t *testing.T) {
	set := func(step, body string) string { // validJSON with one step replaced
		lines := strings.Split(validJSON, "\n")
		for i, l := range lines {
			if strings.HasPrefix(strings.TrimSpace(l), `"`+step+`"`) {
				comma := ","
				if !strings.HasSuffix(strings.TrimSpace(l), ",") {
					comma = ""
				}
				lines[i] = `  "` + step + `": ` + body + comma
			}
		}
		return strings.Join(lines, "\n")
	}
	for _, tc := range []struct {
		name, file, text string
		want             []string
	}{
		{"unknown step", "a.json", strings.Replace(validJSON, `"Message":`, `"Mesage":`, 1),
			[]string{"a.json:", "Mesage: unknown step", `did you mean "Message"`}},
		{"unknown field", "a.yaml", "VoiceRoute:\n  RouteName: v\n  RouteType: Trunk\n  Trunk1Priority: 10\n",
			[]string{"a.yaml:4: VoiceRoute.Trunk1Priority: unknown field", `did you mean "Trunk1Priortiy"`}},
		{"wrong type", "a.yaml", "Availability:\n  NumberType: mobile\n  AreaCode: 201\n",
			[]string{"a.yaml:3: Availability.AreaCode: must be a string", "quote it"}},
		{"not YAML", "a.yaml", "MessageRoute: [\n", []string{"a.yaml", "not valid YAML"}},
		{"bad zip", "answers.yaml", "",
			[]string{`Provision.ZipCode: must be exactly 5 digits (a US zip code like 84043), got "XXXXX"`}},
		{"bad email", "a.json", set("Subscriber", `{"Name": "N", "Email": "nobody", "Role": "Subscriber", "Password": "12345678"}`),
			[]string{`a.json:4: Subscriber.Email: must be an email address like name@example.com, got "nobody"`}},
		{"missing step", "a.json", set("Message", `null`), []string{"a.json:", "Message: is required"}},
		{"missing boolean", "a.json", set("Availability", `{"NumberType": "mobile", "MessageEnabled": true}`),
			[]string{"Availability.VoiceEnabled: is required: true or false"}},
		{"enum", "a.json", set("MessageRoute", `{"RouteName": "r", "MessageUrl": "https://example.com", "MessageUrlMethod": "PUT"}`),
			[]string{`MessageRoute.MessageUrlMethod: must be "GET" or "POST", got "PUT"`}},
		{"basic auth without user", "a.json", set("MessageRoute", `{"RouteName": "r", "MessageUrl": "https://example.com", "MessageUrlMethod": "POST", "MessageAuthenticationType": "Basic", "MessagePasswordToken": "x"}`),
			[]string{"MessageRoute.MessageUsername: is required when MessageAuthenticationType is Basic"}},
		{"plain http", "a.json", set("MessageRoute", `{"RouteName": "r", "MessageUrl": "http://example.com", "MessageUrlMethod": "POST"}`),
			[]string{"MessageRoute.MessageUrl: must"}},
		{"iot a2p", "a.json", set("Provision", `{"NumberType": "iot", "MessageType": "a2p", "MessageEnabled": true, "VoiceEnabled": false, "ProductType": "Data-Only"}`),
			[]string{`Provision.MessageType: must be "p2p" for NumberType "iot"`}},
		{"product type", "a.json", set("Provision", `{"NumberType": "mvno", "MessageType": "p2p", "MessageEnabled": true, "VoiceEnabled": false, "ProductType": "Voice-Only"}`),
			[]string{`Provision.ProductType: must be one of "Sms-Only", "Data-Only", "Sms+Data" or "Sms+Data+Voice", got "Voice-Only"`}},
		{"voice without route", "a.json", set("Provision", `{"NumberType": "mvno", "MessageType": "p2p", "MessageEnabled": true, "VoiceEnabled": true, "ProductType": "Sms+Data+Voice"}`),
			[]string{"Provision.VoiceEnabled: true needs a voice route"}},
		{"recipient", "a.json", set("Message", `{"To": [{"Number": "8015737111"}], "Body": "hi"}`),
			[]string{`Message.To[0].Number: must be an E.164 number`}},
		{"short password", "a.json", set("Subscriber", `{"Name": "N", "Email": "n@example.com", "Role": "Subscriber", "Password": "123"}`),
			[]string{"Subscriber.Password: must be at least 8 characters, got 3"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := tc.text
			if tc.name == "bad zip" {
				example, err := os.ReadFile("../../testdata/answers.yaml")
				if err != nil {
					t.Fatal(err)
				}
				text = strings.Replace(string(example), "ProductType: Sms+Data+Voice", "ProductType: Sms+Data+Voice\n  ZipCode: XXXXX", 1)
			}
			p := writeAnswers(t, tc.file, text)
			a, err := LoadAnswers(p)
			if err == nil {
				err = a.Validate(p)
			}
			var ae *AnswersError
			if !errors.As(err, &ae) {
				t.Fatalf("got %v, want an *AnswersError", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if !strings.HasPrefix(err.Error(), p) {
				t.Errorf("error %q does not start with the file %s", err, p)
			}
			if why(err) != ReasonUsage {
				t.Errorf("reason %d, want usage", why(err))
			}
		})
	}
}

func TestUnreadableAnswersFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "missing.yaml")
	_, err := LoadAnswers(p)
	if err == nil || !strings.Contains(err.Error(), p+": cannot read the answers file: no such file") || why(err) != ReasonUsage {
		t.Errorf("got %v (reason %d)", err, why(err))
	}
}

// The quickstart's own bodies paste as they are: "PhoneNumbers": [""]
// means no phone numbers, and a JSON file may hold // and /* */ comments
// and trailing commas (the quickstart's step 6 does).
func TestAnswersTakeTheQuickstartAsWritten(t *testing.T) {
	p := writeAnswers(t, "quickstart.json", `{
  /* pasted from the quickstart */
  "MessageRoute": {"RouteName": "Main SMS Webhook", "MessageUrl": "https://apiendpoint.com", "MessageUrlMethod": "POST",},
  "Availability": {"NumberType": "mobile", "MessageType": "p2p", "MessageEnabled": true, "VoiceEnabled": false, "PageNumber": 1, "AreaCode": "201", "ZipCode": ""},
  "Subscriber": {
    "Name": "Jerome User 4",
    "Email": "jerome4@joonto.com",
    "PhoneNumbers": [""],
    "Role": "Subscriber",
    "Password": "1234567890",
  },
  "Provision": {
    "NumberType": "iot",
    "MessageType": "p2p",
    "MessageEnabled": true,
    "VoiceEnabled": false,
    "ICCID": "8901240397190195850", //optional
    "ProductType": "data-only",
  },
  "Message": {"To": [{"Number": "+18015737111"}], "Body": "Hello there!!!"}, // the test SMS
}`)
	a, err := LoadAnswers(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Validate(p); err != nil {
		t.Fatalf("the quickstart's bodies are refused: %v", err)
	}
	req := NewSession("", "AID-1", t0).SubscriberRequest(a.Subscriber.SubscriberRequest)
	if len(req.PhoneNumbers) != 0 {
		t.Errorf(`"PhoneNumbers": [""] sends %q, want no numbers`, req.PhoneNumbers)
	}
	if a.Provision.ICCID != "8901240397190195850" || a.Provision.ProductType != "data-only" {
		t.Errorf("the commented line was misread: %+v", a.Provision)
	}

	// A syntax error still names its line, in JSON with comments…
	bad := writeAnswers(t, "bad.json", "{\n  // fine\n  \"Message\": {\"Body\": \"hi\" \"To\": []}\n}\n")
	if _, err := LoadAnswers(bad); err == nil || !strings.Contains(err.Error(), "bad.json:3:") {
		t.Errorf("JSON error without its line: %v", err)
	}
	// …and in YAML written in flow style.
	flowYAML := writeAnswers(t, "flow.yaml", "{MessageRoute: {RouteName: r, MessageUrl: \"https://x.example\"},\n Availability: {NumberType: mobile,, VoiceEnabled: false}}\n")
	if _, err := LoadAnswers(flowYAML); err == nil || !strings.Contains(err.Error(), "flow.yaml:2:") {
		t.Errorf("flow-style YAML error without its line: %v", err)
	}
}

// One table of field rules: a value the wizard's field refuses, an
// answers file refuses with the same words (TrunkUri1 "sip:" was accepted
// by one and refused by the other), and the other way round.
func TestFieldRulesAreTheSameEverywhere(t *testing.T) {
	for _, tc := range []struct {
		field, value string
		ok           bool
	}{
		{"TrunkUri1", "sip:", false},
		{"TrunkUri1", "sip:trunk.example.com:5060", true},
		{"TrunkUri1", "https://pstn.example.com", true},
		{"TrunkIp1", "20.87.87.999", false},
		{"TrunkPort1", "70000", false},
	} {
		formErr := CheckField(VoiceRoute, tc.field, tc.value)
		r := api.VoiceRouteRequest{RouteName: "v", RouteType: "Trunk", TrunkIp1: "20.87.87.87"}
		switch tc.field {
		case "TrunkUri1":
			r.TrunkUri1 = tc.value
		case "TrunkIp1":
			r.TrunkIp1 = tc.value
		case "TrunkPort1":
			r.TrunkPort1 = tc.value
		}
		a := &Answers{VoiceRoute: &r}
		var fileErr *FieldError
		for _, fe := range ValidateRequest(VoiceRoute, *a.VoiceRoute, nil) {
			if fe.Field == tc.field {
				fileErr = fe
			}
		}
		if (formErr == nil) != tc.ok || (fileErr == nil) != tc.ok {
			t.Errorf("%s %q: form says %v, answers say %v; want ok=%v", tc.field, tc.value, formErr, fileErr, tc.ok)
		}
		if formErr != nil && fileErr != nil && formErr.Error() != fileErr.Error() {
			t.Errorf("%s %q: the form says %q, the answers file %q", tc.field, tc.value, formErr, fileErr)
		}
	}
}

// CheckWebhooks in the answers file asks for the webhook checks, as the
// flag does; anything but a boolean is refused.
func TestAnswersCanAskForWebhookChecks(t *testing.T) {
	p := writeAnswers(t, "a.yaml", "CheckWebhooks: true\nMessageRoute: {RouteName: r, MessageUrl: \"https://x.example\", MessageUrlMethod: POST}\n")
	a, err := LoadAnswers(p)
	if err != nil || !a.CheckWebhooks {
		t.Fatalf("CheckWebhooks not read: %v %+v", err, a)
	}
	bad := writeAnswers(t, "b.yaml", "CheckWebhooks: sometimes\n")
	if _, err := LoadAnswers(bad); err == nil || !strings.Contains(err.Error(), "CheckWebhooks: must be true or false") {
		t.Errorf("got %v", err)
	}
}
