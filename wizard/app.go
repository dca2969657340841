// Package wizard is the Bubble Tea program that walks a customer through the
// Telegent quickstart: one screen per step, a stepper with the IDs gathered
// so far, an HTTP inspector, and error panels that carry the API's remedy.
// The steps themselves (what is sent, what is carried forward) live in the
// UI-free package flow.
package wizard

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/styles"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// Options configure a wizard run.
type Options struct {
	// BaseURL is the API root; with Sandbox it is learned from StartSandbox.
	BaseURL string
	// Sandbox marks a run against the in-process sandbox: demo defaults in
	// every field, no purchase confirmation.
	Sandbox bool
	// StartSandbox starts the sandbox and returns its base URL. It runs as a
	// command after the first frame, so start-up never waits for it.
	StartSandbox func() (string, error)
	// Credentials and AccountID prefill the first screen.
	Credentials api.Credentials
	AccountID   string
	// ClientOptions are added to the API client's (tests lower the pacing).
	ClientOptions []api.Option
	// StatePath is the session file. Empty: the default file for the base
	// URL and AccountId, except in sandbox mode, whose state dies with it.
	StatePath string
	// OrderPollInterval and OrderTimeout bound following a pending order.
	OrderPollInterval time.Duration
	OrderTimeout      time.Duration
	// Presenter masks the AccountKey, AccountId, subscriber emails and phone
	// numbers on screen, for live demos.
	Presenter bool
	// DeliveryTimeout bounds the wait for the test message's delivery
	// reports (sandbox mode); 20s when zero.
	DeliveryTimeout time.Duration
	// DemoSuffix makes the demo subscriber email unique; random when empty.
	DemoSuffix string
	// Now is the clock (tests fix it).
	Now func() time.Time
}

// Minimum usable window; below it the wizard says how large it must be.
const (
	minWidth  = 70
	minHeight = 20
	// stepperWidth is the stepper column, border included.
	stepperWidth = 26
)

// screenID is a step or the summary after the last step.
type screenID = flow.Step

const summaryStep screenID = flow.NumSteps

// screen is one step's page. Every screen has the same shape: it is rebuilt
// on entry from the session (a completed huh form cannot be reused), gets
// every message while it is current, and draws itself in the content area.
type screen interface {
	// Enter (re)builds the screen and returns its first command.
	Enter() tea.Cmd
	Update(msg tea.Msg) tea.Cmd
	View() string
	// Resize hands the screen its content area.
	Resize(width, height int)
	// AtStart reports whether shift+tab should leave for the previous step
	// (the first field has focus, or there is no form).
	AtStart() bool
	// Typing reports whether printable keys belong to a text input.
	Typing() bool
	// Keys are the screen's own bindings for the help line.
	Keys() []key.Binding
}

// Model is the root: it owns the screens and routes messages to the
// current one, and draws the frame (banner, stepper, help, panels).
type Model struct {
	sh      *shared
	screens [flow.NumSteps + 1]screen
	current screenID

	width, height int
	failure       *failure
	inspecting    bool
	inspector     viewport.Model
	showFullHelp  bool
	help          help.Model
	quitting      bool

	stepperCache struct {
		key   stepperKey
		lines []string
	}
	helpCache struct {
		key  helpKey
		text string
	}
	presenter struct {
		key      string
		replacer *strings.Replacer
	}
}

// New builds the wizard. Nothing slow happens here or in Init's first frame:
// the sandbox starts, and the API is called, only in commands.
func New(opts Options) *Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.OrderPollInterval <= 0 {
		opts.OrderPollInterval = time.Second
	}
	if opts.OrderTimeout <= 0 {
		opts.OrderTimeout = 3 * time.Minute
	}
	if opts.DeliveryTimeout <= 0 {
		opts.DeliveryTimeout = 20 * time.Second
	}
	if opts.DemoSuffix == "" {
		var b [3]byte
		_, _ = rand.Read(b[:])
		opts.DemoSuffix = hex.EncodeToString(b[:])
	}
	st := styles.New(true)
	sh := &shared{
		opts:      opts,
		styles:    st,
		theme:     st.FormTheme(),
		keys:      newKeyMap(),
		formKeys:  formKeyMap(),
		session:   flow.NewSession(opts.BaseURL, opts.AccountID, opts.Now()),
		baseURL:   opts.BaseURL,
		ready:     !opts.Sandbox,
		rec:       &recorder{},
		exchanges: map[flow.Step][]api.Exchange{},
		spinner:   spinner.New(spinner.WithSpinner(spinner.Dot), spinner.WithStyle(st.Spinner)),
	}
	if opts.Sandbox {
		sh.defaults = flow.DemoDefaults("", opts.DemoSuffix)
	} else {
		sh.defaults = flow.LiveDefaults()
	}
	m := &Model{sh: sh, help: help.New(), inspector: viewport.New()}
	m.screens = [...]screen{
		flow.Credentials:  newCredentialsScreen(sh),
		flow.MessageRoute: newMessageRouteScreen(sh),
		flow.VoiceRoute:   newVoiceRouteScreen(sh),
		flow.Availability: newAvailabilityScreen(sh),
		flow.Subscriber:   newSubscriberScreen(sh),
		flow.Provision:    newProvisionScreen(sh),
		flow.TestMessage:  newTestMessageScreen(sh),
		summaryStep:       newSummaryScreen(sh),
	}
	m.applyStyles(st)
	return m
}

