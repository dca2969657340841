package wizard_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/sandbox"
	"github.com/telegent/telegent-onboard/wizard"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// busy reports whether a request is in flight: the help line then offers
// only to cancel.
func busy(screen string) bool { return strings.Contains(screen, "cancel and quit") }

// readyMarks are what a screen shows when it waits for Enter: a focused form
// field (huh's thick bar) with the help line offering "enter next", or a
// result screen's prompt. Between them (a field blurring, a form being
// submitted, the session being saved: the help line then says "working…") a
// key could land on the next screen.
var readyMarks = []string{"enter: send a test", "enter: summary", "Pick the area", "No numbers are available", "enter or q: finish"}

func ready(screen string) bool {
	if busy(screen) || strings.Contains(screen, "working…") {
		return false
	}
	if strings.Contains(screen, "┃") && strings.Contains(screen, "enter next") {
		return true
	}
	for _, m := range readyMarks {
		if strings.Contains(screen, m) {
			return true
		}
	}
	return false
}

// enterUntil presses Enter, one key at a time and only when the screen is
// ready for it, until the screen shows fragment.
func (term *terminal) enterUntil(fragment string, maxPresses int) {
	term.t.Helper()
	for presses := 0; presses < maxPresses; {
		// Read a settled frame: on a busy machine the screen can lag the
		// program, and a key pressed on a stale frame lands on the next one.
		term.settle()
		s := term.screen()
		if strings.Contains(s, fragment) {
			return
		}
		if ready(s) {
			term.enter(1)
			presses++
		}
		term.waitChange(s)
	}
	term.waitFor(fragment)
}

// waitChange waits until the screen differs from before and has settled: a
// frame arrives in pieces, and a half-drawn one must not be read.
func (term *terminal) waitChange(before string) {
	term.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for term.screen() == before {
		if time.Now().After(deadline) {
			term.t.Fatalf("the screen did not change after a key press:\n%s", before)
		}
		time.Sleep(2 * time.Millisecond)
	}
	term.settle()
}

// settle waits until the screen has stayed the same for a few polls.
func (term *terminal) settle() {
	last, same := term.screen(), 0
	for deadline := time.Now().Add(5 * time.Second); same < 8 && time.Now().Before(deadline); {
		time.Sleep(4 * time.Millisecond) // polling interval, bounded by the deadline
		if s := term.screen(); s == last {
			same++
		} else {
			last, same = s, 0
		}
	}
}

// The demo path: Enter through every field of --sandbox reaches the summary
// with every ID, and the sandbox holds exactly one of each resource.
func TestDemoPathEnterThroughToSummary(t *testing.T) {
	sb := newSandbox(t, sandbox.Options{OrderDelay: 50 * time.Millisecond})
	term := startTerminal(t, wizard.New(sb.demoWizard()), 80, 24)

	term.waitFor("SANDBOX", "Step 1 · Credentials", "sandbox-key")
	term.enterUntil("Step 2 · Message route", 10)
	term.enterUntil("Step 3 · Voice route", 30)
	term.enterUntil("Step 4 · Availability", 5)
	term.enterUntil("ResultsTotal:", 15)
	term.enterUntil("Step 5 · Subscriber", 3)
	term.enterUntil("Step 6 · Provision", 10)
	term.enterUntil("Step 6 · Your number", 15)
	term.waitFor("Complete", "LPA:1$")
	term.enterUntil("Step 7 · Test SMS", 3)
	term.enterUntil("Test SMS sent", 8)
	// The loop closes: each report and the sandbox's reply reach the route's
	// webhook, the wizard's in-process receiver.
	term.waitFor("✓ Delivery confirmed", "Delivered ✓ (report received)", "Reply from +18015737111: Got it")
	term.enterUntil("Your first Telegent line is set up", 3)

	screen := term.screen()
	res := sb.resources(t)
	for kind, want := range map[string]int{"MessageRoutes": 1, "VoiceRoutes": 0, "Subscribers": 1, "Numbers": 1, "Messages": 1} {
		if got := len(res[kind]); got != want {
			t.Errorf("sandbox holds %d %s, want %d", got, kind, want)
		}
	}
	ids := map[string]string{
		"MRID":      res["MessageRoutes"][0]["MessageRouteId"].(string),
		"TSUID":     res["Subscribers"][0]["SubscriberId"].(string),
		"Number":    res["Numbers"][0]["Number"].(string),
		"MessageId": res["Messages"][0]["MessageId"].(string),
	}
	for name, id := range ids {
		if !strings.Contains(screen, id) {
			t.Errorf("the summary does not show the %s %s:\n%s", name, id, screen)
		}
	}
	for _, want := range []string{"✅ Authenticated with the API", "✅ A phone number provisioned", "✅ A test message sent", "✅ Delivery confirmed", "CRID      skipped", "NID", "OrderId"} {
		if !strings.Contains(screen, want) {
			t.Errorf("summary lacks %q:\n%s", want, screen)
		}
	}

	term.enter(1) // finish
	m := term.finalModel()
	m.Close()
	sess := m.Session()
	if sess.IDs.MessageRouteID != ids["MRID"] || sess.IDs.SubscriberID != ids["TSUID"] || sess.IDs.PhoneNumber != ids["Number"] ||
		sess.IDs.MessageID != ids["MessageId"] || !strings.HasPrefix(sess.IDs.PhoneNumberID, "NID-") || !strings.HasPrefix(sess.IDs.OrderID, "JNUOID-") {
		t.Errorf("session IDs %+v do not match the sandbox's %v", sess.IDs, ids)
	}
	if sess.FirstOpen() != flow.NumSteps {
		t.Errorf("first open step %v: the onboarding is not complete", sess.FirstOpen())
	}
	plain := flow.PlainSummary(sess)
	for _, id := range ids {
		if !strings.Contains(plain, id) {
			t.Errorf("the printed summary lacks %s:\n%s", id, plain)
		}
	}
}

