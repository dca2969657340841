package wizard

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// availabilityScreen searches for numbers, then lists the areas that have
// them in a table. Picking a row carries its area code and zip into
// provisioning.
type availabilityScreen struct {
	formScreen
	d          api.AvailabilityRequest
	showTable  bool
	table      table.Model
	allRows    []table.Row
	page, size int // the table shows one page of rows at a time
}

func newAvailabilityScreen(sh *shared) *availabilityScreen {
	return &availabilityScreen{formScreen: formScreen{sh: sh}, d: sh.defaults.Availability}
}

func (s *availabilityScreen) Enter() tea.Cmd {
	sess := s.sh.session
	if prev := sess.Inputs.Availability; prev != nil {
		s.d = *prev
	}
	// Coming back to a search that has results shows them again.
	if sess.Inputs.Availability != nil && len(sess.Areas) > 0 {
		s.showResults()
		return nil
	}
	return s.searchForm()
}

func (s *availabilityScreen) searchForm() tea.Cmd {
	s.showTable = false
	d := &s.d
	return s.build(
		huh.NewGroup(
			huh.NewSelect[string]().Title("NumberType").
				Options(huh.NewOption("mobile", "mobile"), huh.NewOption("voip (quickstart only)", "voip")).Value(&d.NumberType),
			huh.NewSelect[string]().Title("MessageType").
				Options(huh.NewOption("p2p: person to person", "p2p"), huh.NewOption("a2p: application to person", "a2p")).Value(&d.MessageType),
			huh.NewConfirm().Title("MessageEnabled").Description("SMS/MMS capable").Value(&d.MessageEnabled),
			huh.NewConfirm().Title("VoiceEnabled").Description("Voice capable").Value(&d.VoiceEnabled),
		).Title("Step 4 · Availability").Description(flow.Availability.Endpoint()),
		huh.NewGroup(
			huh.NewInput().Title("AreaCode").Description("3 digits, searched first. Blank for any.").
				Value(&d.AreaCode).Validate(optional("AreaCode", isArea)),
			huh.NewInput().Title("ZipCode").Description("5-digit US zip, used when the area code has none. Blank for any.").
				Value(&d.ZipCode).Validate(optional("ZipCode", isZip)),
		).Title("Where").Description("Both blank: a random selection of areas."),
	)
}

func (s *availabilityScreen) search() tea.Cmd {
	sh := s.sh
	req := s.d
	req.AreaCode, req.ZipCode = strings.TrimSpace(req.AreaCode), strings.TrimSpace(req.ZipCode)
	if req.PageNumber == 0 {
		req.PageNumber = 1
	}
	return sh.run(&request{
		step:  flow.Availability,
		label: "Searching for available numbers…",
		do: func(ctx context.Context) (any, error) {
			return sh.client.SearchAvailability(ctx, req)
		},
		done: func(v any, err error) tea.Cmd {
			resp, _ := v.(*api.AvailabilityResponse)
			sh.session.RecordAvailability(req, resp, err, sh.now())
			if err == nil {
				s.showResults()
			}
			return nil
		},
	})
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
	if _, ok := msg.(formDoneMsg); ok {
		return s.search()
	}
	if !s.showTable {
		return s.update(msg)
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
			s.sh.session.PickArea(s.sh.session.Areas[i], s.sh.now())
			return s.sh.save(true)
		}
	}
	var cmd tea.Cmd
	s.table, cmd = s.table.Update(msg)
	return cmd
}

func (s *availabilityScreen) View() string {
	if !s.showTable {
		return s.view()
	}
	st := s.sh.styles
	sess := s.sh.session
	var b strings.Builder
	b.WriteString(st.Title.Render("Step 4 · Availability") + "\n")
	where := "any area"
	if q := sess.Inputs.Availability; q != nil {
		switch {
		case q.AreaCode != "" && q.ZipCode != "":
			where = "area code " + q.AreaCode + " (then zip " + q.ZipCode + ")"
		case q.AreaCode != "":
			where = "area code " + q.AreaCode
		case q.ZipCode != "":
			where = "zip " + q.ZipCode
		}
	}
	if len(s.allRows) == 0 {
		sh := s.sh
		b.WriteString("\n" + sh.para(st.Warning, "No numbers are available in "+where+".") + "\n")
		b.WriteString(sh.para(st.Text, "Try another area code or zip code, or leave both blank for any area.") + "\n\n")
		b.WriteString(sh.para(st.Muted, "Press s or enter to search again."))
		return b.String()
	}
	b.WriteString(s.sh.para(st.Text, fmt.Sprintf("ResultsTotal: %s numbers available in %s", st.Value.Render(strconv.Itoa(sess.IDs.ResultsTotal)), where)) + "\n")
	b.WriteString(s.sh.para(st.Muted, "Pick the area the number should come from.") + "\n\n")
	b.WriteString(s.table.View() + "\n")
	b.WriteString(st.Muted.Render(fmt.Sprintf("Page %d of %d · %d areas", s.page+1, s.pages(), len(s.allRows))))
	return b.String()
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
