package wizard_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/sandbox"
	"github.com/telegent/telegent-onboard/wizard"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// Each test here is a defect found where two copies of a rule disagreed,
// run through the full-screen wizard as a person would.

// retypeField moves to a form field (Enter through the ones before it) and
// types a value over it.
func (term *terminal) retypeField(name, value string, maxPresses int) {
	term.t.Helper()
	term.enterUntil("┃ "+name, maxPresses)
	term.retype(value)
	term.waitFor(value)
}

// A number sold out between search and purchase gets the quickstart's
// remedy and a one-key way back to the search, which keeps the last values
// and starts at AreaCode; the area picked last is what provisioning sends.
func TestProvisionUsesTheAreaPickedLast(t *testing.T) {
	sb := newSandbox(t, sandbox.Options{OrderDelay: 0})
	term := startTerminal(t, wizard.New(sb.demoWizard()), 100, 30)
	term.waitFor("Step 1 · Credentials")
	term.enterUntil("Step 2 · Message route", 10)
	term.enterUntil("Step 3 · Voice route", 30)
	term.enterUntil("Step 4 · Availability", 3)
	term.retypeField("AreaCode", sandbox.OneNumberArea, 8)
	term.enterUntil("ResultsTotal:", 3)
	term.waitFor("99501")

	// Someone else buys the area's only number meanwhile.
	c := sb.client(t)
	mrid := sb.resources(t)["MessageRoutes"][0]["MessageRouteId"].(string)
	if _, err := c.ProvisionNumber(context.Background(), api.ProvisionRequest{NumberType: "mvno", MessageType: "p2p", MessageEnabled: true,
		ProductType: "Sms+Data", AreaCode: sandbox.OneNumberArea, MessageRouteId: mrid, AccountId: sandbox.DemoAccountID}); err != nil {
		t.Fatal(err)
	}
	term.enterUntil("Step 5 · Subscriber", 2)
	term.enterUntil("Step 6 · Provision", 10)
	term.enterUntil("check availability again", 12)
	term.waitFor("Search again")
	term.key(char('s'))
	term.waitFor("┃ AreaCode", sandbox.OneNumberArea) // the last search's value, focused
	term.retype("201")
	term.enterUntil("ResultsTotal:", 4)
	term.waitFor("07302")
	term.enterUntil("Step 6 · Your number", 20)
	numbers := sb.resources(t)["Numbers"]
	if len(numbers) != 2 {
		t.Fatalf("%d numbers in the sandbox, want 2 (theirs and ours)", len(numbers))
	}
	ours := numbers[1]["Number"].(string)
	if !strings.HasPrefix(ours, "+1201") {
		t.Errorf("provisioned %s: the new pick (201) was not what provisioning sent", ours)
	}
}

// While the number's order is pending, Enter on its result says so instead
// of going to a test SMS that would be refused; a session resumed while the
// order is pending shows the order first.
func TestPendingOrderHoldsTheTestSMS(t *testing.T) {
	sb := newSandbox(t, sandbox.Options{OrderDelay: time.Hour})
	opts := sb.demoWizard()
	opts.StatePath = filepath.Join(t.TempDir(), "session.json")
	term := startTerminal(t, wizard.New(opts), 100, 30)
	term.waitFor("Step 1 · Credentials")
	term.enterUntil("Step 2 · Message route", 10)
	term.enterUntil("Step 6 · Your number", 60)
	term.waitFor("Pending", "waiting for the order")
	term.enter(1)
	term.waitFor("The test SMS can be sent once the order completes")
	if strings.Contains(term.screen(), "Step 7 · Test SMS") {
		t.Fatal("Enter went on to the test SMS while the order is pending")
	}
	term.key(keyCtrlC)
	term.finalModel()

	again := startTerminal(t, wizard.New(opts), 100, 30)
	again.waitFor("Step 1 · Credentials")
	again.enterUntil("Resume the earlier session?", 10)
	again.enter(1)
	again.waitFor("Step 6 · Your number", "Pending")
	if s := again.screen(); strings.Contains(s, "Step 7 · Test SMS") {
		t.Fatalf("the resumed session jumped to the test SMS:\n%s", s)
	}
}

// A wrong AccountId is refused at step 1, with the quickstart's remedy.
func TestWrongAccountIdIsRefusedAtStep1(t *testing.T) {
	sb := newSandbox(t, sandbox.Options{})
	opts := sb.demoWizard()
	opts.AccountID = "AID-00000000-0000-0000-0000-000000000000"
	term := startTerminal(t, wizard.New(opts), 100, 30)
	term.waitFor("Step 1 · Credentials")
	term.enterUntil("Make sure you're using the correct AccountId", 10)
	if s := term.screen(); strings.Contains(s, "Step 2 · Message route") || !strings.Contains(s, "✗ 1 Credentials") {
		t.Errorf("the wrong AccountId got past step 1:\n%s", s)
	}
	term.key(char('e'))
	term.waitFor("┃ AccountId") // Edit lands on the field at fault
}