// Going back to a created route and resubmitting it unchanged, or changing
// it and choosing to keep the existing one, creates nothing.
func TestGoingBackAndEditingDoesNotDuplicate(t *testing.T) {
	sb := newSandbox(t, sandbox.Options{})
	term := startTerminal(t, wizard.New(sb.demoWizard()), 80, 24)
	term.waitFor("Step 1 · Credentials")
	term.enterUntil("Step 2 · Message route", 10)
	term.enterUntil("Step 3 · Voice route", 30)

	term.key(keyEsc)
	term.waitFor("Step 2 · Message route", "MRID-")
	term.enterUntil("Step 3 · Voice route", 30) // unchanged: reused
	if n := len(sb.resources(t)["MessageRoutes"]); n != 1 {
		t.Fatalf("an unchanged resubmit created a route: %d routes", n)
	}

	term.key(keyEsc)
	term.waitFor("Step 2 · Message route")
	term.retype("Renamed route")
	term.enterUntil("already exists", 30)
	term.waitFor("Keep MRID-")
	term.enter(1) // the safe answer, keep, is preselected
	term.waitFor("Step 3 · Voice route")
	if n := len(sb.resources(t)["MessageRoutes"]); n != 1 {
		t.Fatalf("keeping the existing route created one: %d routes", n)
	}

	// Choosing to create another is allowed, and creates exactly one.
	term.key(keyEsc)
	term.waitFor("Step 2 · Message route")
	term.retype("Second route")
	term.enterUntil("already exists", 30)
	term.key(char('y'))
	term.waitFor("Step 3 · Voice route")
	if n := len(sb.resources(t)["MessageRoutes"]); n != 2 {
		t.Fatalf("asked for a second route, the sandbox has %d", n)
	}
}

