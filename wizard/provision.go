package wizard

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// provisionScreen buys the number with everything carried forward, shows
// its order followed until it completes, and the number, its IDs and, for
// an eSIM, the QR code of its activation string.
type provisionScreen struct {
	stepForm
	qr     string // rendered once when the result arrives, not per frame
	qrFor  string // the code and background it was drawn for
	notYet bool   // enter was pressed while the order is pending
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
	s.notYet, s.sh.revealESIM = false, false
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
	if _, ok := msg.(tea.BackgroundColorMsg); ok {
		s.renderQR() // the code is drawn for the background
		return nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "v" && s.sh.opts.Presenter {
		s.sh.revealESIM = !s.sh.revealESIM
		return nil
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
	drawn := fmt.Sprint(code, s.sh.styles.IsDark)
	if drawn == s.qrFor && s.qr != "" {
		return
	}
	s.qr, s.qrFor = "", drawn
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
	sess := s.sh.session
	ids := sess.IDs
	w, h := s.sh.width, s.sh.height
	status := st.Success.Render("✓ " + ids.OrderStatus)
	switch sess.OrderPhase() {
	case api.OrderFailed:
		status = st.Error.Render("✗ " + ids.OrderStatus)
	case api.OrderInProgress:
		status = s.sh.spinner.View() + " " + st.Warning.Render(ids.OrderStatus)
	}
	title := st.Title.Render("Step 6 · Your number")
	if errText := sess.Steps[flow.Provision].Error; sess.Status(flow.Provision) == flow.Failed && errText != "" {
		title += "\n" + s.sh.para(st.Error, errText)
	}
	next := "enter: send a test SMS"
	if sess.OrderPhase() != api.OrderSucceeded {
		next = "waiting for the order…"
		if s.notYet {
			next = "The test SMS can be sent once the order completes."
		}
	}
	nextStyle := st.Muted
	if s.notYet {
		nextStyle = st.Warning
	}

	// The activation string and its QR code activate the line: in
	// presenter mode they stay hidden until v shows them.
	code := api.ActivationCode(ids.QRCode)
	hidden := code != "" && s.sh.opts.Presenter && !s.sh.revealESIM
	qr := s.qr
	if hidden {
		qr = ""
	}
	const keyW = 9 // "OrderId  "
	idLine := func(k, v string, width int) string { return keyValue(st.Key, st.Value, k, v, keyW, width) }
	var activation []string // the activation lines: the string, or why it is not shown
	switch {
	case hidden:
		activation = wrapWords("hidden in presenter mode (it activates the line): v shows it and its QR code", w-keyW)
	case code != "":
		activation = wrapWords(code, w-keyW) // breaks only after its "$"s
	}
	// esim is the activation string labelled, in the IDs' column.
	esim := func() string {
		out := make([]string, len(activation))
		for i, l := range activation {
			k := ""
			if i == 0 {
				k = "eSIM"
			}
			style := st.Text
			if hidden {
				style = st.Muted
			}
			out[i] = st.Key.Render(fmt.Sprintf("%-*s", keyW, k)) + style.Render(l)
		}
		return strings.Join(out, "\n")
	}
	qrW := lipgloss.Width(qr)
	lines := func(parts ...string) int {
		n := 0
		for _, p := range parts {
			n += lipgloss.Height(p)
		}
		return n
	}

	// Wide: every detail whole beside the QR code.
	if qr != "" {
		beside := w - qrW - 2
		longest := max(len(ids.PhoneNumberID), len(ids.OrderID), keyW+len(ids.PhoneNumber))
		for _, l := range activation {
			longest = max(longest, ansi.StringWidth(l))
		}
		if beside >= longest {
			var d []string
			d = append(d, st.Key.Render("Number")+"\n"+st.Value.Render(ids.PhoneNumber),
				st.Key.Render("NID")+"\n"+st.Value.Render(ids.PhoneNumberID),
				st.Key.Render("OrderId")+"\n"+st.Value.Render(ids.OrderID),
				st.Key.Render("OrderStatus")+"\n"+status)
			if code != "" {
				d = append(d, st.Key.Render("eSIM activation"))
				for _, l := range activation {
					d = append(d, st.Text.Render(l))
				}
			}
			body := lipgloss.JoinHorizontal(lipgloss.Top, qr, "  ", strings.Join(d, "\n"))
			if out := title + "\n" + body + "\n\n" + nextStyle.Render(next); lipgloss.Height(out) <= h {
				return out
			}
		}
		// Narrower: the short details and what to do beside the code, the
		// IDs and the activation string whole below it.
		if beside >= 16 {
			side := []string{st.Key.Render("Number"), st.Value.Render(ids.PhoneNumber), "",
				st.Key.Render("OrderStatus"), status, "", wrapStyled(nextStyle, next, beside)}
			below := []string{idLine("NID", ids.PhoneNumberID, w), idLine("OrderId", ids.OrderID, w)}
			if code != "" {
				below = append(below, esim())
			}
			body := lipgloss.JoinHorizontal(lipgloss.Top, qr, "  ", strings.Join(side, "\n"))
			if lines(title, body)+lines(below...) <= h {
				return title + "\n" + body + "\n" + strings.Join(below, "\n")
			}
		}
	}

	// No room for the QR code (or none to show): the details alone, each
	// whole, and how to see the code.
	out := []string{title,
		idLine("Number", ids.PhoneNumber, w),
		idLine("NID", ids.PhoneNumberID, w),
		idLine("OrderId", ids.OrderID, w),
		st.Key.Render(fmt.Sprintf("%-*s", keyW+4, "OrderStatus")) + status}
	if code != "" {
		out = append(out, esim())
		if s.qr != "" && !hidden {
			out = append(out, s.sh.para(st.Muted, "Enlarge the window to show the QR code to scan."))
		}
	}
	out = append(out, "", nextStyle.Render(next))
	return strings.Join(out, "\n")
}

func (s *provisionScreen) Resize(w, h int) { s.resize(w, h) }
func (s *provisionScreen) AtStart() bool   { return s.showResult() || s.atStart() }
func (s *provisionScreen) Typing() bool    { return !s.showResult() && s.typing() }
func (s *provisionScreen) Keys() []key.Binding {
	if s.showResult() && s.sh.opts.Presenter && api.ActivationCode(s.sh.session.IDs.QRCode) != "" {
		// One wording for both states: the help line is cached by its keys.
		return []key.Binding{s.sh.keys.Next, key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "show/hide the eSIM code"))}
	}
	return []key.Binding{s.sh.keys.Next}
}
