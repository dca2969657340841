package wizard

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// The overlays over the current screen, in one stack: the HTTP inspector
// over an error panel over a question over the webhook checks over the
// busy spinner. Drawing, keys
// and the help line all ask top() for the one in charge, so the
// precedence is written once. A panel returns an action to the root; it
// never reaches into it.

type overlay interface {
	view(m *Model) string
	// handleKey reports the action chosen, if any, and whether the key was
	// the overlay's.
	handleKey(m *Model, msg tea.KeyPressMsg) (*action, bool)
	keys(m *Model) []key.Binding
	// helpMode tells the help line's cache which overlay drew it.
	helpMode() int
}

type overlays struct {
	inspecting bool
	failure    *failurePanel
	question   *questionPanel
	webhook    *webhookPanel
}

// top is the overlay in charge, or nil for the screen itself.
func (o *overlays) top(m *Model) overlay {
	switch {
	case o.inspecting:
		return inspectorOverlay{}
	case o.failure != nil:
		return o.failure
	case o.question != nil:
		return o.question
	case o.webhook != nil:
		return o.webhook
	case m.sh.busy != nil && !m.sh.quiet():
		return busyOverlay{}
	}
	return nil
}

func (o *overlays) fail(err *flow.StepError) { o.failure = newFailurePanel(err) }
func (o *overlays) ask(q *flow.Question)     { o.question = &questionPanel{q: q, cursor: q.Default} }
func (o *overlays) clearPanels()             { o.failure, o.question = nil, nil }
func (o *overlays) clear() {
	o.clearPanels()
	o.inspecting = false
	if o.webhook != nil {
		o.webhook.cancel()
		o.webhook = nil
	}
}

func (o *overlays) inspect(m *Model) {
	o.inspecting = true
	m.inspector.SetContent(m.inspectorContent())
	m.inspector.GotoTop()
}

// inspectorOverlay is the HTTP inspector (ctrl+o).
type inspectorOverlay struct{}

func (inspectorOverlay) view(m *Model) string { return m.inspector.View() }
func (inspectorOverlay) helpMode() int        { return 1 }
func (inspectorOverlay) handleKey(m *Model, msg tea.KeyPressMsg) (*action, bool) {
	switch {
	case msg.String() == "esc", key.Matches(msg, m.sh.keys.Inspector):
		m.overlays.inspecting = false
	default:
		m.inspector, _ = m.inspector.Update(msg)
	}
	return nil, true
}
func (inspectorOverlay) keys(m *Model) []key.Binding {
	k := m.sh.keys
	return []key.Binding{k.Up, key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc/ctrl+o", "close inspector")), k.Quit}
}

// busyOverlay is the spinner while a call runs; keys wait (ctrl+c is the
// root's).
type busyOverlay struct{}

func (busyOverlay) view(m *Model) string {
	sh := m.sh
	if w := sh.waiting; w != nil {
		// Say why nothing moves, and for how long: the spinner line counts
		// the wait down, the call's own label below it.
		return sh.spinner.View() + " " + sh.wrap(sh.styles.Warning, w.Describe(sh.waitLeft), sh.width-2) + "\n" +
			sh.styles.Muted.Render("  "+sh.busy.Label)
	}
	return sh.spinner.View() + " " + sh.styles.Text.Render(sh.busy.Label)
}

func (busyOverlay) helpMode() int                                     { return 4 }
func (busyOverlay) handleKey(*Model, tea.KeyPressMsg) (*action, bool) { return nil, true }
func (busyOverlay) keys(*Model) []key.Binding {
	return []key.Binding{key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "cancel and quit"))}
}

// questionPanel asks one of the engine's questions; the safe answer is
// preselected.
type questionPanel struct {
	q      *flow.Question
	cursor int
}

func (p *questionPanel) helpMode() int { return 3 }

func (p *questionPanel) handleKey(m *Model, msg tea.KeyPressMsg) (*action, bool) {
	q := p.q
	pick := -1
	switch k := msg.String(); k {
	case "left", "shift+tab":
		p.cursor = (p.cursor + len(q.Choices) - 1) % len(q.Choices)
	case "right", "tab":
		p.cursor = (p.cursor + 1) % len(q.Choices)
	case "enter":
		pick = p.cursor
	case "esc":
		pick = len(q.Choices) - 1 // the last answer is the way out
	default:
		for i, c := range q.Choices {
			if c.Key == k {
				pick = i
			}
		}
	}
	if pick < 0 {
		return nil, true
	}
	return &action{kind: actAnswer, question: q, value: q.Choices[pick].Value}, true
}