// Configuring voice creates a voice route; its CRID reaches provisioning.
func TestConfiguringVoiceCarriesTheCRID(t *testing.T) {
	sb := newSandbox(t, sandbox.Options{})
	term := startTerminal(t, wizard.New(sb.demoWizard()), 80, 24)
	term.waitFor("Step 1 · Credentials")
	term.enterUntil("Step 2 · Message route", 10)
	term.enterUntil("Step 3 · Voice route", 30)
	term.key(keyDown) // "Configure an MVNO voice route"
	term.enterUntil("Step 4 · Availability", 60)
	voice := sb.resources(t)["VoiceRoutes"]
	if len(voice) != 1 {
		t.Fatalf("%d voice routes, want 1", len(voice))
	}
	crid := voice[0]["CallRouteId"].(string)
	term.waitFor(crid[:18]) // the stepper shortens it
	term.enterUntil("ResultsTotal:", 15)
	term.enterUntil("Step 5 · Subscriber", 3)
	term.enterUntil("Step 6 · Provision", 10)
	term.waitFor("CRID   " + crid)
	// With a voice route, provisioning starts with voice on.
	term.enterUntil("Step 6 · Your number", 15)
	numbers := sb.resources(t)["Numbers"]
	if len(numbers) != 1 {
		t.Fatalf("%d numbers", len(numbers))
	}
	if n := numbers[0]; n["VoiceEnabled"] != true || n["ProductType"] != "Sms+Data+Voice" || n["VoiceRouteId"] != crid {
		t.Errorf("provisioned without voice by default: VoiceEnabled %v, ProductType %v, VoiceRouteId %v",
			n["VoiceEnabled"], n["ProductType"], n["VoiceRouteId"])
	}
}

// An email already taken gets the quickstart's remedy; fixing it in place
// succeeds and nothing earlier is lost.
func TestEmailTakenThenFixed(t *testing.T) {
	sb := newSandbox(t, sandbox.Options{})
	c := sb.client(t)
	if _, err := c.CreateSubscriber(context.Background(), api.SubscriberRequest{Name: "Someone", Email: "demo-test@example.com",
		Role: "Subscriber", Password: "password-1", AccountId: sandbox.DemoAccountID}); err != nil {
		t.Fatal(err)
	}
	term := startTerminal(t, wizard.New(sb.demoWizard()), 80, 24)
	term.waitFor("Step 1 · Credentials")
	term.enterUntil("Step 2 · Message route", 10)
	term.enterUntil("Step 3 · Voice route", 30)
	term.enterUntil("ResultsTotal:", 15)
	term.enterUntil("Step 5 · Subscriber", 3)
	term.enterUntil("Each subscriber email must be unique", 10)
	term.waitFor("409", "Retry", "Edit")

	term.key(char('e'))
	// Edit puts the focus on the field the error names.
	term.waitFor("Step 5 · Subscriber", "┃ Email")
	term.retype("fixed@example.com")
	term.enterUntil("Step 6 · Provision", 10)
	res := sb.resources(t)
	if len(res["Subscribers"]) != 2 || len(res["MessageRoutes"]) != 1 {
		t.Errorf("after the fix: %d subscribers (want 2: theirs and ours), %d routes (want 1)", len(res["Subscribers"]), len(res["MessageRoutes"]))
	}
}

// A message route that disappeared before provisioning: the refusal shows
// the quickstart's remedy, and no number is bought.
func TestProvisioningRefusedWithoutAMessageRoute(t *testing.T) {
	sb := newSandbox(t, sandbox.Options{})
	term := startTerminal(t, wizard.New(sb.demoWizard()), 80, 24)
	term.waitFor("Step 1 · Credentials")
	term.enterUntil("Step 2 · Message route", 10)
	term.enterUntil("Step 3 · Voice route", 30)
	mrid := sb.resources(t)["MessageRoutes"][0]["MessageRouteId"].(string)
	if _, err := sb.client(t).DeleteMessageRoute(context.Background(), mrid); err != nil {
		t.Fatal(err)
	}
	term.enterUntil("ResultsTotal:", 15)
	term.enterUntil("Step 5 · Subscriber", 3)
	term.enterUntil("Step 6 · Provision", 10)
	term.enterUntil("What to do", 15)
	term.waitFor("You must create a Message Route", "provisioning numbers")
	if n := len(sb.resources(t)["Numbers"]); n != 0 {
		t.Errorf("%d numbers bought without a route", n)
	}
	term.key(char('b')) // back to the subscriber step
	term.waitFor("Step 5 · Subscriber")
}

