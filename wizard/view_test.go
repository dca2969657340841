package wizard

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/webhook"
	"github.com/telegent/telegent-onboard/api/webhook/check"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// Frames are checked as plain text at 80×24: goldens of ansi.Strip(View), so
// they survive colour and renderer changes and still catch any layout change.
// Regenerate with: go test ./wizard -run TestGolden -update

var fixedNow = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

const fixedBaseURL = "http://127.0.0.1:8089/v1.0"

func newTestModel(t testing.TB, width, height int) *Model {
	t.Helper()
	m := New(Options{Sandbox: true, BaseURL: fixedBaseURL, AccountID: "AID-5a4d6b0e-7c1f-4e2a-9b3d-0c8e5f1a2b3c",
		Credentials: api.Credentials{AccountKey: "sandbox-key", AccountSecret: "sandbox-secret"},
		DemoSuffix:  "test", Now: func() time.Time { return fixedNow }})
	m.sh.baseURL, m.sh.ready = fixedBaseURL, true
	m.Update(tea.WindowSizeMsg{Width: width, Height: height})
	return m
}

// frame is what the terminal shows, as text.
func frame(m *Model) string { return ansi.Strip(m.View().Content) }

// progress fills the session as if the steps up to (not including) upTo
// had succeeded, with fixed IDs.
func progress(m *Model, upTo flow.Step) {
	s := m.sh.session
	at := func(step flow.Step) bool { return step < upTo }
	if at(flow.Credentials) {
		s.RecordCredentials("AID-5a4d6b0e-7c1f-4e2a-9b3d-0c8e5f1a2b3c", nil, fixedNow)
	}
	if at(flow.MessageRoute) {
		s.RecordMessageRoute(m.sh.eng.Defaults.MessageRoute, &api.MessageRoute{MessageRouteId: "MRID-ad0ff867-57dc-4aeb-80e9-9d18349080e9"}, nil, fixedNow)
	}
	if at(flow.VoiceRoute) {
		s.SkipVoiceRoute(fixedNow)
	}
	if at(flow.Availability) {
		s.RecordAvailability(m.sh.eng.Defaults.Availability, &api.AvailabilityResponse{ResultsTotal: 60, AvailableNumberAreas: []api.NumberArea{
			{NGP: "SAG", AreaCode: 201, Zipcode: "07302"}, {NGP: "AGP", AreaCode: 201, Zipcode: "07030"}, {NGP: "SAG", AreaCode: 201, Zipcode: "07601"}}}, nil, fixedNow)
		s.PickArea(s.Areas[0], fixedNow)
	}
	if at(flow.Subscriber) {
		s.RecordSubscriber(m.sh.eng.Defaults.Subscriber, &api.Subscriber{SubscriberId: "TSUID-90c644ff-7f70-4587-a27e-d1d45bde7528"}, nil, fixedNow)
	}
	if at(flow.Provision) {
		s.RecordProvision(m.sh.eng.Defaults.Provision, &api.ProvisionResponse{OrderId: "JNUOID-76ba71a8-d7a6-4489-b695-1ad363b8d596",
			OrderStatus: "Complete", PhoneNumberAssigned: "+12015550100", PhoneNumberId: "NID-8bdf915a-ef65-46c9-8c66-96c98d42d9ca",
			QRCode: "https://quickchart.io/qr?text=LPA:1$SMDP.SANDBOX.TELEGENT.TEST$LX9G1-Q12VI-CIIWA-WAQIN&ecLevel=H&format=png"}, nil, fixedNow)
	}
	if at(flow.TestMessage) {
		s.RecordMessage(api.OutboundMessageRequest{}, &api.Message{MessageId: "TMID-00348008102307aK01", From: "+12015550100",
			MessageType: "sms", Status: "Queued", To: api.Recipients{{Number: "+18015737111", Status: "Queued"}}}, nil, fixedNow)
	}
}

func at(m *Model, step flow.Step) *Model {
	progress(m, step)
	m.enter(step)
	return m
}

