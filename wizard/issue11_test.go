package wizard_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/sandbox"
	"github.com/telegent/telegent-onboard/wizard"
)

// The scenarios of issue 11's screen half, each through the program as a
// person meets it. termtest draws with colorprofile.Ascii, as NO_COLOR
// does: what these tests read is what a terminal without colour shows.

// A yes/no field and a panel's buttons show which one is chosen without
// colour.
func TestNoColourShowsTheChosenButton(t *testing.T) {
	sb := newSandbox(t, sandbox.Options{})
	term := startTerminal(t, wizard.New(sb.demoWizard()), 80, 24)
	term.waitFor("Step 1 · Credentials")
	term.enterUntil("Step 2 · Message route", 10)
	term.enterUntil("Step 3 · Voice route", 30)
	term.enterUntil("Step 4 · Availability", 5)
	term.enterUntil("┃ MessageEnabled", 5)
	term.waitFor("[Yes]")
	term.key(char('n'))
	term.waitFor("[No]")
	// The other fields' answers stay marked too (VoiceEnabled: No).
	if s := term.screen(); strings.Count(s, "[No]") < 1 || strings.Contains(s, "┃ [Yes]") {
		t.Errorf("the chosen answer is not marked:\n%s", s)
	}
}

// The client's waits are explained on the spinner line, with a countdown
// that moves.
func TestRateLimitWaitIsExplained(t *testing.T) {
	sb := newSandbox(t, sandbox.Options{})
	opts := sb.demoWizard()
	// Six requests a minute: one at once, then one every twelve seconds.
	opts.ClientOptions = append(opts.ClientOptions, api.WithRateLimit(6))
	term := startTerminal(t, wizard.New(opts), 80, 24)
	term.waitFor("Step 1 · Credentials")
	term.enterUntil("for Telegent's rate limit", 40)
	term.waitFor("(6 requests") // the line wraps at 80 columns, at a space
	seconds := regexp.MustCompile(`Waiting (\d+) s for Telegent's rate limit`)
	left := func() int {
		m := seconds.FindStringSubmatch(term.screen())
		if m == nil {
			return -1
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	first := left()
	if first <= 0 || first > 12 {
		t.Fatalf("the countdown starts at %d:\n%s", first, term.screen())
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if n := left(); n >= 0 && n < first {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the countdown never moved from %d:\n%s", first, term.screen())
		}
	}
	if !busy(term.screen()) {
		t.Errorf("the wait is not shown as a call in flight:\n%s", term.screen())
	}
	term.key(keyCtrlC)
	term.finalModel()
}

// Each call at the route's webhook is shown as it arrives while the
// wizard waits for the delivery reports, refused ones included.
func TestRefusedWebhookAttemptsAreShown(t *testing.T) {
	sb := newSandbox(t, sandbox.Options{})
	opts := sb.demoWizard()
	opts.DeliveryTimeout = 3 * time.Second
	m := wizard.New(opts)
	t.Cleanup(m.Close)
	term := startTerminal(t, m, 100, 30)
	term.waitFor("Step 1 · Credentials")
	term.enterUntil("Step 2 · Message route", 10)
	// The callback's password is not the webhook's: its reports are refused.
	term.enterUntil("┃ CallbackMessagePasswordToken", 15)
	term.retypeSecret("not-the-password") // masked: nothing to wait for on screen
	for _, target := range []string{"Step 3 · Voice route", "ResultsTotal:", "Step 5 · Subscriber", "Step 6 · Provision",
		"Step 6 · Your number", "Step 7 · Test SMS", "Test SMS sent"} {
		term.enterUntil(target, 30)
	}
	term.waitFor("refused by your webhook: 401, the route's Basic", "credentials differ")
	term.waitFor("✓ a reply from") // the reply goes to MessageUrl, whose password is right
	term.waitFor("No delivery report arrived within 3s")
}

// Counts read as English, and a search answered from its zip code says so.
func TestAvailabilityWording(t *testing.T) {
	sb := newSandbox(t, sandbox.Options{})
	term := startTerminal(t, wizard.New(sb.demoWizard()), 100, 30)
	term.waitFor("Step 1 · Credentials")
	term.enterUntil("Step 2 · Message route", 10)
	term.enterUntil("Step 3 · Voice route", 30)
	term.enterUntil("Step 4 · Availability", 3)
	term.retypeField("AreaCode", sandbox.OneNumberArea, 8)
	term.enterUntil("ResultsTotal:", 3)
	term.waitFor("ResultsTotal: 1 number available in area code 907", "· 1 area")

	term.key(char('s'))
	term.waitFor("┃ AreaCode")
	term.retype("999")
	term.enter(1)
	term.waitFor("┃ ZipCode")
	term.retype("84043")
	term.waitFor("> 84043")
	term.enter(1) // the last field: search
	term.waitFor("No numbers in area code 999; 20 in zip 84043", "ResultsTotal: 20")
}

// Presenter mode: the inspector masks the AccountId and the number, and
// the eSIM activation string and QR code stay hidden until v.
func TestPresenterInspectorAndESIM(t *testing.T) {
	sb := newSandbox(t, sandbox.Options{OrderDelay: 20 * time.Millisecond})
	opts := sb.demoWizard()
	opts.Presenter = true
	term := startTerminal(t, wizard.New(opts), 100, 40)
	term.waitFor("Step 1 · Credentials")
	for _, target := range []string{"Step 2 · Message route", "Step 3 · Voice route", "ResultsTotal:", "Step 5 · Subscriber", "Step 6 · Provision"} {
		term.enterUntil(target, 30)
	}
	// The subscriber's request carries the AccountId and the email.
	term.key(keyEsc)
	term.waitFor("Step 5 · Subscriber")
	term.key(tea.KeyPressMsg{Code: 'o', Mod: tea.ModCtrl})
	term.waitFor("HTTP inspector", `"AccountId"`, `"Email"`)
	for _, v := range []string{sandbox.DemoAccountID, "demo-test@example.com", sandbox.DemoAccountID[4:12]} {
		if strings.Contains(term.screen(), v) {
			t.Fatalf("the inspector shows %q in presenter mode:\n%s", v, term.screen())
		}
	}
	term.key(keyEsc)
	term.waitFor("Step 5 · Subscriber", "┃")
	term.enterUntil("Step 6 · Provision", 10)
	term.enterUntil("Step 6 · Your number", 15)
	term.waitFor("Complete", "v shows it")
	if s := term.screen(); strings.Contains(s, "SMDP.SANDBOX") || strings.Contains(s, "▀▀▀▀▀") {
		t.Fatalf("presenter mode shows the eSIM code before v:\n%s", s)
	}
	term.key(tea.KeyPressMsg{Code: 'o', Mod: tea.ModCtrl})
	term.waitFor("HTTP inspector")
	if s := term.screen(); strings.Contains(s, "SMDP.SANDBOX") {
		t.Fatalf("the inspector shows the activation string in presenter mode:\n%s", s)
	}
	term.key(keyEsc)
	term.waitFor("Step 6 · Your number")
	term.key(char('v'))
	term.waitFor("LPA:1$SMDP.SANDBOX.TELEGENT.TEST$", "▀▀▀▀▀")
	term.key(char('v'))
	term.waitFor("v shows it")
}
