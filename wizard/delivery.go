package wizard

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/telegent/telegent-onboard/api/webhook"
)

// In sandbox mode the wizard closes the loop: it runs the webhook receiver
// of `telegent-onboard listen` in-process, offers its URL as the message
// route's MessageUrl and CallbackMessageUrl (with Basic authentication and
// generated credentials, so the check is real), and after the test SMS
// waits for each recipient's delivery report and the sandbox's reply.

const receiverPath = "/telegent/messages"

// receiverReadyMsg arrives when the in-process receiver listens.
type receiverReadyMsg struct {
	run  *webhook.Running
	auth webhook.Auth
	err  error
}

// startReceiver is a command: listening is I/O.
func startReceiver() tea.Msg {
	var b [12]byte
	_, _ = rand.Read(b[:])
	auth := webhook.Auth{Kind: "basic", User: "telegent", Pass: hex.EncodeToString(b[:])}
	run, err := webhook.Start("127.0.0.1:0", receiverPath, auth)
	return receiverReadyMsg{run: run, auth: auth, err: err}
}

// deliveryEventMsg is one event at the receiver; deliveryTimeoutMsg ends the
// wait.
type deliveryEventMsg struct {
	ev  webhook.Event
	gen int
}

type deliveryTimeoutMsg struct{ gen int }

// waitForEvent blocks, in a command, for the receiver's next event.
func waitForEvent(ctx context.Context, ch <-chan webhook.Event, gen int) tea.Cmd {
	return func() tea.Msg {
		select {
		case ev, ok := <-ch:
			if !ok {
				return nil
			}
			return deliveryEventMsg{ev: ev, gen: gen}
		case <-ctx.Done():
			return nil
		}
	}
}

// watch starts waiting for the test message's reports: the events already
// received count too (the sandbox may have answered before this started),
// then the live feed, until every report and the reply are in or the
// timeout passes. Nothing waits forever.
func (s *testMessageScreen) watch() tea.Cmd {
	sh := s.sh
	if sh.receiver == nil || sh.session.IDs.MessageID == "" {
		return nil
	}
	s.stopWatching()
	s.gen++
	s.waiting, s.timedOut, s.attempts, s.seen = true, false, nil, map[int]bool{}
	ch, unsubscribe := sh.receiver.Receiver.Subscribe()
	for _, ev := range sh.receiver.Receiver.Events() {
		s.note(ev) // repeats from the feed are ignored by the session
	}
	if s.settled() {
		unsubscribe()
		s.waiting = false
		return sh.persist()
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.feed, s.stop = ch, func() { cancel(); unsubscribe() }
	s.feedCtx = ctx
	gen := s.gen
	return tea.Batch(waitForEvent(ctx, ch, gen),
		tea.Tick(sh.opts.DeliveryTimeout, func(time.Time) tea.Msg { return deliveryTimeoutMsg{gen: gen} }),
		sh.spinner.Tick)
}

func (s *testMessageScreen) stopWatching() {
	if s.stop != nil {
		s.stop()
		s.stop = nil
	}
}

// note records what an event says about the test message, and the
// attempt itself for the screen (refused ones too: they are what a person
// must fix); true when it said something new to the session.
func (s *testMessageScreen) note(ev webhook.Event) bool {
	if !s.seen[ev.Seq] {
		s.seen[ev.Seq] = true
		s.attempts = append(s.attempts, s.attemptOf(ev))
		if len(s.attempts) > maxAttemptsShown {
			s.attempts = s.attempts[len(s.attempts)-maxAttemptsShown:]
		}
	}
	return s.sh.session.NoteEvent(ev)
}

// maxAttemptsShown is how many webhook calls the screen lists, the newest.
const maxAttemptsShown = 4

// attempt is one call that reached the route's webhook, in words.
type attempt struct {
	ok   bool
	text string
}

func (s *testMessageScreen) attemptOf(ev webhook.Event) attempt {
	switch {
	case !ev.Authorized:
		what := "credentials differ"
		switch s.sh.receiver.Receiver.Auth().Kind {
		case "basic":
			what = "Basic credentials differ"
		case "bearer":
			what = "Bearer token differs"
		}
		return attempt{text: "✗ refused by your webhook: 401, the route's " + what}
	case ev.Kind == "delivery":
		status := ev.Status
		if status == "" {
			status = "a status"
		}
		return attempt{ok: true, text: "✓ delivery report for " + ev.To + ": " + status}
	case ev.Kind == "inbound":
		return attempt{ok: true, text: "✓ a reply from " + ev.From}
	}
	return attempt{text: "· a call the wizard does not know (" + ev.Method + ")"}
}

// settled: every report and the reply have arrived.
func (s *testMessageScreen) settled() bool { return s.sh.session.DeliverySettled() }

// onDelivery handles the watch's messages; false for any other message.
func (s *testMessageScreen) onDelivery(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case deliveryEventMsg:
		if msg.gen != s.gen || !s.waiting {
			return nil, true
		}
		var cmd tea.Cmd
		if s.note(msg.ev) {
			cmd = s.sh.persist()
		}
		if s.settled() {
			s.waiting = false
			s.stopWatching()
			return cmd, true
		}
		return tea.Batch(cmd, waitForEvent(s.feedCtx, s.feed, msg.gen)), true
	case deliveryTimeoutMsg:
		if msg.gen == s.gen && s.waiting {
			s.waiting, s.timedOut = false, true
			s.stopWatching()
		}
		return nil, true
	}
	return nil, false
}