func TestGoldenScreens(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(m *Model)
	}{
		{"credentials", func(m *Model) { at(m, flow.Credentials) }},
		{"message_route", func(m *Model) { at(m, flow.MessageRoute) }},
		{"voice_route", func(m *Model) { at(m, flow.VoiceRoute) }},
		{"availability_search", func(m *Model) { at(m, flow.Availability) }},
		{"availability_results", func(m *Model) {
			progress(m, flow.Subscriber)
			m.enter(flow.Availability)
		}},
		{"availability_none", func(m *Model) {
			at(m, flow.Availability)
			m.sh.session.RecordAvailability(api.AvailabilityRequest{NumberType: "mobile", AreaCode: "999"}, &api.AvailabilityResponse{}, nil, fixedNow)
			m.screens[flow.Availability].(*availabilityScreen).showResults()
		}},
		{"subscriber", func(m *Model) { at(m, flow.Subscriber) }},
		{"provision", func(m *Model) { at(m, flow.Provision) }},
		{"provision_result", func(m *Model) {
			progress(m, flow.TestMessage)
			m.enter(flow.Provision)
		}},
		{"test_message", func(m *Model) { at(m, flow.TestMessage) }},
		{"test_message_result", func(m *Model) {
			progress(m, flow.NumSteps)
			m.enter(flow.TestMessage)
		}},
		{"summary", func(m *Model) {
			progress(m, flow.NumSteps)
			m.enter(summaryStep)
		}},
		{"error_panel", func(m *Model) {
			at(m, flow.Subscriber)
			m.overlays.fail(&flow.StepError{Step: flow.Subscriber, Reason: flow.ReasonRefused, Err: &api.Error{Operation: "create subscriber", Status: 409,
				Message: `Conflict: a subscriber with Email "demo-test@example.com" already exists.`, Kind: api.KindEmailTaken, Remedy: api.RemedyEmailTaken}})
		}},
		{"purchase_question", func(m *Model) {
			at(m, flow.Provision)
			m.sh.eng.Sandbox = false // a live account asks before buying
			m.apply(m.sh.eng.Submit(flow.Provision, m.sh.eng.Draft(flow.Provision)))
		}},
		{"webhook_check", func(m *Model) {
			at(m, flow.MessageRoute)
			url := "https://hooks.example.com/telegent"
			c, err := check.New(url, check.Options{Kinds: check.AllKinds, Auth: webhook.Auth{Kind: "basic", User: "admin", Pass: "x"}})
			if err != nil {
				t.Fatal(err)
			}
			rows := c.Plan()
			for i := range rows {
				rows[i].Status = check.StatusPass
			}
			rows[3].Status, rows[3].Detail = check.StatusFail, "certificate expired 3 days ago"
			rows[3].Remedy = "Renew the certificate."
			for i := 4; i < len(rows); i++ {
				rows[i].Status = check.StatusSkip
			}
			m.overlays.webhook = &webhookPanel{done: true, failed: 1, cancel: func() {},
				targets: []flow.WebhookTarget{{URL: url, Label: "MessageUrl and CallbackMessageUrl"}}, rows: [][]check.Result{rows}}
		}},
		{"too_small", func(m *Model) { m.Update(tea.WindowSizeMsg{Width: 60, Height: 15}) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newTestModel(t, 80, 24)
			tc.setup(m)
			out := frame(m)
			if tc.name != "too_small" {
				assertFits(t, out, 80, 24)
			}
			golden.RequireEqual(t, out)
		})
	}
}

// assertFits checks the frame is exactly the window: nothing drawn past it.
func assertFits(t *testing.T, out string, width, height int) {
	t.Helper()
	lines := strings.Split(out, "\n")
	if len(lines) != height {
		t.Errorf("frame has %d lines, window has %d", len(lines), height)
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > width {
			t.Errorf("line %d is %d wide (window %d): %q", i+1, w, width, l)
		}
	}
}

func TestResizeReflowsAndTooSmallSaysSo(t *testing.T) {
	m := newTestModel(t, 80, 24)
	m.Init()
	small := frame(m)
	assertFits(t, small, 80, 24)

	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	wide := frame(m)
	assertFits(t, wide, 120, 40)
	if !strings.Contains(wide, "From your Telegent representative (looks like DID-…).") {
		t.Errorf("the form did not reflow to the wider window:\n%s", wide)
	}
	lines := strings.Split(wide, "\n")
	if !strings.Contains(lines[len(lines)-1], "ctrl+c quit") {
		t.Errorf("the help line is not at the bottom:\n%s", wide)
	}

	m.Update(tea.WindowSizeMsg{Width: 60, Height: 15})
	tiny := frame(m)
	for _, want := range []string{"This window is 60×15", "at least 70×20"} {
		if !strings.Contains(tiny, want) {
			t.Errorf("too small a window does not say %q:\n%s", want, tiny)
		}
	}
	if strings.Contains(tiny, "Credentials") {
		t.Errorf("a too-small window still draws the wizard:\n%s", tiny)
	}

	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if again := frame(m); again != small {
		t.Errorf("back at 80×24 the frame differs:\n%s\nwas:\n%s", again, small)
	}
}

