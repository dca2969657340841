package wizard

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/styles"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// The frame's chrome, apart from the root model: the banner, the stepper,
// the help line and the inspector's content. Each is cached until what it
// shows changes, since the frame is drawn on every key.

// chromeHeight is the rows the frame takes: banner, a blank line, the help.
func (m *Model) chromeHeight() int {
	if m.showFullHelp {
		return 2 + lipgloss.Height(m.helpView())
	}
	return 2 + 1
}

// View draws the frame around the current screen. It only formats what
// Update prepared: no I/O, no parsing.
func (m *Model) View() tea.View {
	var v tea.View
	v.AltScreen = true
	v.WindowTitle = "telegent-onboard"
	if m.quitting {
		return v
	}
	if m.width > 0 && (m.width < minWidth || m.height < minHeight) {
		v.SetContent(m.tooSmall())
		return v
	}
	content := m.frame()
	if m.sh.opts.Presenter {
		content = m.presenterReplacer().Replace(content)
	}
	v.SetContent(content)
	return v
}

// frame assembles banner, stepper, screen and help. It runs on every key,
// so nothing here re-measures what is already known: the stepper and the
// help line are cached until the state they show changes, and the screen
// is joined to the stepper line by line (the stepper's lines have a fixed
// width, so no padding has to be computed).
func (m *Model) frame() string {
	sh := m.sh
	stepper := m.cachedStepper()
	body := strings.Split(m.body(), "\n")
	if len(body) > sh.height {
		body = body[:sh.height] // screens draw to their width; only the height is clipped
	}
	var b strings.Builder
	b.Grow(m.width * (m.height + 1) * 2)
	b.WriteString(m.banner())
	b.WriteString("\n\n")
	if m.bare {
		for i := range sh.height {
			if i < len(body) {
				b.WriteString(body[i])
			}
			b.WriteByte('\n')
		}
		b.WriteString(m.cachedHelp())
		return b.String()
	}
	for i, line := range stepper {
		b.WriteString(line)
		if i < len(body) {
			b.WriteString(body[i])
		}
		b.WriteByte('\n')
	}
	b.WriteString(m.cachedHelp())
	return b.String()
}

// stepperKey is everything the stepper shows; the cached drawing is reused
// while it is unchanged.
type stepperKey struct {
	current screenID
	height  int
	dark    bool
	status  [flow.NumSteps]flow.Status
	ids     [flow.NumSteps]string
}

func (m *Model) cachedStepper() []string {
	k := stepperKey{current: m.current, height: m.sh.height, dark: m.sh.styles.IsDark}
	for step := range flow.Step(flow.NumSteps) {
		k.status[step], k.ids[step] = m.sh.session.Status(step), m.sh.session.ID(step)
	}
	if m.stepperCache.lines == nil || m.stepperCache.key != k {
		drawn := m.sh.styles.Stepper.Width(stepperWidth).Height(m.sh.height).Render(m.stepper())
		m.stepperCache.key, m.stepperCache.lines = k, strings.Split(drawn, "\n")
	}
	return m.stepperCache.lines
}

// helpKey is everything the help line depends on.
type helpKey struct {
	current            screenID
	mode, width        int
	full, typing, dark bool
	screenKeys         int
}

func (m *Model) cachedHelp() string {
	k := helpKey{current: m.current, width: m.width, full: m.showFullHelp, dark: m.sh.styles.IsDark,
		screenKeys: len(m.screens[m.current].Keys())}
	switch o := m.overlays.top(m); {
	case o != nil:
		k.mode, k.screenKeys = o.helpMode(), len(o.keys(m))
	case m.working():
		k.mode = 5
	}
	if m.helpCache.text == "" || m.helpCache.key != k {
		m.helpCache.key, m.helpCache.text = k, m.helpView()
	}
	return m.helpCache.text
}

func (m *Model) tooSmall() string {
	st := m.sh.styles
	return st.Title.Render("telegent-onboard") + "\n\n" +
		st.Text.Render(fmt.Sprintf("This window is %d×%d.", m.width, m.height)) + "\n" +
		st.Warning.Render(fmt.Sprintf("The wizard needs at least %d×%d: please enlarge it.", minWidth, minHeight)) + "\n\n" +
		st.Muted.Render("ctrl+c quits")
}

// body is the content area: the overlay in charge, or the screen.
func (m *Model) body() string {
	if o := m.overlays.top(m); o != nil {
		return o.view(m)
	}
	return m.screens[m.current].View()
}

func (m *Model) banner() string {
	st := m.sh.styles
	account := m.sh.session.AccountID
	if account == "" {
		account = "no account yet"
	}
	if m.sh.opts.Sandbox {
		where := "starting…"
		if m.sh.baseURL != "" {
			where = m.sh.baseURL
		}
		return st.SandboxBanner.Render("SANDBOX") + " " + st.Muted.Render(where+" · demo data, nothing is bought")
	}
	host := m.sh.baseURL
	if u, err := url.Parse(host); err == nil && u.Host != "" {
		host = u.Host
	}
	return st.Banner.Render("LIVE") + " " + st.Text.Render(host) + st.Muted.Render(" · ") + st.Value.Render(account)
}

