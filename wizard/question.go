package wizard

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// question is a yes/no panel over the screen, for the choices that cost
// something: buying a number, or creating a second resource when one exists.
type question struct {
	title, text string
	yes, no     string
	onYes       tea.Cmd
	onNo        tea.Cmd
	yesChosen   bool
}

// ask opens a question; the safe answer (no) is preselected.
func (sh *shared) ask(q *question) tea.Cmd {
	sh.question = q
	return nil
}

func (q *question) handleKey(sh *shared, msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "left", "right", "h", "l", "tab", "shift+tab":
		q.yesChosen = !q.yesChosen
		return nil
	case "y":
		q.yesChosen = true
	case "n", "esc":
		q.yesChosen = false
	case "enter":
	default:
		return nil
	}
	sh.question = nil
	if q.yesChosen {
		return q.onYes
	}
	return q.onNo
}

func (q *question) view(sh *shared) string {
	st := sh.styles
	var b strings.Builder
	b.WriteString(st.Warning.Bold(true).Render(q.title) + "\n\n")
	b.WriteString(st.Text.Render(q.text) + "\n\n")
	yes, no := st.Choice.Render(q.yes), st.Chosen.Render(q.no)
	if q.yesChosen {
		yes, no = st.Chosen.Render(q.yes), st.Choice.Render(q.no)
	}
	b.WriteString(yes + " " + no)
	return st.Box.Width(max(sh.width-2, 20)).Render(b.String())
}

// createOrKeep runs req, unless the step already created a resource: then
// the user chooses between a second one and keeping the first.
func (sh *shared) createOrKeep(done bool, what, id string, req *request) tea.Cmd {
	if !done {
		return sh.run(req)
	}
	return sh.ask(&question{
		title: "A " + what + " already exists",
		text: "This session already created " + id + ". Create another " + what +
			" with the changed settings? The existing one stays on the account.",
		yes: "Create another", no: "Keep " + id,
		onYes: func() tea.Msg { return runMsg{req} }, onNo: advance,
	})
}

// runMsg starts a request from a command (an answered question).
type runMsg struct{ req *request }

// editMsg reopens the current step's form (a question answered "no").
type editMsg struct{}

func edit() tea.Msg { return editMsg{} }
