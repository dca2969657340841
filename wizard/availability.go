package wizard

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"

	"github.com/telegent/telegent-onboard/wizard/flow"
)

// availabilityScreen searches for numbers, then lists the areas that have
// them in a table. Picking a row carries its area code and zip into
// provisioning.
type availabilityScreen struct {
	stepForm
	showTable  bool
	table      table.Model
	allRows    []table.Row
	page, size int // the table shows one page of rows at a time
}

func newAvailabilityScreen(sh *shared) *availabilityScreen {
	return &availabilityScreen{stepForm: stepForm{formScreen: formScreen{sh: sh, step: flow.Availability}}}
}

func (s *availabilityScreen) Enter() tea.Cmd {
	sess := s.sh.session
	// Coming back to a search that has results shows them again.
	if sess.Inputs.Availability != nil && len(sess.Areas) > 0 {
		s.showResults()
		return nil
	}
	return s.searchForm()
}

// searchForm is the search, with the last search's values; searching
// again starts at AreaCode, the value most likely to change.
func (s *availabilityScreen) searchForm() tea.Cmd {
	s.showTable = false
	cmd := s.enter(nil)
	if s.sh.session.Inputs.Availability != nil {
		return tea.Batch(cmd, s.focus("AreaCode"))
	}
	return cmd
}

// showResults fills the table from the session's last search.
func (s *availabilityScreen) showResults() {
	s.showTable = true
	st := s.sh.styles
	areas := s.sh.session.Areas
	rows := make([]table.Row, len(areas))
	for i, a := range areas {
		rows[i] = table.Row{a.NGP, strconv.Itoa(int(a.AreaCode)), string(a.Zipcode)}
	}
	s.table = table.New(
		table.WithColumns([]table.Column{{Title: "NGP", Width: 8}, {Title: "Area code", Width: 10}, {Title: "Zip", Width: 8}}),
		table.WithFocused(true),
		table.WithWidth(36),
		table.WithStyles(table.Styles{Header: st.TableHeader, Cell: st.TableCell, Selected: st.TableSelected}),
	)
	s.allRows = rows
	s.page = 0
	s.layoutTable()
}

func (s *availabilityScreen) layoutTable() {
	s.size = max(s.sh.height-7, 3)
	s.table.SetHeight(s.size + 1)
	start := min(s.page*s.size, len(s.allRows))
	end := min(start+s.size, len(s.allRows))
	s.table.SetRows(s.allRows[start:end])
	s.table.SetCursor(0)
}

func (s *availabilityScreen) pages() int { return max((len(s.allRows)+s.size-1)/s.size, 1) }

func (s *availabilityScreen) Update(msg tea.Msg) tea.Cmd {
	if !s.showTable {
		return s.stepForm.Update(msg)
	}
	k := s.sh.keys
	if msg, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(msg, k.Search):
			return s.searchForm()
		case key.Matches(msg, k.PageDown) && s.page+1 < s.pages():
			s.page++
			s.layoutTable()
			return nil
		case key.Matches(msg, k.PageUp) && s.page > 0:
			s.page--
			s.layoutTable()
			return nil
		case msg.String() == "enter":
			if len(s.allRows) == 0 {
				return s.searchForm()
			}
			i := s.page*s.size + s.table.Cursor()
			return s.sh.act(s.sh.eng.PickArea(s.sh.session.Areas[i]))
		}
	}
	var cmd tea.Cmd
	s.table, cmd = s.table.Update(msg)
	return cmd
}

// inArea reports whether any area found has the area code searched: the
// sandbox, like the API, answers a search for an area code with none by
// searching the zip code, and says so only through the areas it lists.
func (s *availabilityScreen) inArea(code string) bool {
	for _, a := range s.sh.session.Areas {
		if strconv.Itoa(int(a.AreaCode)) == code {
			return true
		}
	}
	return false
}

// where is the last search's area in words.
func (s *availabilityScreen) where() string {
	q := s.sh.session.Inputs.Availability
	if q == nil {
		return "any area"
	}
	switch {
	case q.AreaCode != "" && q.ZipCode != "":
		return "area code " + q.AreaCode + " (then zip " + q.ZipCode + ")"
	case q.AreaCode != "":
		return "area code " + q.AreaCode
	case q.ZipCode != "":
		return "zip " + q.ZipCode
	}
	return "any area"
}

func (s *availabilityScreen) View() string {
	if !s.showTable {
		return s.view()
	}
	sh := s.sh
	st := sh.styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Step 4 · Availability") + "\n")
	if len(s.allRows) == 0 {
		b.WriteString("\n" + sh.para(st.Warning, "No numbers are available in "+s.where()+".") + "\n")
		b.WriteString(sh.para(st.Text, "Try another area code or zip code, or leave both blank for any area.") + "\n\n")
		b.WriteString(sh.para(st.Muted, "Press s or enter to search again."))
		return b.String()
	}
	total := sh.session.IDs.ResultsTotal
	if q := sh.session.Inputs.Availability; q != nil && q.AreaCode != "" && q.ZipCode != "" && !s.inArea(q.AreaCode) {
		// The search fell back to the zip code: the area code had none.
		b.WriteString(sh.para(st.Warning, fmt.Sprintf("No numbers in area code %s; %d in zip %s", q.AreaCode, total, q.ZipCode)) + "\n")
		b.WriteString(sh.para(st.Text, "ResultsTotal: "+strconv.Itoa(total)) + "\n")
	} else {
		b.WriteString(sh.para(st.Text, fmt.Sprintf("ResultsTotal: %s available in %s", count(total, "number"), s.where())) + "\n")
	}
	b.WriteString(sh.para(st.Muted, "Pick the area the number should come from.") + "\n\n")
	b.WriteString(s.table.View() + "\n")
	b.WriteString(st.Muted.Render(fmt.Sprintf("Page %d of %d · %s", s.page+1, s.pages(), count(len(s.allRows), "area"))))
	return b.String()
}

func (s *availabilityScreen) formOf() *formScreen {
	if s.showTable {
		return nil
	}
	return &s.formScreen
}

func (s *availabilityScreen) Resize(w, h int) {
	s.resize(w, h)
	if s.showTable {
		s.layoutTable()
	}
}

func (s *availabilityScreen) AtStart() bool { return s.showTable || s.atStart() }
func (s *availabilityScreen) Typing() bool  { return !s.showTable && s.typing() }

func (s *availabilityScreen) Keys() []key.Binding {
	k := s.sh.keys
	if s.showTable {
		return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "pick")), k.Up, k.PageUp, k.Search}
	}
	return []key.Binding{k.Next}
}
