package listen

// The live list of `telegent-onboard listen`: every call a message route
// makes to the receiver, newest at the bottom (like a log), with a detail
// view of the raw request.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/telegent/telegent-onboard/api/webhook"
	"github.com/telegent/telegent-onboard/styles"
)

// Model shows a receiver's events as they arrive.
type Model struct {
	r      *webhook.Receiver
	url    string
	feed   <-chan webhook.Event
	cancel func()

	events   []webhook.Event
	lastSeq  int
	selected int
	top      int  // the first event in view
	follow   bool // the selection stays on the newest event

	detail       bool
	detailLines  []string
	detailOffset int

	width, height int
	st            styles.Styles
	quitting      bool
}

// listenEventsMsg carries the events that arrived since the last one.
type listenEventsMsg []webhook.Event

// New shows r's events; url is the address to configure on the route.
// It subscribes at once, so nothing that arrives before the program starts
// is missed; Close ends the subscription.
func New(r *webhook.Receiver, url string) *Model {
	m := &Model{r: r, url: url, follow: true, st: styles.New(true), width: 80, height: 24}
	m.feed, m.cancel = r.Subscribe()
	m.add(r.Events())
	return m
}

// Close ends the subscription to the receiver.
func (m *Model) Close() { m.cancel() }

func (m *Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.wait())
}

// wait reads the next events: one, then whatever else is already queued
// (up to a batch), so a burst costs a few redraws, not one each.
func (m *Model) wait() tea.Cmd {
	feed := m.feed
	return func() tea.Msg {
		ev, ok := <-feed
		if !ok {
			return nil
		}
		batch := []webhook.Event{ev}
		for len(batch) < 512 {
			select {
			case ev, ok := <-feed:
				if !ok {
					return listenEventsMsg(batch)
				}
				batch = append(batch, ev)
			default:
				return listenEventsMsg(batch)
			}
		}
		return listenEventsMsg(batch)
	}
}

func (m *Model) add(evs []webhook.Event) {
	for _, e := range evs {
		if e.Seq <= m.lastSeq {
			continue
		}
		m.lastSeq = e.Seq
		m.events = append(m.events, e)
	}
	// Hold no more than the receiver does, so the list's memory is bounded
	// too; the selection and the view move with the dropped events.
	if drop := len(m.events) - m.r.Keep(); drop > 0 {
		m.events = append(m.events[:0:0], m.events[drop:]...)
		m.selected = max(0, m.selected-drop)
		m.top = max(0, m.top-drop)
	}
	if m.follow && len(m.events) > 0 {
		m.selected = len(m.events) - 1
	}
	m.scroll()
}

// scroll moves the window just enough to keep the selection in view.
func (m *Model) scroll() {
	h := m.bodyHeight()
	if m.selected < m.top {
		m.top = m.selected
	}
	if m.selected >= m.top+h {
		m.top = m.selected - h + 1
	}
	m.top = max(0, min(m.top, len(m.events)-h))
}

func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.BackgroundColorMsg:
		m.st = styles.New(msg.IsDark())
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.scroll()
	case listenEventsMsg:
		m.add(msg)
		return m, m.wait()
	case tea.KeyPressMsg:
		switch msg.String() {
		case "ctrl+c", "q":
			m.quitting = true
			m.cancel()
			return m, tea.Quit
		}
		if m.detail {
			switch msg.String() {
			case "esc", "backspace", "enter":
				m.detail = false
			case "up", "k":
				m.detailOffset = max(0, m.detailOffset-1)
			case "down", "j":
				m.detailOffset = min(max(0, len(m.detailLines)-m.bodyHeight()), m.detailOffset+1)
			}
			return m, nil
		}
		switch msg.String() {
		case "up", "k":
			if m.selected > 0 {
				m.selected--
			}
			m.follow = false
		case "down", "j":
			if m.selected < len(m.events)-1 {
				m.selected++
			}
			m.follow = m.selected >= len(m.events)-1
		case "home", "g":
			m.selected, m.follow = 0, false
		case "end", "G":
			m.selected, m.follow = max(0, len(m.events)-1), true
		case "enter":
			if m.selected < len(m.events) {
				m.detail = true
				m.detailOffset = 0
				m.detailLines = detailLines(m.events[m.selected])
			}
		}
		m.scroll()
	}
	return m, nil
}

// bodyHeight is the rows between the header (2 lines) and the help line.
func (m *Model) bodyHeight() int { return max(1, m.height-4) }

func (m *Model) View() tea.View {
	var v tea.View
	v.AltScreen = true
	v.WindowTitle = "telegent-onboard listen"
	if m.quitting {
		return v
	}
	var b strings.Builder
	b.WriteString(m.st.Title.Render("Listening on " + m.url))
	b.WriteString(m.st.Muted.Render(fmt.Sprintf("  %d events · auth %s", len(m.events), m.r.Auth().Kind)))
	b.WriteString("\n\n")
	h := m.bodyHeight()
	if m.detail {
		end := min(len(m.detailLines), m.detailOffset+h)
		for _, l := range m.detailLines[m.detailOffset:end] {
			b.WriteString(ansi.Truncate(l, m.width, "…"))
			b.WriteByte('\n')
		}
		for range h - (end - m.detailOffset) {
			b.WriteByte('\n')
		}
		b.WriteString(m.help("↑/↓", "scroll", "esc", "back", "q", "quit"))
	} else {
		if len(m.events) == 0 {
			b.WriteString(m.st.Muted.Render("Waiting for calls… point a message route's MessageUrl or CallbackMessageUrl here."))
			b.WriteByte('\n')
			h--
		}
		start := m.top
		end := min(len(m.events), start+h)
		for i := start; i < end; i++ {
			b.WriteString(m.row(i))
			b.WriteByte('\n')
		}
		for range h - (end - start) {
			b.WriteByte('\n')
		}
		b.WriteString(m.help("↑/↓", "select", "enter", "raw request", "q", "quit"))
	}
	v.SetContent(b.String())
	return v
}

