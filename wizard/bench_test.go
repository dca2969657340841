package wizard

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/telegent/telegent-onboard/wizard/flow"
)

// settleCmd runs a command's quick follow-ups (focus moves, group changes)
// and feeds their messages back, skipping timers (cursor blink, spinner),
// so a setup key press has fully landed.
func settleCmd(m *Model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-time.After(50 * time.Millisecond):
		return // a timer: not needed to settle
	}
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			settleCmd(m, c)
		}
	default:
		_, next := m.Update(msg)
		settleCmd(m, next)
	}
}

// BenchmarkKeystroke is one key press through Update and View, at 80×24, on
// the busiest screens: the voice route with every group on (the largest
// form: huh revisits every field's position on each key), the message route,
// and the subscriber page (the most fields on one page). The bar is
// 500µs/op for each.
func BenchmarkKeystroke(b *testing.B) {
	for _, tc := range []struct {
		name  string
		setup func(m *Model)
	}{
		{"voice_route", func(m *Model) {
			progress(m, flow.VoiceRoute)
			s := m.screens[flow.VoiceRoute].(*voiceRouteScreen)
			s.configure = true
			m.enter(flow.VoiceRoute)
			for i := 0; i < 10 && !strings.Contains(frame(m), "┃ TrunkIp1"); i++ {
				_, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
				settleCmd(m, cmd)
			}
		}},
		{"message_route", func(m *Model) { progress(m, flow.MessageRoute); m.enter(flow.MessageRoute) }},
		{"subscriber", func(m *Model) { progress(m, flow.Subscriber); m.enter(flow.Subscriber) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			m := newTestModel(b, 80, 24)
			tc.setup(m)
			if !m.screens[m.current].Typing() {
				b.Fatalf("no text input has focus:\n%s", frame(m))
			}
			keys := []tea.KeyPressMsg{{Code: 'x', Text: "x"}, {Code: tea.KeyBackspace}}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				m.Update(keys[i%2])
				_ = m.View()
				i++
			}
		})
	}
}

// BenchmarkTransition is the Update that moves from one screen to the next,
// and the frame drawn after it, at 80×24: what blocks the event loop
// between a finished step and the next screen. The message is the one the
// real loop gets (the session saved, the engine's Advance carried out; on
// the two result screens, Enter). The
// bar is 16 ms (one frame at 60 Hz) for the busiest.
func BenchmarkTransition(b *testing.B) {
	for _, from := range []flow.Step{flow.Credentials, flow.MessageRoute, flow.VoiceRoute, flow.Availability,
		flow.Subscriber, flow.Provision, flow.TestMessage} {
		to := from + 1
		name := from.Title() + " → " + "summary"
		if to < flow.NumSteps {
			name = from.Title() + " → " + to.Title()
		}
		b.Run(strings.ReplaceAll(name, " ", "_"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				m := newTestModel(b, 80, 24)
				progress(m, to)
				var msg tea.Msg = savedMsg{then: &flow.Next{Kind: flow.Advance, Step: from}}
				m.current = from
				if from == flow.Provision || from == flow.TestMessage {
					m.enter(from) // the result on screen; Enter moves on
					msg = tea.KeyPressMsg{Code: tea.KeyEnter}
				}
				b.StartTimer()
				m.Update(msg)
				_ = m.View()
				b.StopTimer()
				if m.current != to {
					b.Fatalf("the transition from %v landed on %v", from, m.current)
				}
				b.StartTimer()
			}
		})
	}
	// Choosing "configure" on the voice route builds the route's groups
	// then, within the screen: the heaviest build left.
	b.Run("Voice_route_configure", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			m := newTestModel(b, 80, 24)
			progress(m, flow.VoiceRoute)
			m.enter(flow.VoiceRoute)
			s := m.screens[flow.VoiceRoute].(*voiceRouteScreen)
			*s.strs[flow.ConfigureVoice] = "true"
			b.StartTimer()
			m.Update(formDoneMsg{})
			_ = m.View()
			b.StopTimer()
			if s.partial || !strings.Contains(frame(m), "┃ RouteName") {
				b.Fatalf("configure did not open the route form:\n%s", frame(m))
			}
			b.StartTimer()
		}
	})
}