// ctrl+c during a request quits at once and the request is abandoned.
func TestCtrlCDuringARequestQuitsAndCancels(t *testing.T) {
	abandoned := make(chan string, 16)
	sb := newSandbox(t, sandbox.Options{Latency: 300 * time.Millisecond, Logf: func(format string, args ...any) {
		if line := fmt.Sprintf(format, args...); strings.Contains(line, "abandoned") {
			select {
			case abandoned <- line:
			default:
			}
		}
	}})
	term := startTerminal(t, wizard.New(sb.demoWizard()), 80, 24)
	term.waitFor("Step 1 · Credentials")
	term.enterUntil("Step 2 · Message route", 10)
	term.enterUntil("Creating the message route", 30)
	term.key(keyCtrlC)
	m := term.finalModel()
	if m.Session().Status(flow.MessageRoute) == flow.Done {
		t.Error("the route was recorded as created after ctrl+c")
	}
	// The sandbox drops a request whose client went away during its latency.
	// Wait until it says so, then nothing may exist.
	select {
	case line := <-abandoned:
		if !strings.Contains(line, "/message/routes") {
			t.Errorf("abandoned the wrong request: %s", line)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the sandbox never saw the create abandoned")
	}
	if n := len(sb.resources(t)["MessageRoutes"]); n != 0 {
		t.Fatalf("the cancelled request created %d route(s)", n)
	}
}

// A window too small from the start says how large it must be (resizing is
// covered frame by frame in view_test.go).
func TestStartingTooSmall(t *testing.T) {
	sb := newSandbox(t, sandbox.Options{})
	term := startTerminal(t, wizard.New(sb.demoWizard()), 50, 12)
	term.waitFor("This window is 50×12", "at least 70×20", "please enlarge it")
}

// The inspector shows the step's last HTTP exchange, secrets redacted.
func TestInspectorShowsRedactedTraffic(t *testing.T) {
	sb := newSandbox(t, sandbox.Options{})
	term := startTerminal(t, wizard.New(sb.demoWizard()), 100, 40)
	term.waitFor("Step 1 · Credentials")
	term.enterUntil("Step 2 · Message route", 10)
	term.enterUntil("Step 3 · Voice route", 30)
	term.key(keyEsc)
	term.waitFor("Step 2 · Message route")
	term.key(tea.KeyPressMsg{Code: 'o', Mod: tea.ModCtrl})
	term.waitFor("HTTP inspector", "POST http://127.0.0.1", "/v1.0/message/routes", `"RouteName": "Demo SMS Webhook"`, "← 200")
	screen := term.screen()
	if strings.Contains(screen, "demo-webhook-password") {
		t.Errorf("the inspector shows a password:\n%s", screen)
	}
	if !strings.Contains(screen, api.Redacted) {
		t.Errorf("the inspector does not mark redacted secrets:\n%s", screen)
	}
	term.key(keyEsc)
	term.waitFor("Step 2 · Message route", "RouteName")
}

// A field refuses what the API would refuse, where it was typed, with what
// is expected; fixing it moves on.
func TestInlineValidationSaysWhatIsExpected(t *testing.T) {
	sb := newSandbox(t, sandbox.Options{})
	term := startTerminal(t, wizard.New(sb.demoWizard()), 80, 24)
	term.waitFor("Step 1 · Credentials")
	term.enterUntil("Step 2 · Message route", 10)
	term.enter(1) // RouteName → MessageUrl
	term.waitFor("┃ MessageUrl")
	term.retype("http://hooks.example.com/in")
	term.enter(1)
	term.waitFor("MessageUrl must be an https URL", "loopback")
	if !strings.Contains(term.screen(), "┃ MessageUrl") {
		t.Fatalf("focus left the invalid field:\n%s", term.screen())
	}
	term.retype("https://hooks.example.com/in")
	term.enterUntil("Step 3 · Voice route", 30)
	routes := sb.resources(t)["MessageRoutes"]
	if len(routes) != 1 || routes[0]["MessageUrl"] != "https://hooks.example.com/in" {
		t.Errorf("routes after the fix: %v", routes)
	}
}

// Against a live API the purchase is confirmed first: "not now" buys
// nothing, "buy" buys exactly one number.
func TestLivePurchaseIsConfirmed(t *testing.T) {
	sb := newSandbox(t, sandbox.Options{})
	c := sb.client(t)
	ctx := context.Background()
	route, err := c.CreateMessageRoute(ctx, api.MessageRouteRequest{RouteName: "r", MessageUrl: "https://example.com/in", MessageUrlMethod: "POST"})
	if err != nil {
		t.Fatal(err)
	}
	opts := sb.demoWizard()
	opts.Sandbox, opts.StartSandbox, opts.BaseURL = false, nil, sb.url
	m := wizard.New(opts)
	// The live wizard's steps up to provisioning, answered as a customer would.
	term := startTerminal(t, m, 80, 24)
	term.waitFor("LIVE", "127.0.0.1", "Step 1 · Credentials")
	term.enterUntil("Step 2 · Message route", 10)
	term.retype("Main SMS Webhook")
	term.enter(1)
	term.waitFor("┃ MessageUrl")
	term.retype("https://example.com/in")
	term.enter(1)
	term.waitFor("┃ MessageUrlMethod")
	term.enter(1)
	term.waitFor("┃ MessageAuthenticationType")
	term.key(tea.KeyPressMsg{Code: tea.KeyUp}) // Basic → None: no credentials to type
	term.enterUntil("Step 3 · Voice route", 20)
	term.enterUntil("Step 4 · Availability", 3)
	term.enterUntil("ResultsTotal:", 8)
	term.enterUntil("Step 5 · Subscriber", 3)
	term.retype("Live Customer")
	term.enter(1)
	term.waitFor("┃ Email")
	term.retype("live@example.com")
	term.enter(1)
	term.waitFor("┃ Role")
	term.enter(1)
	term.waitFor("┃ Password")
	term.retypeSecret("a-long-password")
	term.enterUntil("Step 6 · Provision", 5)

	term.enterUntil("Buy a number?", 12)
	term.waitFor("purchases", sandbox.DemoAccountID, "Not now")
	// Without colour the chosen button is still marked.
	term.waitFor("[Not now (n)]")
	term.key(tea.KeyPressMsg{Code: tea.KeyLeft})
	term.waitFor("[Buy the number (y)]")
	term.key(tea.KeyPressMsg{Code: tea.KeyRight})
	term.waitFor("[Not now (n)]")
	term.enter(1) // the safe answer is preselected
	term.waitFor("Step 6 · Provision")
	if n := len(sb.resources(t)["Numbers"]); n != 0 {
		t.Fatalf("'Not now' bought %d number(s)", n)
	}
	term.enterUntil("Buy a number?", 12)
	term.key(char('y'))
	term.waitFor("Step 6 · Your number")
	if n := len(sb.resources(t)["Numbers"]); n != 1 {
		t.Fatalf("buying once made %d numbers", n)
	}
	_ = route
	// The route has no callback URL: the test SMS result says what that
	// means instead of pointing at reports that will never come.
	term.enterUntil("Step 7 · Test SMS", 5)
	term.enterUntil("┃ To", 3)
	term.retype("+18015737111")
	term.enterUntil("┃ Body", 3)
	term.retype("Hello")
	term.enterUntil("Test SMS sent", 8)
	term.waitFor("No delivery reports will come", "CallbackMessageUrl")
}

// The session is saved as it goes (0600, no secrets); a new run offers to
// resume it, continues at the first open step and creates nothing twice;
// starting over keeps the old file as a backup.
func TestSessionIsSavedAndResumed(t *testing.T) {
	sb := newSandbox(t, sandbox.Options{})
	dir := t.TempDir()
	state := filepath.Join(dir, "session.json")
	opts := sb.demoWizard()
	opts.StatePath = state

	first := startTerminal(t, wizard.New(opts), 80, 24)
	first.waitFor("Step 1 · Credentials")
	first.enterUntil("Step 2 · Message route", 10)
	first.enterUntil("Step 3 · Voice route", 30)
	mrid := sb.resources(t)["MessageRoutes"][0]["MessageRouteId"].(string)
	first.key(keyCtrlC)
	first.finalModel()

	info, err := os.Stat(state)
	if err != nil {
		t.Fatalf("no session file after a route was created: %v", err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("session file mode %o, want 600", info.Mode().Perm())
	}
	raw, _ := os.ReadFile(state)
	for _, secret := range []string{"demo-webhook-password", sandbox.DemoAccountSecret} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the session file holds the secret %q", secret)
		}
	}
	if !strings.Contains(string(raw), mrid) {
		t.Errorf("the session file lacks the MRID %s:\n%s", mrid, raw)
	}

	second := startTerminal(t, wizard.New(opts), 80, 24)
	second.waitFor("Step 1 · Credentials")
	second.enterUntil("Resume the earlier session?", 10)
	second.waitFor("Message route: done", "Resume (r)", "Start over (s)")
	second.enter(1) // Resume is preselected
	second.waitFor("Step 3 · Voice route", mrid[:18])
	second.enterUntil("Step 4 · Availability", 3)
	second.key(keyCtrlC)
	second.finalModel()
	if n := len(sb.resources(t)["MessageRoutes"]); n != 1 {
		t.Fatalf("resuming created the route again: %d routes", n)
	}

	third := startTerminal(t, wizard.New(opts), 80, 24)
	third.waitFor("Step 1 · Credentials")
	third.enterUntil("Resume the earlier session?", 10)
	third.key(char('s'))
	third.waitFor("Step 2 · Message route")
	backups, _ := filepath.Glob(filepath.Join(dir, "session.*.bak.json"))
	if len(backups) != 1 {
		t.Errorf("start over kept %d backups, want 1", len(backups))
	}
}

