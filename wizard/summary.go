package wizard

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

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
		b.WriteString(st.Key.Render(fmt.Sprintf("%-10s", id.Short)) + st.Value.Render(id.Shown(sess)) + "\n")
	}
	b.WriteString("\n" + st.Title.Render("What's next") + "\n")
	b.WriteString(st.Text.Render("• Point MessageUrl at your own service.") + "\n")
	b.WriteString(st.Text.Render("• Keep these IDs: support asks for them.") + "\n")
	if s.status != "" {
		b.WriteString(s.sh.para(st.Success, s.status) + "\n")
	} else {
		b.WriteString(st.Muted.Render("enter or q: finish (the IDs are printed on exit)"))
	}
	return b.String()
}

func (s *summaryScreen) Resize(int, int) {}
func (s *summaryScreen) AtStart() bool   { return true }
func (s *summaryScreen) Typing() bool    { return false }
func (s *summaryScreen) Keys() []key.Binding {
	return []key.Binding{key.NewBinding(key.WithKeys("enter", "q"), key.WithHelp("enter", "finish")),
		key.NewBinding(key.WithKeys("c", "j", "v", "m"), key.WithHelp("c/j/v/m", "export"))}
}