func (p *questionPanel) keys(m *Model) []key.Binding {
	return []key.Binding{m.sh.keys.Left, key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose")), m.sh.keys.Quit}
}

func (p *questionPanel) view(m *Model) string {
	st, sh := m.sh.styles, m.sh
	box, inner := panelBox(st.Box, sh.width, sh.mask(p.q.Title+" "+p.q.Text))
	var b strings.Builder
	b.WriteString(sh.wrap(st.Warning.Bold(true), p.q.Title, inner) + "\n\n")
	b.WriteString(sh.wrap(st.Text, p.q.Text, inner) + "\n\n")
	buttons := make([]string, len(p.q.Choices))
	for i, c := range p.q.Choices {
		label := sh.mask(c.Label) // "Keep MRID-…" names an ID
		if c.Key != "" {
			label += " (" + c.Key + ")"
		}
		buttons[i] = choiceButton(st, label, i == p.cursor)
	}
	b.WriteString(buttonRow(buttons, inner))
	return box.Render(b.String())
}

// panelBox sizes a panel to the content area and returns its inside
// width. When the longest token of its text (an AccountId is 40
// characters) would not fit inside the padding, the padding gives way
// (at 70×20), so the token is shown whole rather than cut.
func panelBox(style lipgloss.Style, width int, text string) (lipgloss.Style, int) {
	box := style.Width(max(width, 20))
	inner := box.GetWidth() - box.GetHorizontalFrameSize()
	longest := 0
	for _, tok := range strings.Fields(text) {
		longest = max(longest, lipgloss.Width(tok))
	}
	if longest > inner && longest <= inner+box.GetHorizontalPadding() {
		box = box.PaddingLeft(0).PaddingRight(0)
		inner = box.GetWidth() - box.GetHorizontalFrameSize()
	}
	return box, inner
}

// buttonRow puts a panel's choices on one line, or one a line when they do
// not fit: lipgloss would otherwise break a label (and the ID in it).
func buttonRow(buttons []string, width int) string {
	if row := strings.Join(buttons, " "); lipgloss.Width(row) <= width {
		return row
	}
	return strings.Join(buttons, "\n")
}

// failurePanel is the error panel: the API's message, the remedy a
// customer needs, and what to do next.
type failurePanel struct {
	err     *flow.StepError
	choices []actionKind
	cursor  int
}

var choiceLabels = map[actionKind]string{actRetry: "Retry", actEdit: "Edit", actBack: "Back", actSearch: "Search again", actQuit: "Quit"}

func newFailurePanel(err *flow.StepError) *failurePanel {
	p := &failurePanel{err: err}
	if err.SearchAgain {
		p.choices = append(p.choices, actSearch) // first, and preselected
	}
	if err.CanRetry() {
		p.choices = append(p.choices, actRetry)
	}
	p.choices = append(p.choices, actEdit)
	if err.Step > flow.Credentials {
		p.choices = append(p.choices, actBack)
	}
	p.choices = append(p.choices, actQuit)
	// Retrying what the server refused repeats the refusal: start on Edit.
	var ae *api.Error
	if !err.SearchAgain && errors.As(err.Err, &ae) && ae.Status >= 400 && ae.Status < 500 && ae.Kind != api.KindRateLimit {
		p.cursor = p.index(actEdit)
	}
	return p
}

func (p *failurePanel) index(c actionKind) int {
	for i, x := range p.choices {
		if x == c {
			return i
		}
	}
	return -1
}

func (p *failurePanel) helpMode() int { return 2 }

func (p *failurePanel) handleKey(m *Model, msg tea.KeyPressMsg) (*action, bool) {
	k := m.sh.keys
	pick := actionKind(-1)
	switch {
	case key.Matches(msg, k.Inspector):
		m.overlays.inspect(m)
		return nil, true
	case key.Matches(msg, k.Left):
		p.cursor = (p.cursor + len(p.choices) - 1) % len(p.choices)
	case key.Matches(msg, k.Right):
		p.cursor = (p.cursor + 1) % len(p.choices)
	case msg.String() == "enter":
		pick = p.choices[p.cursor]
	case key.Matches(msg, k.Retry):
		pick = actRetry
	case msg.String() == "s":
		pick = actSearch
	case key.Matches(msg, k.Edit), msg.String() == "esc":
		pick = actEdit
	case key.Matches(msg, k.Leave):
		pick = actBack
	case key.Matches(msg, k.Exit):
		pick = actQuit
	}
	if pick < 0 || p.index(pick) < 0 {
		return nil, true
	}
	return &action{kind: pick, err: p.err}, true
}

func (p *failurePanel) keys(m *Model) []key.Binding {
	k := m.sh.keys
	out := []key.Binding{k.Left}
	for _, c := range p.choices {
		switch c {
		case actSearch:
			out = append(out, key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "search again")))
		case actRetry:
			out = append(out, k.Retry)
		case actEdit:
			out = append(out, k.Edit)
		case actBack:
			out = append(out, k.Leave)
		case actQuit:
			out = append(out, k.Exit)
		}
	}
	return append(out, k.Inspector, k.Quit)
}

func (p *failurePanel) view(m *Model) string {
	st := m.sh.styles
	title, message, remedy := "Something went wrong", p.err.Err.Error(), p.err.Remedy()
	var ae *api.Error
	if errors.As(p.err.Err, &ae) {
		title = "Telegent refused this step"
		switch {
		case ae.Kind == api.KindOutcomeUnknown:
			title = "The outcome is unknown"
		case ae.Status == 0:
			title = "Could not reach Telegent"
		case ae.Status >= 500 || ae.Kind == api.KindRateLimit:
			title = "Telegent could not answer"
		}
		message = ae.Message
	}
	if p.err.Reason == flow.ReasonUnknown {
		title = "The outcome is unknown"
	}
	sh := m.sh
	box, inner := panelBox(st.ErrorPanel, sh.width, sh.mask(message+" "+remedy))
	var b strings.Builder
	b.WriteString(sh.wrap(st.Error.Bold(true), "✗ "+title, inner) + "\n")
	if ae != nil && ae.Status != 0 {
		b.WriteString(sh.wrap(st.Muted, fmt.Sprintf("%s · HTTP %d %s", ae.Operation, ae.Status, http.StatusText(ae.Status)), inner) + "\n")
	}
	b.WriteString("\n")
	b.WriteString(sh.wrap(st.Text, message, inner) + "\n")
	if remedy != "" {
		b.WriteString("\n" + st.Title.Render("What to do") + "\n" + sh.wrap(st.Text, remedy, inner) + "\n")
	}
	b.WriteString("\n")
	buttons := make([]string, len(p.choices))
	for i, c := range p.choices {
		buttons[i] = choiceButton(st, choiceLabels[c], i == p.cursor)
	}
	b.WriteString(buttonRow(buttons, inner))
	return box.Render(b.String())
}
