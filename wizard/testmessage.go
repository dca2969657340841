package wizard

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/webhook"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// testMessageScreen sends the first SMS from the new number and shows its
// MessageId and each recipient's status.
type testMessageScreen struct {
	formScreen
	from, to, body, media string
	showResult            bool

	// Waiting for the delivery reports and the reply (sandbox mode).
	gen               int // the current watch; older messages are stale
	waiting, timedOut bool
	feed              <-chan webhook.Event
	feedCtx           context.Context
	stop              func()
}

func newTestMessageScreen(sh *shared) *testMessageScreen {
	d := sh.defaults.Message
	return &testMessageScreen{formScreen: formScreen{sh: sh}, to: strings.Join(api.Recipients(d.To).Numbers(), ", "), body: d.Body}
}

func (s *testMessageScreen) Enter() tea.Cmd {
	sess := s.sh.session
	if sess.Status(flow.TestMessage) == flow.Done {
		s.showResult = true
		return nil
	}
	s.showResult = false
	if s.from == "" || sess.Inputs.Message == nil {
		s.from = sess.IDs.PhoneNumber
	}
	return s.build(
		huh.NewGroup(
			huh.NewInput().Title("From").Description("Your new number.").EchoMode(s.sh.presenterEcho()).Value(&s.from).Validate(s.sh.keep(&s.from, check("From", isE164))),
			huh.NewInput().Title("To").Description("One or more E.164 numbers, comma-separated.").
				EchoMode(s.sh.presenterEcho()).Value(&s.to).Validate(s.sh.keep(&s.to, list("To", isE164, true))),
			huh.NewInput().Title("Body").Value(&s.body).Validate(s.sh.keep(&s.body, required("Body"))),
			huh.NewInput().Title("MmsMedia").Description("Optional media URLs for an MMS, comma-separated.").
				Value(&s.media).Validate(list("MmsMedia", isURL, false)),
		).Title("Step 7 · Test SMS").Description(flow.TestMessage.Endpoint()),
	)
}

func (s *testMessageScreen) request() api.OutboundMessageRequest {
	r := api.OutboundMessageRequest{From: strings.TrimSpace(s.from), Body: s.body}
	for _, n := range splitList(s.to) {
		r.To = append(r.To, api.Recipient{Number: n})
	}
	for _, u := range splitList(s.media) {
		r.MmsMedia = append(r.MmsMedia, api.MediaURL{MediaUrl: u})
	}
	return s.sh.session.MessageRequest(r)
}

func (s *testMessageScreen) Update(msg tea.Msg) tea.Cmd {
	if cmd, ok := s.onDelivery(msg); ok {
		return cmd
	}
	switch msg.(type) {
	case formDoneMsg:
		sh := s.sh
		req := s.request()
		return sh.run(&request{
			step:   flow.TestMessage,
			create: true,
			input:  req,
			label:  "Sending the test message…",
			do: func(ctx context.Context) (any, error) {
				return sh.client.SendMessage(ctx, req)
			},
			done: func(v any, err error) tea.Cmd {
				resp, _ := v.(*api.Message)
				sh.session.RecordMessage(req, resp, err, sh.now())
				if err == nil {
					s.showResult = true
					return s.watch()
				}
				return nil
			},
		})
	}
	return s.formOrResult(s.showResult, msg)
}

func (s *testMessageScreen) View() string {
	if !s.showResult {
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
func (s *testMessageScreen) AtStart() bool   { return s.showResult || s.atStart() }
func (s *testMessageScreen) Typing() bool    { return !s.showResult && s.typing() }
func (s *testMessageScreen) Keys() []key.Binding {
	return []key.Binding{s.sh.keys.Next}
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
	case s.timedOut:
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
