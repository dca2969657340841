package wizard

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/telegent/telegent-onboard/wizard/flow"
)

// summaryScreen shows the quickstart's checkmarks, every ID by name, and
// what to do next.
type summaryScreen struct {
	sh *shared
}

func newSummaryScreen(sh *shared) *summaryScreen { return &summaryScreen{sh: sh} }

func (s *summaryScreen) Enter() tea.Cmd { return nil }

func (s *summaryScreen) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok && (k.String() == "enter" || k.String() == "q") {
		return tea.Quit
	}
	return nil
}

// Checks are the quickstart's five "You now have" lines and whether each
// holds for the session.
func Checks(sess *flow.Session) []Check {
	done := func(step flow.Step) bool { return sess.Status(step) == flow.Done }
	routes := "Message route configured"
	switch sess.Status(flow.VoiceRoute) {
	case flow.Done:
		routes = "Message and voice routes configured"
	case flow.Skipped:
		routes = "Message route configured (voice skipped)"
	}
	return []Check{
		{"Authenticated with the API", done(flow.Credentials)},
		{routes, done(flow.MessageRoute) && sess.Status(flow.VoiceRoute) != flow.Pending},
		{"A phone number provisioned", done(flow.Provision)},
		{"A subscriber with an active number", done(flow.Subscriber) && done(flow.Provision) && sess.IDs.SubscriberID != ""},
		{"A test message sent", done(flow.TestMessage)},
	}
}

// Check is one line of the summary's checklist.
type Check struct {
	Label string
	OK    bool
}

// SummaryIDs lists every ID by the name the documents give it.
func SummaryIDs(sess *flow.Session) [][2]string {
	crid := sess.IDs.VoiceRouteID
	if sess.Status(flow.VoiceRoute) != flow.Done {
		crid = "skipped"
	}
	return [][2]string{
		{"MessageRouteId (MRID)", sess.IDs.MessageRouteID},
		{"CallRouteId (CRID)", crid},
		{"SubscriberId (TSUID)", sess.IDs.SubscriberID},
		{"PhoneNumberId (NID)", sess.IDs.PhoneNumberID},
		{"OrderId", sess.IDs.OrderID},
		{"Number", sess.IDs.PhoneNumber},
		{"MessageId", sess.IDs.MessageID},
	}
}

// PlainSummary is the summary as text, printed after the wizard closes so
// the IDs stay in the terminal's scrollback.
func PlainSummary(sess *flow.Session) string {
	var b strings.Builder
	b.WriteString("Telegent onboarding summary\n")
	for _, c := range Checks(sess) {
		mark := "✗"
		if c.OK {
			mark = "✓"
		}
		fmt.Fprintf(&b, "  %s %s\n", mark, c.Label)
	}
	for _, kv := range SummaryIDs(sess) {
		v := kv[1]
		if v == "" {
			v = "—"
		}
		fmt.Fprintf(&b, "  %-22s %s\n", kv[0], v)
	}
	return b.String()
}

func (s *summaryScreen) View() string {
	st := s.sh.styles
	sess := s.sh.session
	var b strings.Builder
	b.WriteString(st.Title.Render("🎉 Your first Telegent line is set up") + "\n\n")
	for _, c := range Checks(sess) {
		if c.OK {
			b.WriteString(st.Success.Render("✅ "+c.Label) + "\n")
		} else {
			b.WriteString(st.Muted.Render("○  "+c.Label) + "\n")
		}
	}
	b.WriteString("\n")
	for _, kv := range SummaryIDs(sess) {
		v := kv[1]
		if v == "" {
			v = "—"
		}
		b.WriteString(st.Key.Render(fmt.Sprintf("%-22s ", kv[0])) + st.Value.Render(v) + "\n")
	}
	b.WriteString("\n" + st.Title.Render("What's next") + "\n")
	b.WriteString(st.Text.Render("• Point MessageUrl at your service and reply to an inbound SMS.") + "\n")
	b.WriteString(st.Text.Render("• Keep these IDs: support asks for the MRID, NID and OrderId.") + "\n")
	b.WriteString(st.Muted.Render("enter or q: finish (the IDs are printed when the wizard closes)"))
	return b.String()
}

func (s *summaryScreen) Resize(int, int) {}
func (s *summaryScreen) AtStart() bool   { return true }
func (s *summaryScreen) Typing() bool    { return false }
func (s *summaryScreen) Keys() []key.Binding {
	return []key.Binding{key.NewBinding(key.WithKeys("enter", "q"), key.WithHelp("enter", "finish"))}
}
