package wizard

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// failure is the error panel: the API's message, the remedy a customer
// needs, and what to do next.
type failure struct {
	step    flow.Step
	req     *request // nil when there is nothing to retry
	err     error
	choices []choice
	cursor  int
}

type choice int

const (
	choiceLookup choice = iota
	choiceRetry
	choiceEdit
	choiceBack
	choiceQuit
)

var choiceLabels = map[choice]string{choiceLookup: "Look it up", choiceRetry: "Retry", choiceEdit: "Edit", choiceBack: "Back", choiceQuit: "Quit"}

func newFailure(step flow.Step, req *request, err error) *failure {
	f := &failure{step: step, req: req, err: err}
	unknown := errors.Is(err, api.ErrOutcomeUnknown)
	if unknown {
		f.choices = append(f.choices, choiceLookup) // first, and preselected
	}
	if req != nil {
		f.choices = append(f.choices, choiceRetry)
	}
	f.choices = append(f.choices, choiceEdit)
	if step > flow.Credentials {
		f.choices = append(f.choices, choiceBack)
	}
	f.choices = append(f.choices, choiceQuit)
	// Retrying what the server refused repeats the refusal: start on Edit.
	var ae *api.Error
	if errors.As(err, &ae) && ae.Status >= 400 && ae.Status < 500 && ae.Kind != api.KindRateLimit {
		f.cursor = f.index(choiceEdit)
	}
	return f
}

func (f *failure) index(c choice) int {
	for i, x := range f.choices {
		if x == c {
			return i
		}
	}
	return 0
}

func (f *failure) has(c choice) bool { return f.choices[f.index(c)] == c }

func (f *failure) handleKey(m *Model, msg tea.KeyPressMsg) tea.Cmd {
	k := m.sh.keys
	pick := choice(-1)
	switch {
	case key.Matches(msg, k.Left):
		f.cursor = (f.cursor + len(f.choices) - 1) % len(f.choices)
	case key.Matches(msg, k.Right):
		f.cursor = (f.cursor + 1) % len(f.choices)
	case msg.String() == "enter":
		pick = f.choices[f.cursor]
	case key.Matches(msg, k.Retry):
		pick = choiceRetry
	case msg.String() == "l":
		pick = choiceLookup
	case key.Matches(msg, k.Edit), msg.String() == "esc":
		pick = choiceEdit
	case key.Matches(msg, k.Leave):
		pick = choiceBack
	case key.Matches(msg, k.Exit):
		pick = choiceQuit
	}
	if pick < 0 || !f.has(pick) {
		return nil
	}
	m.failure = nil
	switch pick {
	case choiceLookup:
		return m.lookup(f.step)
	case choiceRetry:
		return m.sh.run(f.req)
	case choiceEdit:
		return m.screens[m.current].Enter()
	case choiceBack:
		return m.goBack()
	default:
		m.sh.abort()
		m.quitting = true
		return tea.Quit
	}
}

func (f *failure) keys(k keyMap) []key.Binding {
	out := []key.Binding{k.Left}
	for _, c := range f.choices {
		switch c {
		case choiceLookup:
			out = append(out, key.NewBinding(key.WithKeys("l"), key.WithHelp("l", "look it up")))
		case choiceRetry:
			out = append(out, k.Retry)
		case choiceEdit:
			out = append(out, k.Edit)
		case choiceBack:
			out = append(out, k.Leave)
		case choiceQuit:
			out = append(out, k.Exit)
		}
	}
	return out
}

func (f *failure) view(sh *shared) string {
	st := sh.styles
	title, message, remedy := "Something went wrong", f.err.Error(), ""
	var ae *api.Error
	if errors.As(f.err, &ae) {
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
		remedy = ae.Remedy
	}
	var b strings.Builder
	b.WriteString(st.Error.Bold(true).Render("✗ "+title) + "\n")
	if ae != nil && ae.Status != 0 {
		b.WriteString(st.Muted.Render(fmt.Sprintf("%s · HTTP %d %s", ae.Operation, ae.Status, http.StatusText(ae.Status))) + "\n")
	}
	b.WriteString("\n")
	b.WriteString(st.Text.Render(message) + "\n")
	if remedy != "" {
		b.WriteString("\n" + st.Title.Render("What to do") + "\n" + st.Text.Render(remedy) + "\n")
	}
	b.WriteString("\n")
	for i, c := range f.choices {
		label := choiceLabels[c]
		if c == choiceRetry && ae != nil && ae.Kind == api.KindOutcomeUnknown {
			label = "Retry anyway"
		}
		if i == f.cursor {
			b.WriteString(st.Chosen.Render(label))
		} else {
			b.WriteString(st.Choice.Render(label))
		}
		b.WriteString(" ")
	}
	width := max(sh.width-2, 20)
	return st.ErrorPanel.Width(width).Render(b.String())
}