// Presenter mode: no screen of the demo path shows the AccountKey, the
// AccountId, the subscriber email or a phone number.
func TestPresenterModeMasksWhatAStreamMustNotShow(t *testing.T) {
	sb := newSandbox(t, sandbox.Options{OrderDelay: 20 * time.Millisecond})
	opts := sb.demoWizard()
	opts.Presenter = true
	term := startTerminal(t, wizard.New(opts), 80, 24)
	secrets := []string{sandbox.DemoAccountKey, sandbox.DemoAccountID, "demo-test@example.com", "+18015737111", "5737111"}
	var seen []string
	check := func() {
		s := term.screen()
		seen = append(seen, s)
		for _, v := range secrets {
			if strings.Contains(s, v) {
				t.Fatalf("presenter mode shows %q:\n%s", v, s)
			}
		}
	}
	term.waitFor("Step 1 · Credentials")
	check()
	for _, target := range []string{"Step 2 · Message route", "Step 3 · Voice route", "Step 4 · Availability", "ResultsTotal:",
		"Step 5 · Subscriber", "Step 6 · Provision", "Step 6 · Your number"} {
		term.enterUntil(target, 30)
		check()
	}
	term.waitFor("Complete")
	number := sb.resources(t)["Numbers"][0]["Number"].(string)
	secrets = append(secrets, number)
	check()
	term.enterUntil("Step 7 · Test SMS", 3)
	check()
	term.enterUntil("Test SMS sent", 8)
	check()
	term.enterUntil("Your first Telegent line is set up", 3)
	check()
	if !strings.Contains(term.screen(), number[:5]+"•") {
		t.Errorf("the number is not shown masked (%s…):\n%s", number[:5], term.screen())
	}
	term.enter(1)
	m := term.finalModel()
	for _, v := range secrets {
		if strings.Contains(m.Summary(), v) {
			t.Errorf("the printed summary shows %q in presenter mode", v)
		}
	}
	if !strings.Contains(flow.PlainSummary(m.Session()), number) {
		t.Error("the unmasked summary (for files) lost the number")
	}
}

