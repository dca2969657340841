package wizard

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/telegent/telegent-onboard/wizard/flow"
)

// summaryScreen shows the quickstart's checkmarks, every ID by name, and
// what to do next; it also saves the hand-off exports.
type summaryScreen struct {
	sh     *shared
	status string // the last export's outcome
}

// exportKeys are the summary's export shortcuts, as `export --format` names.
var exportKeys = []struct{ key, format, ext string }{
	{"c", "curl", ".sh"}, {"j", "json", ".json"}, {"v", "env", ".env"}, {"m", "markdown", ".md"},
}

type exportedMsg struct {
	path string
	err  error
}

// export writes the session in a format beside the session file (or in the
// current directory), in a command: files are I/O.
func (s *summaryScreen) export(format, ext string) tea.Cmd {
	data, err := flow.Export(s.sh.session.WithoutSecrets(), format)
	dir := "."
	if s.sh.statePath != "" {
		dir = filepath.Dir(s.sh.statePath)
	}
	name := "telegent-onboard-" + strings.TrimPrefix(s.sh.session.AccountID, "AID-")
	path := filepath.Join(dir, unsafeName.ReplaceAllString(name, "-")+ext)
	mode := os.FileMode(0o600)
	if format == "curl" {
		mode = 0o700
	}
	return func() tea.Msg {
		if err == nil {
			err = os.WriteFile(path, data, mode)
		}
		return exportedMsg{path: path, err: err}
	}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func newSummaryScreen(sh *shared) *summaryScreen { return &summaryScreen{sh: sh} }

func (s *summaryScreen) Enter() tea.Cmd {
	s.status = ""
	return nil
}

func (s *summaryScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case exportedMsg:
		if msg.err != nil {
			s.status = "Export failed: " + msg.err.Error()
		} else {
			s.status = "Saved " + msg.path
		}
	case tea.KeyPressMsg:
		k := msg.String()
		if k == "enter" || k == "q" {
			return tea.Quit
		}
		for _, e := range exportKeys {
			if k == e.key {
				return s.export(e.format, e.ext)
			}
		}
	}
	return nil
}

func (s *summaryScreen) View() string {
	st := s.sh.styles
	sess := s.sh.session
	var b strings.Builder
	b.WriteString(s.sh.para(st.Title, "🎉 Your first Telegent line is set up") + "\n\n")
	for _, c := range flow.Checks(sess) {
		if c.OK {
			b.WriteString(st.Success.Render("✅ "+c.Label) + "\n")
		} else {
			b.WriteString(st.Muted.Render("○  "+c.Label) + "\n")
		}
	}
	b.WriteString("\n")
	for _, id := range flow.SummaryIDs(sess) {
		b.WriteString(keyValue(st.Key, st.Value, id.Short, id.Shown(sess), summaryKeyWidth, s.sh.width) + "\n")
	}
	next := "\n" + st.Title.Render("What's next") + "\n" +
		st.Text.Render("• Point MessageUrl at your own service.") + "\n" +
		st.Text.Render("• Keep these IDs: support asks for them.") + "\n"
	last := st.Muted.Render("enter or q: finish (the IDs are printed on exit)")
	if s.status != "" {
		last = s.sh.para(st.Success, s.status)
	}
	// The advice gives way first when the window is short: the IDs and
	// the way out stay.
	switch used := strings.Count(b.String(), "\n") + lipgloss.Height(last); {
	case used+strings.Count(next, "\n") <= s.sh.height:
		b.WriteString(next)
	case used+1 <= s.sh.height:
		b.WriteString("\n")
	}
	b.WriteString(last)
	return b.String()
}

// summaryKeyWidth is the column of the IDs' names ("MessageId ").
const summaryKeyWidth = 10

// summaryWidth is the width the summary needs to show every ID whole on
// the line of its name.
func summaryWidth(sess *flow.Session) int {
	w := 0
	for _, id := range flow.SummaryIDs(sess) {
		w = max(w, summaryKeyWidth+len(id.Shown(sess)))
	}
	return w
}

func (s *summaryScreen) Resize(int, int) {}
func (s *summaryScreen) AtStart() bool   { return true }
func (s *summaryScreen) Typing() bool    { return false }
func (s *summaryScreen) Keys() []key.Binding {
	return []key.Binding{key.NewBinding(key.WithKeys("enter", "q"), key.WithHelp("enter", "finish")),
		key.NewBinding(key.WithKeys("c", "j", "v", "m"), key.WithHelp("c/j/v/m", "export"))}
}
