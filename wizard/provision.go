package wizard

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// provisionScreen buys the number with everything carried forward, shows
// its order followed until it completes, and the number, its IDs and, for
// an eSIM, the QR code of its activation string.
type provisionScreen struct {
	stepForm
	qr     string // rendered once when the result arrives, not per frame
	qrFor  string
	notYet bool // enter was pressed while the order is pending
}

func newProvisionScreen(sh *shared) *provisionScreen {
	return &provisionScreen{stepForm: stepForm{formScreen: formScreen{sh: sh, step: flow.Provision}}}
}

// showResult: the number is bought (its IDs are in the session).
func (s *provisionScreen) showResult() bool {
	sess := s.sh.session
	return sess.IDs.OrderID != "" && (sess.Status(flow.Provision) == flow.Done || sess.Status(flow.Provision) == flow.Failed)
}

func (s *provisionScreen) Enter() tea.Cmd {
	s.notYet = false
	if s.showResult() {
		s.renderQR()
		return nil
	}
	return s.enter(nil)
}

func (s *provisionScreen) Update(msg tea.Msg) tea.Cmd {
	if _, ok := msg.(finishedMsg); ok {
		s.notYet = false
		s.renderQR()
		return nil
	}
	if !s.showResult() {
		return s.stepForm.Update(msg)
	}
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "enter" {
		if s.sh.session.OrderPhase() != api.OrderSucceeded {
			s.notYet = true // the test SMS can only go from a number that is active
			return nil
		}
		return s.sh.leave()
	}
	return nil
}

func (s *provisionScreen) formOf() *formScreen {
	if s.showResult() {
		return nil
	}
	return &s.formScreen
}

func (s *provisionScreen) renderQR() {
	code := api.ActivationCode(s.sh.session.IDs.QRCode)
	if code == s.qrFor && s.qr != "" {
		return
	}
	s.qr, s.qrFor = "", code
	if code == "" {
		return
	}
	if qr, err := renderQR(code, s.sh.styles.IsDark); err == nil {
		s.qr = qr
	}
}

func (s *provisionScreen) View() string {
	if !s.showResult() {
		return s.view()
	}
	st := s.sh.styles
	ids := s.sh.session.IDs
	status := st.Success.Render("✓ " + ids.OrderStatus)
	switch s.sh.session.OrderPhase() {
	case api.OrderFailed:
		status = st.Error.Render("✗ " + ids.OrderStatus)
	case api.OrderInProgress:
		status = s.sh.spinner.View() + " " + st.Warning.Render(ids.OrderStatus)
		if s.notYet {
			status += "\n" + st.Warning.Render("The test SMS can be sent once the order completes.")
		}
	}
	detailWidth := max(s.sh.width-lipgloss.Width(s.qr)-3, 20)
	wrap := lipgloss.NewStyle().Width(detailWidth)
	var d strings.Builder
	line := func(k, v string) { d.WriteString(st.Key.Render(k) + "\n" + wrap.Render(st.Value.Render(v)) + "\n") }
	line("Number", ids.PhoneNumber)
	line("PhoneNumberId", ids.PhoneNumberID)
	line("OrderId", ids.OrderID)
	d.WriteString(st.Key.Render("OrderStatus") + "\n" + status + "\n")
	if code := api.ActivationCode(ids.QRCode); code != "" {
		d.WriteString(st.Key.Render("eSIM activation") + "\n" + wrap.Render(st.Text.Render(code)) + "\n")
	}
	details := d.String()
	body := details
	if s.qr != "" {
		body = lipgloss.JoinHorizontal(lipgloss.Top, s.qr, "  ", details)
	}
	title := st.Title.Render("Step 6 · Your number") + "\n"
	if errText := s.sh.session.Steps[flow.Provision].Error; s.sh.session.Status(flow.Provision) == flow.Failed && errText != "" {
		title += s.sh.para(st.Error, errText) + "\n"
	}
	next := "enter: send a test SMS"
	if s.sh.session.OrderPhase() != api.OrderSucceeded {
		next = "waiting for the order…"
	}
	return title + body + "\n" + st.Muted.Render(next)
}

func (s *provisionScreen) Resize(w, h int) { s.resize(w, h) }
func (s *provisionScreen) AtStart() bool   { return s.showResult() || s.atStart() }
func (s *provisionScreen) Typing() bool    { return !s.showResult() && s.typing() }
func (s *provisionScreen) Keys() []key.Binding {
	return []key.Binding{s.sh.keys.Next}
}