// Every create's answer is lost: each is looked up at once and adopted (the
// subscriber through its TSUID, since the API cannot find one by email),
// and in the end each resource exists once.
func TestLostAnswersAreLookedUpNotCreatedTwice(t *testing.T) {
	sb := newSandbox(t, sandbox.Options{LoseResponses: 1, OrderDelay: 0})
	opts := sb.demoWizard()
	opts.StatePath = filepath.Join(t.TempDir(), "session.json")
	term := startTerminal(t, wizard.New(opts), 100, 30)
	term.waitFor("Step 1 · Credentials")
	term.enterUntil("Step 2 · Message route", 10)

	// A lost answer is looked up at once and the route adopted.
	term.enterUntil("Step 3 · Voice route", 30)
	term.waitFor("MRID-")

	term.enterUntil("ResultsTotal:", 10)
	term.enterUntil("Step 5 · Subscriber", 3)
	term.enterUntil("Was the subscriber created?", 10)
	term.key(char('s')) // send it again: the email is taken, so the first went through
	term.waitFor("The earlier attempt created the subscriber")
	tsuid := sb.resources(t)["Subscribers"][0]["SubscriberId"].(string)
	term.key(char('t'))
	term.waitFor("┃ SubscriberId")
	term.retype(tsuid)
	term.enter(1)
	term.waitFor("Step 6 · Provision", tsuid[:18])

	term.enterUntil("Step 6 · Your number", 12)
	term.waitFor("enter: send a test SMS")
	term.enterUntil("Step 7 · Test SMS", 3)
	term.enterUntil("Test SMS sent", 8)
	term.enterUntil("Your first Telegent line is set up", 3)

	res := sb.resources(t)
	for kind, want := range map[string]int{"MessageRoutes": 1, "Subscribers": 1, "Numbers": 1, "Messages": 1} {
		if got := len(res[kind]); got != want {
			t.Errorf("%d %s, want %d", got, kind, want)
		}
	}
	for _, id := range []string{res["MessageRoutes"][0]["MessageRouteId"].(string), tsuid, res["Numbers"][0]["Number"].(string), res["Messages"][0]["MessageId"].(string)} {
		if !strings.Contains(term.screen(), id) {
			t.Errorf("the summary lacks %s:\n%s", id, term.screen())
		}
	}
}