func TestFullHelpToggles(t *testing.T) {
	m := newTestModel(t, 80, 24)
	progress(m, flow.Subscriber)
	m.enter(flow.Availability) // the results table: no text input, so ? is free
	m.Update(tea.KeyPressMsg{Code: '?', Text: "?"})
	out := frame(m)
	assertFits(t, out, 80, 24)
	for _, want := range []string{"previous field", "last HTTP request", "previous step"} {
		if !strings.Contains(out, want) {
			t.Errorf("full help lacks %q:\n%s", want, out)
		}
	}
}

func TestQuestionMarkTypesIntoAnInput(t *testing.T) {
	m := at(newTestModel(t, 80, 24), flow.Credentials) // AccountKey has focus
	m.Update(tea.KeyPressMsg{Code: '?', Text: "?"})
	if out := frame(m); strings.Contains(out, "last HTTP request") || !strings.Contains(out, "sandbox-key?") {
		t.Errorf("? did not reach the input:\n%s", out)
	}
}

func TestErrorPanelChoices(t *testing.T) {
	m := at(newTestModel(t, 80, 24), flow.Subscriber)
	m.overlays.fail(&flow.StepError{Step: flow.Subscriber, Reason: flow.ReasonRefused,
		Err: &api.Error{Status: 409, Kind: api.KindEmailTaken, Remedy: api.RemedyEmailTaken, Message: "taken"}})
	p := m.overlays.failure
	if got := p.choices[p.cursor]; got != actEdit {
		t.Errorf("a refused request starts on %v, want Edit (retrying repeats the refusal)", choiceLabels[got])
	}
	m.Update(tea.KeyPressMsg{Code: 'b', Text: "b"})
	if m.current != flow.Availability || m.overlays.failure != nil {
		t.Errorf("b did not go back: current %v", m.current)
	}
	unknown := newFailurePanel(&flow.StepError{Step: flow.Provision, Reason: flow.ReasonUnknown, Err: &api.Error{Kind: api.KindOutcomeUnknown, Message: "lost"}})
	if !strings.Contains(unknown.view(m), "outcome is unknown") {
		t.Errorf("an unknown outcome does not say so:\n%s", unknown.view(m))
	}
	plain := newFailurePanel(&flow.StepError{Step: flow.Credentials, Reason: flow.ReasonFailure, Err: errors.New("the sandbox could not start: port in use")})
	if plain.index(actRetry) >= 0 || plain.index(actBack) >= 0 {
		t.Error("nothing to retry or go back to, yet offered")
	}
	claimed := newFailurePanel(&flow.StepError{Step: flow.Provision, Reason: flow.ReasonRefused, SearchAgain: true,
		Err: &api.Error{Status: 409, Kind: api.KindNumberClaimed, Message: "claimed"}})
	if claimed.choices[claimed.cursor] != actSearch {
		t.Errorf("a claimed number does not start on Search again: %v", choiceLabels[claimed.choices[claimed.cursor]])
	}
}

func TestMaskKeepsWidthAndHidesTheValue(t *testing.T) {
	for in, want := range map[string]string{
		"+12015550100":                             "+1201•••••••",
		"demo-test@example.com":                    "d••••••••@•••••••.•••",
		"AID-5a4d6b0e-7c1f-4e2a-9b3d-0c8e5f1a2b3c": "AID-••••••••••••••••••••••••••••••••••••",
		"sandbox-key":                              "sandbox-•••",
	} {
		got := mask(in)
		if got != want {
			t.Errorf("mask(%q) = %q, want %q", in, got, want)
		}
		if ansi.StringWidth(got) != ansi.StringWidth(in) {
			t.Errorf("mask(%q) changes the width", in)
		}
	}
}

// The result screens and the summary at the smallest supported window, the
// common one and a large one: every ID, the number and the OrderId are
// whole on one line (the stepper alone may shorten them, with "…"), the
// activation string breaks only after a "$", and the frame fits.
func TestGoldenResultScreens(t *testing.T) {
	for _, size := range []struct{ w, h int }{{70, 20}, {80, 24}, {120, 40}} {
		for _, tc := range []struct {
			name  string
			setup func(m *Model)
		}{
			{"provision_result", func(m *Model) { progress(m, flow.TestMessage); m.enter(flow.Provision) }},
			{"test_message_result", func(m *Model) { progress(m, flow.NumSteps); m.enter(flow.TestMessage) }},
			{"summary", func(m *Model) { progress(m, flow.NumSteps); m.enter(summaryStep) }},
		} {
			t.Run(fmt.Sprintf("%s_%dx%d", tc.name, size.w, size.h), func(t *testing.T) {
				m := newTestModel(t, size.w, size.h)
				tc.setup(m)
				out := frame(m)
				assertFits(t, out, size.w, size.h)
				assertWhole(t, m, tc.name, out)
				golden.RequireEqual(t, out)
			})
		}
	}
}