// formKeyMap is huh's, less the select filter: "/" and esc belong to the
// wizard while a select has focus.
func formKeyMap() *huh.KeyMap {
	k := huh.NewDefaultKeyMap()
	k.Select.Filter.SetEnabled(false)
	k.Select.SetFilter.SetEnabled(false)
	k.Select.ClearFilter.SetEnabled(false)
	k.MultiSelect.Filter.SetEnabled(false)
	return k
}

func (m *Model) applyStyles(st styles.Styles) {
	m.sh.styles = st
	m.sh.theme = st.FormTheme()
	m.sh.spinner.Style = st.Spinner
	m.help.Styles.ShortKey = st.HelpKey
	m.help.Styles.ShortDesc = st.HelpDesc
	m.help.Styles.ShortSeparator = st.HelpSep
	m.help.Styles.FullKey = st.HelpKey
	m.help.Styles.FullDesc = st.HelpDesc
	m.help.Styles.FullSeparator = st.HelpSep
}

// Session is the onboarding so far (for the caller, after the program ends).
func (m *Model) Session() *flow.Session { return m.sh.session }

// Init draws the first frame at once and starts the sandbox, if any, behind it.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor, m.screens[m.current].Enter()}
	if m.sh.opts.Sandbox {
		cmds = append(cmds, startReceiver)
	}
	if m.sh.opts.Sandbox && m.sh.opts.StartSandbox != nil {
		start := m.sh.opts.StartSandbox
		cmds = append(cmds, func() tea.Msg {
			u, err := start()
			return sandboxReadyMsg{baseURL: u, err: err}
		})
	}
	return tea.Batch(cmds...)
}

// Update routes a message: global keys and results first, then the current
// screen.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	if m.sh.advancing {
		m.sh.advancing = false
		cmd = tea.Batch(cmd, m.enter(m.next()))
	}
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	if cmd, ok := m.handleReconcileMsg(msg); ok {
		return cmd
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return nil

	case tea.BackgroundColorMsg:
		m.applyStyles(styles.New(msg.IsDark()))
		return m.screens[m.current].Enter()

	case receiverReadyMsg:
		m.useReceiver(msg)
		return nil

	case sandboxReadyMsg:
		if msg.err != nil {
			m.failure = newFailure(flow.Credentials, nil, fmt.Errorf("the sandbox could not start: %w", msg.err))
			return nil
		}
		m.sh.baseURL, m.sh.ready = msg.baseURL, true
		m.sh.session.BaseURL = msg.baseURL
		return m.screens[m.current].Update(msg)

	case spinner.TickMsg:
		if m.sh.busy == nil {
			return nil
		}
		var cmd tea.Cmd
		m.sh.spinner, cmd = m.sh.spinner.Update(msg)
		return cmd

	case resultMsg:
		if !m.sh.settle(msg) {
			return nil
		}
		var se *saveError
		if errors.As(msg.err, &se) {
			m.failure = newFailure(msg.req.step, msg.req, msg.err)
			return nil
		}
		m.sh.handled = false
		cmd := msg.req.done(msg.value, msg.err)
		if msg.err != nil && !isCancel(msg.err) && !m.sh.handled {
			m.failure = newFailure(msg.req.step, msg.req, msg.err)
		}
		m.sh.handled = false
		if (msg.req.create || msg.req.persist) && m.sh.statePath != "" {
			// The outcome is on disk before the wizard moves on.
			adv := m.sh.advancing
			m.sh.advancing = false
			return tea.Batch(cmd, m.sh.save(adv))
		}
		return cmd

	case stateLoadedMsg:
		return m.offerResume(msg)

	case resumeMsg:
		return m.resume(msg.session)

	case startOverMsg:
		if msg.err != nil {
			m.failure = newFailure(flow.Credentials, nil, msg.err)
			return nil
		}
		m.sh.advancing = true
		return nil

	case savedMsg:
		m.sh.saving = false
		if msg.err != nil {
			m.failure = newFailure(m.current, nil, &saveError{path: msg.path, err: msg.err})
			return nil
		}
		m.sh.advancing = m.sh.advancing || msg.advance
		return nil

	case runMsg:
		return m.sh.run(msg.req)

	case editMsg:
		return m.enter(m.current)

	case advanceMsg:
		return m.enter(m.next())

	case backMsg:
		return m.goBack()

	case tea.KeyPressMsg:
		if cmd, handled := m.handleKey(msg); handled {
			return cmd
		}
	}
	return m.screens[m.current].Update(msg)
}