// The summary saves the same hand-off exports as the export command, beside
// the session file, with no secret in them.
func TestSummaryOffersTheExports(t *testing.T) {
	sb := newSandbox(t, sandbox.Options{OrderDelay: 0})
	dir := t.TempDir()
	opts := sb.demoWizard()
	opts.StatePath = filepath.Join(dir, "session.json")
	term := startTerminal(t, wizard.New(opts), 100, 30)
	term.waitFor("Step 1 · Credentials")
	for _, target := range []string{"Step 2 · Message route", "Step 3 · Voice route", "ResultsTotal:", "Step 5 · Subscriber",
		"Step 6 · Provision", "Step 6 · Your number", "Step 7 · Test SMS", "Test SMS sent", "Your first Telegent line is set up"} {
		term.enterUntil(target, 30)
	}
	for _, e := range []struct {
		key  rune
		ext  string
		want string
	}{{'c', ".sh", "curl"}, {'j', ".json", `"messageRouteId"`}, {'v', ".env", "TELEGENT_MESSAGE_ROUTE_ID="}, {'m', ".md", "| "}} {
		term.key(char(e.key))
		var matches []string
		var data []byte
		// Wait for the whole file: it is written in the background.
		for deadline := time.Now().Add(10 * time.Second); !strings.Contains(string(data), e.want); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%c: no complete %s file in %s; screen:\n%s", e.key, e.ext, dir, term.screen())
			}
			if matches, _ = filepath.Glob(filepath.Join(dir, "telegent-onboard-*"+e.ext)); len(matches) == 1 {
				data, _ = os.ReadFile(matches[0])
			}
		}
		term.waitFor("Saved " + dir)
		for _, secret := range []string{"demo-webhook-password", "demo-password-123", sandbox.DemoAccountSecret} {
			if strings.Contains(string(data), secret) {
				t.Errorf("%s holds the secret %q", matches[0], secret)
			}
		}
	}
}

// A route whose callback URL is wrong: the test SMS screen stops waiting
// after the timeout and says what to check, instead of hanging.
func TestWrongCallbackURLTimesOutClearly(t *testing.T) {
	sb := newSandbox(t, sandbox.Options{})
	opts := sb.demoWizard()
	opts.DeliveryTimeout = 1500 * time.Millisecond
	m := wizard.New(opts)
	t.Cleanup(m.Close)
	term := startTerminal(t, m, 100, 30)
	term.waitFor("Step 1 · Credentials")
	term.enterUntil("Step 2 · Message route", 10)
	term.enterUntil("┃ CallbackMessageUrl", 12)
	term.retype("http://127.0.0.1:9/nobody-listens")
	for _, target := range []string{"Step 3 · Voice route", "ResultsTotal:", "Step 5 · Subscriber", "Step 6 · Provision",
		"Step 6 · Your number", "Step 7 · Test SMS", "Test SMS sent"} {
		term.enterUntil(target, 30)
	}
	term.waitFor("No delivery report arrived within 1.5s", "http://127.0.0.1:9/nobody-listens", "telegent-onboard listen")
	if strings.Contains(term.screen(), "Delivery confirmed") {
		t.Error("delivery confirmed without a report")
	}
	term.enterUntil("Your first Telegent line is set up", 3)
	if !strings.Contains(term.screen(), "○  Delivery confirmed") {
		t.Errorf("the summary does not show delivery unconfirmed:\n%s", term.screen())
	}
}