// A route deleted outside the wizard is not reused by resubmitting it
// unchanged: the wizard checks it still exists, and creates it again.
func TestDeletedRouteIsCreatedAgainNotReused(t *testing.T) {
	sb := newSandbox(t, sandbox.Options{})
	m := wizard.New(sb.demoWizard())
	term := startTerminal(t, m, 100, 30)
	term.waitFor("Step 1 · Credentials")
	term.enterUntil("Step 2 · Message route", 10)
	term.enterUntil("Step 3 · Voice route", 30)
	old := sb.resources(t)["MessageRoutes"][0]["MessageRouteId"].(string)
	if _, err := sb.client(t).DeleteMessageRoute(context.Background(), old); err != nil {
		t.Fatal(err)
	}
	term.key(keyEsc)
	term.waitFor("Step 2 · Message route")
	term.enterUntil("Step 3 · Voice route", 30)
	term.key(keyCtrlC)
	got := term.finalModel().Session()
	if got.IDs.MessageRouteID == old || got.Status(flow.MessageRoute) != flow.Done {
		t.Fatalf("the deleted route %s was reused (session has %s, %s)", old, got.IDs.MessageRouteID, got.Status(flow.MessageRoute))
	}
	if _, err := sb.client(t).GetMessageRoute(context.Background(), got.IDs.MessageRouteID); err != nil {
		t.Errorf("the new route %s does not exist: %v", got.IDs.MessageRouteID, err)
	}
}

// On the message route screen, ctrl+t (or t off a text field) proves the
// webhook typed in, each check appearing as it completes; the demo's
// in-process receiver passes. A URL that fails makes creating the route
// ask first, and "Fix it" creates nothing.
func TestWebhookCheckPanelBeforeTheRoute(t *testing.T) {
	sb := newSandbox(t, sandbox.Options{})
	m := wizard.New(sb.demoWizard())
	t.Cleanup(m.Close)
	term := startTerminal(t, m, 100, 40)
	term.waitFor("Step 1 · Credentials")
	term.enterUntil("Step 2 · Message route", 10)
	term.waitFor("> http://127.0.0.1") // the in-process receiver's URL
	term.key(keyCtrlT)
	term.waitFor("Checking your webhook", "Every check passed")
	term.key(keyEsc)
	for deadline := time.Now().Add(20 * time.Second); strings.Contains(term.screen(), "Checking your webhook"); {
		if time.Now().After(deadline) {
			t.Fatalf("esc did not close the panel:\n%s", term.screen())
		}
		time.Sleep(5 * time.Millisecond) // polling interval, bounded by the deadline
	}

	term.enterUntil("┃ MessageUrl", 3)
	term.retype("http://127.0.0.1:9/nobody")
	term.waitFor("127.0.0.1:9/nobody")
	term.key(keyCtrlT)
	term.waitFor("Checking your webhook", "failed: fix the route")
	term.key(keyEsc)
	term.enterUntil("Create it anyway?", 30)
	term.key(char('n'))
	term.waitFor("Step 2 · Message route")
	if n := len(sb.resources(t)["MessageRoutes"]); n != 0 {
		t.Fatalf("%d routes created after a failed check and 'Fix it'", n)
	}
	term.enterUntil("Create it anyway?", 30)
	term.key(char('y'))
	term.waitFor("Step 3 · Voice route")
	if n := len(sb.resources(t)["MessageRoutes"]); n != 1 {
		t.Fatalf("%d routes after 'Create it anyway'", n)
	}
}

// ctrl+c part way: the summary printed on exit marks the steps never shown
// as not reached, not as skipped.
func TestSummaryAfterCtrlCSaysNotReached(t *testing.T) {
	sb := newSandbox(t, sandbox.Options{})
	term := startTerminal(t, wizard.New(sb.demoWizard()), 100, 30)
	term.waitFor("Step 1 · Credentials")
	term.enterUntil("Step 2 · Message route", 10)
	term.enterUntil("Step 3 · Voice route", 30)
	term.key(keyCtrlC)
	m := term.finalModel()
	if !m.Interrupted() {
		t.Error("ctrl+c is not reported as an interruption (the command's exit 130)")
	}
	sum := m.Summary()
	for _, want := range []string{"MessageRouteId (MRID)  MRID-", "CallRouteId (CRID)     not reached", "PhoneNumberId (NID)    not reached"} {
		if !strings.Contains(sum, want) {
			t.Errorf("summary lacks %q:\n%s", want, sum)
		}
	}
	if strings.Contains(sum, "skipped") {
		t.Errorf("a step never shown is called skipped:\n%s", sum)
	}
}