func (m *Model) handleKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.sh.keys
	switch {
	case key.Matches(msg, k.Quit):
		// Cancel the request in flight, then leave; Bubble Tea restores
		// the terminal.
		m.sh.abort()
		m.quitting = true
		return tea.Quit, true
	case key.Matches(msg, k.Inspector):
		m.inspecting = !m.inspecting
		if m.inspecting {
			m.inspector.SetContent(m.inspectorContent())
			m.inspector.GotoTop()
		}
		return nil, true
	}
	if m.inspecting {
		switch {
		case msg.String() == "esc":
			m.inspecting = false
		default:
			m.inspector, _ = m.inspector.Update(msg)
		}
		return nil, true
	}
	if m.failure != nil {
		return m.failure.handleKey(m, msg), true
	}
	if q := m.sh.question; q != nil {
		return q.handleKey(m.sh, msg), true
	}
	if (m.sh.busy != nil && !m.sh.busy.quiet) || m.sh.saving || m.sh.loading {
		return nil, true // keys wait while a request runs or the session is saved; ctrl+c is above
	}
	typing := m.screens[m.current].Typing()
	switch {
	case key.Matches(msg, k.Help) && !typing:
		m.showFullHelp = !m.showFullHelp
		m.layout()
		return nil, true
	case msg.String() == "esc",
		msg.String() == "shift+tab" && m.screens[m.current].AtStart():
		return m.goBack(), true
	}
	return nil, false
}

// next is the step after the current one; the summary after the last.
func (m *Model) next() screenID {
	if m.current >= summaryStep {
		return summaryStep
	}
	return m.current + 1
}

func (m *Model) goBack() tea.Cmd {
	if m.current == flow.Credentials {
		return nil
	}
	return m.enter(m.current - 1)
}

func (m *Model) enter(id screenID) tea.Cmd {
	m.current = id
	m.failure = nil
	m.sh.question = nil
	m.inspecting = false
	m.layout()
	cmd := m.screens[id].Enter()
	if id < flow.NumSteps && m.sh.session.NeedsReconcile(id) && m.sh.client != nil {
		return tea.Batch(cmd, m.askAboutUnknown(id))
	}
	return cmd
}

// layout hands every screen its content area after a resize or a change of
// help height.
func (m *Model) layout() {
	w := max(m.width-stepperWidth-1, 20)
	h := max(m.height-m.chromeHeight(), 5)
	m.sh.width, m.sh.height = w, h
	for _, s := range m.screens {
		s.Resize(w, h)
	}
	m.inspector.SetWidth(w)
	m.inspector.SetHeight(h)
	m.help.SetWidth(m.width)
}

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
	switch {
	case m.inspecting:
		k.mode = 1
	case m.failure != nil:
		k.mode, k.screenKeys = 2, len(m.failure.choices)
	case m.sh.question != nil:
		k.mode = 3
	case m.sh.busy != nil && !m.sh.busy.quiet:
		k.mode = 4
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

// body is the content area: a panel over the screen when one is open.
func (m *Model) body() string {
	sh := m.sh
	switch {
	case m.inspecting:
		return m.inspector.View()
	case m.failure != nil:
		return m.failure.view(sh)
	case sh.question != nil:
		return sh.question.view(sh)
	case sh.busy != nil && !sh.busy.quiet:
		return sh.spinner.View() + " " + sh.styles.Text.Render(sh.busy.label)
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
	switch {
	case m.inspecting:
		bindings = []key.Binding{k.Up, key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc/ctrl+o", "close inspector")), k.Quit}
	case m.failure != nil:
		bindings = append(m.failure.keys(k), k.Inspector, k.Quit)
	case m.sh.question != nil:
		bindings = []key.Binding{k.Left, key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose")), k.Quit}
	case m.sh.busy != nil && !m.sh.busy.quiet:
		bindings = []key.Binding{key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "cancel and quit"))}
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

// working reports a moment between the user's action and its effect: a
// submitted form not yet handled, or the session file being saved or read.
func (m *Model) working() bool {
	if m.sh.saving || m.sh.loading {
		return true
	}
	f := formOf(m.screens[m.current])
	return f != nil && f.form != nil && f.form.State != huh.StateNormal
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
	rs := m.screens[flow.MessageRoute].(*messageRouteScreen)
	if rs.d.MessageUrl != flow.DemoHookURL {
		return
	}
	rs.d.MessageUrl, rs.d.CallbackMessageUrl = msg.run.URL, msg.run.URL
	rs.d.MessageAuthenticationType, rs.d.CallbackMessageAuthenticationType = api.AuthBasic, api.AuthBasic
	rs.d.MessageUsername, rs.d.CallbackMessageUsername = msg.auth.User, msg.auth.User
	rs.d.MessagePasswordToken, rs.d.CallbackMessagePasswordToken = msg.auth.Pass, msg.auth.Pass
}

// Close stops what the wizard started in-process (the webhook receiver).
func (m *Model) Close() {
	if r := m.sh.receiver; r != nil {
		_ = r.Close()
		m.sh.receiver = nil
	}
	if s, ok := m.screens[flow.TestMessage].(*testMessageScreen); ok {
		s.stopWatching()
	}
}