// stepper lists the seven steps with their marks and the IDs gathered.
func (m *Model) stepper() string {
	st := m.sh.styles
	s := m.sh.session
	var b strings.Builder
	for step := flow.Credentials; step < flow.NumSteps; step++ {
		mark, style := "○", st.StepPending
		switch s.Status(step) {
		case flow.Done:
			mark, style = "✓", st.StepDone
		case flow.Skipped:
			mark, style = "–", st.StepSkipped
		case flow.Failed:
			mark, style = "✗", st.StepFailed
		case flow.Unknown:
			mark, style = "?", st.Warning
		}
		if step == m.current {
			style = st.StepCurrent
			if s.Status(step) == flow.Pending {
				mark = "●"
			}
		}
		fmt.Fprintf(&b, "%s\n", style.Render(fmt.Sprintf("%s %d %s", mark, step+1, step.Title())))
		id := s.ID(step)
		if id != "" {
			b.WriteString("    " + st.StepID.Render(truncate(id, stepperWidth-6)) + "\n")
		} else {
			b.WriteString("\n")
		}
	}
	if m.current == summaryStep {
		b.WriteString(st.StepCurrent.Render("● Summary"))
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func (m *Model) helpView() string {
	k := m.sh.keys
	var bindings []key.Binding
	switch o := m.overlays.top(m); {
	case o != nil:
		bindings = o.keys(m)
	case m.working():
		// Keys wait: say so rather than offer them.
		bindings = []key.Binding{key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("working…", "ctrl+c quits"))}
	default:
		bindings = append(m.screens[m.current].Keys(), k.Back, k.Inspector, k.Help, k.Quit)
	}
	if m.showFullHelp {
		return m.help.FullHelpView([][]key.Binding{bindings, m.fullHelpExtra()})
	}
	return m.help.ShortHelpView(bindings)
}

func (m *Model) fullHelpExtra() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab/enter", "next field")),
		key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous field")),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "previous step")),
		key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "last HTTP request")),
	}
}

// inspectorContent renders the current step's last HTTP exchange. It runs
// when the inspector opens, not on every frame.
func (m *Model) inspectorContent() string {
	st := m.sh.styles
	step := m.current
	if step == summaryStep {
		step = flow.TestMessage
	}
	exchanges := m.sh.exchanges[step]
	if len(exchanges) == 0 {
		return st.Title.Render("HTTP inspector") + "\n\n" + st.Muted.Render("No request yet on this step. It will call:\n"+step.Endpoint())
	}
	// In presenter mode the values are masked here, before the viewport
	// cuts the long lines of the JSON: a value cut at the edge would not
	// be found whole by the replacement of the finished frame.
	return m.maskText(m.inspectorExchanges(exchanges))
}

// inspectorExchanges is the JSON of a step's exchanges, secrets redacted.
func (m *Model) inspectorExchanges(exchanges []api.Exchange) string {
	st := m.sh.styles
	var b strings.Builder
	b.WriteString(st.Title.Render("HTTP inspector") + st.Muted.Render("  secrets are shown as "+api.Redacted) + "\n")
	for _, e := range exchanges {
		b.WriteString("\n" + st.Value.Render(e.Method+" "+e.URL) + "\n")
		if len(e.RequestBody) > 0 {
			b.Write(api.PrettyJSON(e.RequestBody))
			b.WriteByte('\n')
		}
		switch {
		case e.Err != nil:
			b.WriteString(st.Error.Render("no answer: "+e.Err.Error()) + "\n")
		default:
			status := fmt.Sprintf("← %d in %s", e.Status, e.Duration.Round(time.Millisecond))
			style := st.Success
			if e.Status >= 400 {
				style = st.Error
			}
			b.WriteString(style.Render(status) + "\n")
			if len(e.ResponseBody) > 0 {
				b.Write(api.PrettyJSON(e.ResponseBody))
				b.WriteByte('\n')
			}
		}
	}
	return b.String()
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if n <= 1 {
		return "…"
	}
	return string(r[:n-1]) + "…"
}

// useReceiver points the demo message route at the in-process receiver,
// unless the user has typed other URLs already.
func (m *Model) useReceiver(msg receiverReadyMsg) {
	if msg.err != nil || msg.run == nil {
		return // the demo goes on; the test SMS screen says where reports would go
	}
	m.sh.receiver = msg.run
	d := &m.sh.eng.Defaults.MessageRoute
	if d.MessageUrl != flow.DemoHookURL || m.sh.session.Inputs.MessageRoute != nil {
		return
	}
	d.MessageUrl, d.CallbackMessageUrl = msg.run.URL, msg.run.URL
	d.MessageAuthenticationType, d.CallbackMessageAuthenticationType = api.AuthBasic, api.AuthBasic
	d.MessageUsername, d.CallbackMessageUsername = msg.auth.User, msg.auth.User
	d.MessagePasswordToken, d.CallbackMessagePasswordToken = msg.auth.Pass, msg.auth.Pass
	// A form already on screen shows the placeholder: rebuild it with the
	// receiver, unless a URL was typed over it meanwhile.
	if rs := m.screens[flow.MessageRoute].(*messageRouteScreen); m.current == flow.MessageRoute && rs.form != nil {
		if p := rs.strs["MessageUrl"]; p != nil && *p == flow.DemoHookURL {
			m.screens[flow.MessageRoute].Enter()
		}
	}
}

// choiceButton is one choice of a panel; the selected one is marked in
// its style.
func choiceButton(st styles.Styles, label string, selected bool) string {
	if selected {
		return st.Chosen.Render(label)
	}
	return st.Choice.Render(label)
}