// assertWhole checks that every value a person may copy that the screen
// shows appears whole on one line.
func assertWhole(t *testing.T, m *Model, screen, out string) {
	t.Helper()
	ids := m.sh.session.IDs
	var want []string
	switch screen {
	case "provision_result":
		want = []string{ids.PhoneNumber, ids.PhoneNumberID, ids.OrderID}
		code := api.ActivationCode(ids.QRCode)
		for _, part := range strings.SplitAfter(code, "$") {
			want = append(want, part) // whole between its "$"s
		}
	case "test_message_result":
		want = []string{ids.MessageID, ids.PhoneNumber}
		for _, r := range ids.Recipients {
			want = append(want, r.Number)
		}
	case "summary":
		for _, id := range flow.SummaryIDs(m.sh.session) {
			want = append(want, id.Value)
		}
	}
	for _, v := range want {
		if v != "" && !strings.Contains(out, v) {
			t.Errorf("%s is not whole on one line:\n%s", v, out)
		}
	}
}

// Dialogs wrap at spaces only: an ID or an email is never broken across
// lines, at the smallest window as at the common one.
func TestDialogsKeepTokensWhole(t *testing.T) {
	const email = "a-rather-long.demo-test@example.com"
	for _, size := range []struct{ w, h int }{{70, 20}, {80, 24}} {
		m := at(newTestModel(t, size.w, size.h), flow.Provision)
		m.sh.eng.Sandbox = false // a live account asks before buying
		m.apply(m.sh.eng.Submit(flow.Provision, m.sh.eng.Draft(flow.Provision)))
		out := frame(m)
		assertFits(t, out, size.w, size.h)
		for _, want := range []string{"AID-5a4d6b0e-7c1f-4e2a-9b3d-0c8e5f1a2b3c", "an mvno number"} {
			if !strings.Contains(out, want) {
				t.Errorf("%d×%d: the purchase question does not show %q on one line:\n%s", size.w, size.h, want, out)
			}
		}

		m = at(newTestModel(t, size.w, size.h), flow.Subscriber)
		m.overlays.fail(&flow.StepError{Step: flow.Subscriber, Reason: flow.ReasonRefused, Err: &api.Error{Operation: "create subscriber", Status: 409,
			Message: `Conflict: a subscriber with Email "` + email + `" already exists.`, Kind: api.KindEmailTaken, Remedy: api.RemedyEmailTaken}})
		out = frame(m)
		assertFits(t, out, size.w, size.h)
		if !strings.Contains(out, email) {
			t.Errorf("%d×%d: the error panel breaks the email:\n%s", size.w, size.h, out)
		}
	}
}

// Prose wraps at spaces; a token too long for a line breaks only after its
// separators, and an ID, which has none, is cut with "…", never broken.
func TestWrapKeepsTokens(t *testing.T) {
	for _, tc := range []struct {
		text  string
		width int
		want  []string
	}{
		{`a subscriber with Email "demo-test@example.com" already exists.`, 30,
			[]string{"a subscriber with Email", `"demo-test@example.com"`, "already exists."}},
		{"Saved /tmp/session-dir/telegent-onboard-5a4d6b0e.sh", 30,
			[]string{"Saved /tmp/session-dir/", "telegent-onboard-5a4d6b0e.sh"}},
		{"LPA:1$SMDP.SANDBOX.TELEGENT.TEST$LX9G1-Q12VI-CIIWA-WAQIN", 40,
			[]string{"LPA:1$SMDP.SANDBOX.TELEGENT.TEST$", "LX9G1-Q12VI-CIIWA-WAQIN"}},
		{"on account AID-5a4d6b0e-7c1f-4e2a-9b3d-0c8e5f1a2b3c today", 20,
			[]string{"on account", "AID-5a4d6b0e-7c1f-4…", "today"}},
	} {
		got := wrapWords(tc.text, tc.width)
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("wrapWords(%q, %d) =\n%q\nwant\n%q", tc.text, tc.width, got, tc.want)
		}
		for _, l := range got {
			if ansi.StringWidth(l) > tc.width {
				t.Errorf("%q is wider than %d", l, tc.width)
			}
		}
	}
}