func (m *Model) help(pairs ...string) string {
	var parts []string
	for i := 0; i+1 < len(pairs); i += 2 {
		parts = append(parts, m.st.HelpKey.Render(pairs[i])+" "+m.st.HelpDesc.Render(pairs[i+1]))
	}
	return strings.Join(parts, m.st.HelpSep.Render(" • "))
}

// row is one event: time, kind, from → to, body or status.
func (m *Model) row(i int) string {
	e := m.events[i]
	var what string
	kind := e.Kind
	switch e.Kind {
	case webhook.KindUnauthorized:
		kind = "REFUSED 401"
		what = fmt.Sprintf("%s %s from %s: wrong or missing credentials", e.Method, e.Path, e.RemoteAddr)
	case webhook.KindDelivery:
		what = e.Status
		if e.MessageID != "" {
			what += " " + e.MessageID
		}
	case webhook.KindInbound:
		what = oneLine(e.Body)
	default:
		what = oneLine(string(e.Raw))
	}
	if e.DecodeError != "" {
		what = "(malformed) " + what
	}
	route := ""
	if e.From != "" || e.To != "" {
		route = orDash(e.From) + " → " + orDash(e.To) + "  "
	}
	line := fmt.Sprintf("%s  %-11s  %s%s", e.Time.Format("15:04:05"), kind, route, what)
	line = ansi.Truncate(line, max(10, m.width-2), "…")
	if i == m.selected {
		return m.st.TableSelected.Render("▸ " + line)
	}
	switch {
	case e.Kind == webhook.KindUnauthorized:
		return "  " + m.st.Error.Render(line)
	case e.DecodeError != "" || e.Kind == webhook.KindUnknown:
		return "  " + m.st.Warning.Render(line)
	}
	return "  " + m.st.Text.Render(line)
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func oneLine(s string) string {
	if !utf8.ValidString(s) {
		return fmt.Sprintf("(%d bytes, not text)", len(s))
	}
	return strings.Join(strings.Fields(s), " ")
}

// detailLines is the raw request, built once when the detail view opens.
func detailLines(e webhook.Event) []string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%d  %s  %s\n", e.Seq, e.Time.Format("2006-01-02 15:04:05.000"), e.Kind)
	target := e.Path
	if e.Query != "" {
		target += "?" + e.Query
	}
	fmt.Fprintf(&b, "%s %s  from %s\n", e.Method, target, e.RemoteAddr)
	if e.Authorized {
		b.WriteString("Authentication: accepted\n")
	} else {
		b.WriteString("Authentication: REFUSED (answered 401)\n")
	}
	for _, kv := range [][2]string{{"MessageId", e.MessageID}, {"From", e.From}, {"To", e.To}, {"Owner", e.Owner},
		{"Status", e.Status}, {"Type", e.Type}, {"Timestamp", e.Timestamp}} {
		if kv[1] != "" {
			fmt.Fprintf(&b, "%s: %s\n", kv[0], kv[1])
		}
	}
	if e.Segments > 0 {
		fmt.Fprintf(&b, "Segments: %d\n", e.Segments)
	}
	if e.DecodeError != "" {
		fmt.Fprintf(&b, "Decode error: %s\n", e.DecodeError)
	}
	b.WriteString("\nHeaders:\n")
	keys := make([]string, 0, len(e.Header))
	for k := range e.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range e.Header[k] {
			fmt.Fprintf(&b, "  %s: %s\n", k, v)
		}
	}
	b.WriteString("\nBody:\n")
	var pretty bytes.Buffer
	switch {
	case !e.Authorized:
		b.WriteString("  (not kept: the credentials were refused)\n")
	case len(e.Raw) == 0:
		b.WriteString("  (empty)\n")
	case e.Truncated:
		fmt.Fprintf(&b, "  (the first %d of %d bytes)\n", len(e.Raw), e.Size)
		for _, l := range strings.Split(string(e.Raw), "\n") {
			b.WriteString("  " + strings.ReplaceAll(l, "\r", "") + "\n")
		}
	case json.Indent(&pretty, e.Raw, "  ", "  ") == nil:
		b.WriteString("  " + pretty.String() + "\n")
	case !utf8.Valid(e.Raw):
		fmt.Fprintf(&b, "  (%d bytes, not UTF-8) %q\n", len(e.Raw), e.Raw)
	default:
		for _, l := range strings.Split(string(e.Raw), "\n") {
			b.WriteString("  " + strings.ReplaceAll(l, "\r", "") + "\n")
		}
	}
	return strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
}
