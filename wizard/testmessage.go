package wizard

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/telegent/telegent-onboard/api/webhook"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// testMessageScreen sends the first SMS from the new number and shows its
// MessageId, each recipient's status and, in sandbox mode, the delivery
// reports and the reply as they reach the route's webhook.
type testMessageScreen struct {
	stepForm

	// Waiting for the delivery reports and the reply (sandbox mode).
	gen               int // the current watch; older messages are stale
	waiting, timedOut bool
	feed              <-chan webhook.Event
	feedCtx           context.Context
	stop              func()
	attempts          []attempt    // the webhook calls seen, newest last
	seen              map[int]bool // by the receiver's Seq: each is listed once
}

func newTestMessageScreen(sh *shared) *testMessageScreen {
	return &testMessageScreen{stepForm: stepForm{formScreen: formScreen{sh: sh, step: flow.TestMessage}}}
}

func (s *testMessageScreen) showResult() bool {
	return s.sh.session.Status(flow.TestMessage) == flow.Done
}

func (s *testMessageScreen) Enter() tea.Cmd {
	if s.showResult() {
		return nil
	}
	return s.enter(nil)
}

func (s *testMessageScreen) Update(msg tea.Msg) tea.Cmd {
	if cmd, ok := s.onDelivery(msg); ok {
		return cmd
	}
	if _, ok := msg.(finishedMsg); ok {
		return s.watch()
	}
	if !s.showResult() {
		return s.stepForm.Update(msg)
	}
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "enter" {
		return s.sh.leave()
	}
	return nil
}

func (s *testMessageScreen) formOf() *formScreen {
	if s.showResult() {
		return nil
	}
	return &s.formScreen
}

func (s *testMessageScreen) View() string {
	if !s.showResult() {
		return s.view()
	}
	st := s.sh.styles
	sess := s.sh.session
	var b strings.Builder
	b.WriteString(st.Title.Render("Step 7 · Test SMS sent") + "\n\n")
	b.WriteString(st.Key.Render("MessageId  ") + st.Value.Render(sess.IDs.MessageID) + "\n")
	if m := sess.Message; m != nil {
		b.WriteString(st.Key.Render("From       ") + st.Text.Render(m.From) + "\n")
		b.WriteString(st.Key.Render("Type       ") + st.Text.Render(m.MessageType+" · "+m.Status) + "\n")
	}
	b.WriteString("\n" + st.Key.Render("Recipients") + "\n")
	for _, r := range sess.IDs.Recipients {
		status := r.Status
		if status == "" {
			status = "sent"
		}
		line := "  " + st.Text.Render(r.Number) + "  " + st.Muted.Render(status)
		if slices.Contains(sess.IDs.DeliveredTo, r.Number) {
			line = "  " + st.Text.Render(r.Number) + "  " + st.Success.Render("Delivered ✓ (report received)")
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("\n" + s.deliveryView() + "\n")
	b.WriteString(st.Muted.Render("enter: summary"))
	return b.String()
}

func (s *testMessageScreen) Resize(w, h int) { s.resize(w, h) }
func (s *testMessageScreen) AtStart() bool   { return s.showResult() || s.atStart() }
func (s *testMessageScreen) Typing() bool    { return !s.showResult() && s.typing() }
func (s *testMessageScreen) Keys() []key.Binding {
	return []key.Binding{s.sh.keys.Next}
}

// attemptsView lists the calls that reached the route's webhook, each as it
// arrived, refused ones included.
func (s *testMessageScreen) attemptsView() string {
	var b strings.Builder
	for _, a := range s.attempts {
		style := s.sh.styles.Success
		if !a.ok {
			style = s.sh.styles.Error
		}
		b.WriteString(s.sh.para(style, "  "+a.text) + "\n")
	}
	return b.String()
}

// deliveryView says what happened to the message after it left: reports and
// the reply as they arrive, a timeout that says what to check, or, against
// the live API, where the reports go and how to watch them.
func (s *testMessageScreen) deliveryView() string {
	sh := s.sh
	st := sh.styles
	sess := sh.session
	callback := ""
	if r := sess.Inputs.MessageRoute; r != nil {
		callback = r.CallbackMessageUrl
	}
	var b strings.Builder
	switch {
	case sh.receiver == nil && callback == "" && sess.Inputs.MessageRoute != nil:
		// No callback URL on the route: Telegent has nowhere to report to.
		b.WriteString(sh.para(st.Muted, "No delivery reports will come: the message route has no CallbackMessageUrl, "+
			"so Telegent sends them nowhere, and the status above is all you will see of this message. To receive them, "+
			"set CallbackMessageUrl on the route; `telegent-onboard listen` behind your public https URL shows them as they arrive."))
	case sh.receiver == nil:
		where := "the message route's CallbackMessageUrl"
		if callback != "" {
			where = callback
		}
		b.WriteString(sh.para(st.Muted, "Delivery reports go to "+where+". To watch them arrive, run "+
			"`telegent-onboard listen --addr 0.0.0.0:8090 --auth basic:USER:PASS` behind your public https URL "+
			"(Telegent only calls https) and set that URL on the route."))
	case sess.DeliveryConfirmed():
		b.WriteString(sh.para(st.Success, "✓ Delivery confirmed: every recipient's report reached the route's webhook.") + "\n")
	case s.waiting:
		fmt.Fprintf(&b, "%s %s\n", sh.spinner.View(), st.Text.Render(fmt.Sprintf("Waiting for delivery reports at the route's webhook (%d of %d)…",
			len(sess.IDs.DeliveredTo), len(sess.IDs.Recipients))))
		b.WriteString(s.attemptsView())
	case s.timedOut:
		b.WriteString(s.attemptsView())
		where := "the route's CallbackMessageUrl"
		if callback != "" {
			where = callback
		}
		b.WriteString(sh.para(st.Warning, fmt.Sprintf("No delivery report arrived within %s. Check that %s is right and reachable, "+
			"and that its authentication matches; `telegent-onboard listen` shows what reaches it.", sh.opts.DeliveryTimeout, where)) + "\n")
	}
	if r := sess.IDs.Reply; r != nil {
		b.WriteString(sh.para(st.Text, "Reply from "+r.From+": "+r.Body) + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}
