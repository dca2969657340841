package wizard

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// question is a panel of choices over the screen, for the decisions that
// cost something: buying a number, creating a second resource when one
// exists, resuming a session. The safe answer is preselected.
type question struct {
	title, text string
	answers     []answer
	cursor      int
}

type answer struct {
	label string
	key   string // a shortcut, e.g. "y"
	cmd   tea.Cmd
}

// yesNo is the common two-answer question, "no" preselected.
func yesNo(title, text, yes, no string, onYes, onNo tea.Cmd) *question {
	return &question{title: title, text: text, cursor: 1,
		answers: []answer{{label: yes, key: "y", cmd: onYes}, {label: no, key: "n", cmd: onNo}}}
}

// ask opens a question.
func (sh *shared) ask(q *question) tea.Cmd {
	sh.question = q
	return nil
}

func (q *question) handleKey(sh *shared, msg tea.KeyPressMsg) tea.Cmd {
	pick := -1
	switch k := msg.String(); k {
	case "left", "shift+tab":
		q.cursor = (q.cursor + len(q.answers) - 1) % len(q.answers)
	case "right", "tab":
		q.cursor = (q.cursor + 1) % len(q.answers)
	case "enter":
		pick = q.cursor
	case "esc":
		pick = len(q.answers) - 1 // the last answer is the way out
	default:
		for i, a := range q.answers {
			if a.key == k {
				pick = i
			}
		}
	}
	if pick < 0 {
		return nil
	}
	sh.question = nil
	return q.answers[pick].cmd
}

func (q *question) view(sh *shared) string {
	st := sh.styles
	var b strings.Builder
	b.WriteString(st.Warning.Bold(true).Render(q.title) + "\n\n")
	b.WriteString(st.Text.Render(q.text) + "\n\n")
	for i, a := range q.answers {
		label := a.label
		if a.key != "" {
			label += " (" + a.key + ")"
		}
		if i == q.cursor {
			b.WriteString(st.Chosen.Render(label))
		} else {
			b.WriteString(st.Choice.Render(label))
		}
		b.WriteString(" ")
	}
	return st.Box.Width(max(sh.width-2, 20)).Render(b.String())
}

// createOrKeep runs req, unless the step already created a resource: then
// the user chooses between a second one and keeping the first.
func (sh *shared) createOrKeep(done bool, what, id string, req *request) tea.Cmd {
	if !done {
		return sh.run(req)
	}
	return sh.ask(yesNo("A "+what+" already exists",
		"This session already created "+id+". Create another "+what+
			" with the changed settings? The existing one stays on the account.",
		"Create another", "Keep "+id, func() tea.Msg { return runMsg{req} }, advance))
}

// runMsg starts a request from a command (an answered question).
type runMsg struct{ req *request }

// editMsg reopens the current step's form (a question answered "no").
type editMsg struct{}

func edit() tea.Msg { return editMsg{} }
