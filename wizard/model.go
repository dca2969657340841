// Package wizard is the full-screen Bubble Tea driver of the onboarding
// engine (package flow): one screen per step, a stepper with the IDs
// gathered so far, an HTTP inspector, and panels that ask or explain. The
// engine decides what every step does; the root carries its decisions out
// (apply): a call in a command, a save before going on, a question in a
// panel, the next screen.
package wizard

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/webhook/check"
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
	// OrderPollInterval is the first wait between looks at a pending
	// order (it grows from there); OrderTimeout bounds the following.
	// Zero: the engine's defaults, the same for every driver.
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
	// WebhookOptions adjust the webhook checks (t): a private CA's roots.
	WebhookOptions func(*check.Options)
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
// on entry from the engine's draft (a completed huh form cannot be reused),
// gets every message while it is current, and draws itself in the content
// area. What a submission means is the engine's business: a screen hands
// its input to sh.eng and the decision to sh.act.
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

// refusable screens show what the engine refused, at the field.
type refusable interface {
	Refused(n flow.Next) tea.Cmd
}

// Model is the root: it owns the screens and the overlays, carries out the
// engine's decisions, and routes every other message to the current screen.
type Model struct {
	sh      *shared
	screens [flow.NumSteps + 1]screen
	current screenID

	width, height int
	overlays      overlays
	showFullHelp  bool
	help          help.Model
	inspector     viewport.Model
	quitting      bool
	interrupted   bool // ctrl+c: the command exits 130
	// entered: the first screen is built. It waits for the window's size,
	// so its form is laid out once, at the size it is drawn at.
	entered bool
	// bare: the stepper is left out, so the summary has the whole width
	// for its IDs in a narrow window (it lists them all itself).
	bare bool

	stepperCache struct {
		key   stepperKey
		lines []string
	}
	helpCache struct {
		key  helpKey
		text string
	}
	presenter  presenterCache
	webhookSeq int // the webhook panel's run; older results are dropped
}

// New builds the wizard. Nothing slow happens here or in Init's first frame:
// the sandbox starts, and the API is called, only in commands.
func New(opts Options) *Model {
	if opts.Now == nil {
		opts.Now = time.Now
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
	session := flow.NewSession(opts.BaseURL, opts.AccountID, opts.Now())
	sh := &shared{
		opts:      opts,
		styles:    st,
		keys:      newKeyMap(),
		formKeys:  formKeyMap(),
		session:   session,
		baseURL:   opts.BaseURL,
		ready:     !opts.Sandbox,
		rec:       &recorder{},
		exchanges: map[flow.Step][]api.Exchange{},
		spinner:   spinner.New(spinner.WithSpinner(spinner.Dot), spinner.WithStyle(st.Spinner)),
		waits:     make(chan api.Wait, 1),
	}
	eng := &flow.Engine{Session: session, Sandbox: opts.Sandbox, Now: opts.Now,
		Order: flow.OrderSchedule{First: opts.OrderPollInterval, Timeout: opts.OrderTimeout}}
	if opts.Sandbox {
		eng.Defaults = flow.DemoDefaults("", opts.DemoSuffix)
	} else {
		eng.Defaults = flow.LiveDefaults()
	}
	eng.NewClient = func(c api.Credentials) (*api.Client, error) {
		o := append([]api.Option{api.WithObserver(sh.rec.add), api.WithWaitObserver(sh.observeWait)}, opts.ClientOptions...)
		return api.New(sh.baseURL, c, o...)
	}
	sh.eng = eng
	sh.theme = huh.ThemeFunc(func(bool) *huh.Styles { return sh.currentFormStyles() })
	m := &Model{sh: sh, help: help.New(), inspector: viewport.New()}
	sh.act = m.apply
	sh.mask = m.maskText
	sh.leave = func() tea.Cmd { return m.enter(m.current + 1) }
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

// Interrupted reports that the person quit with ctrl+c.
func (m *Model) Interrupted() bool { return m.interrupted }

// Init draws the first frame at once and starts the sandbox, if any, behind
// it. The first screen is built when the window's size is known (at once,
// if it already is).
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor}
	if m.width > 0 && !m.entered {
		m.entered = true
		cmds = append(cmds, m.screens[m.current].Enter())
	}
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

// Update routes a message: global keys, results and overlays first, then
// the current screen.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	return m, m.update(msg)
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	sh := m.sh
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		if !m.entered {
			// The size arrives just after Init: the first screen is built
			// now, laid out once at the size it is drawn at.
			m.entered = true
			return m.screens[m.current].Enter()
		}
		return nil

	case tea.BackgroundColorMsg:
		// The form's theme follows sh.styles: the screen is redrawn in the
		// new colours, not rebuilt (what was typed and the focus stay,
		// and no form is built twice at start-up).
		if dark := msg.IsDark(); dark != sh.styles.IsDark {
			m.applyStyles(styles.New(dark))
			return m.screens[m.current].Update(msg)
		}
		return nil

	case receiverReadyMsg:
		m.useReceiver(msg)
		return nil

	case sandboxReadyMsg:
		if msg.err != nil {
			m.overlays.fail(&flow.StepError{Step: flow.Credentials, Reason: flow.ReasonFailure, Err: fmt.Errorf("the sandbox could not start: %w", msg.err)})
			return nil
		}
		sh.baseURL, sh.ready = msg.baseURL, true
		sh.session.BaseURL = msg.baseURL
		return m.screens[m.current].Update(msg)

	case spinner.TickMsg:
		if sh.busy == nil && !m.screenWaits() && (m.overlays.webhook == nil || m.overlays.webhook.done) {
			return nil
		}
		var cmd tea.Cmd
		sh.spinner, cmd = sh.spinner.Update(msg)
		return cmd

	case waitNoticeMsg, waitTickMsg:
		return sh.onWait(msg)

	case callMsg:
		if !sh.settle(msg) {
			return nil
		}
		return m.apply(sh.eng.Settle(msg.result))

	case waitedMsg:
		if msg.seq != sh.seq {
			return nil
		}
		return sh.run(msg.call)

	case stateLoadedMsg:
		sh.loading = false
		return m.apply(sh.eng.Open(msg.path, msg.session, msg.err))

	case savedMsg:
		sh.saving = false
		if msg.err != nil {
			m.overlays.fail(&flow.StepError{Step: m.current, Reason: flow.ReasonFailure, Err: &saveError{path: msg.path, err: msg.err}})
			return nil
		}
		if msg.then == nil {
			return nil
		}
		return m.apply(*msg.then)

	case actionMsg:
		return m.act(msg.action)

	case checkWebhookMsg:
		return m.openWebhookPanel(msg.req)

	case webhookResultMsg:
		return m.webhookResult(msg)

	case tea.KeyPressMsg:
		if cmd, handled := m.handleKey(msg); handled {
			return cmd
		}
	}
	return m.screens[m.current].Update(msg)
}

// apply carries out one engine decision: the only place the wizard acts
// on the engine.
func (m *Model) apply(n flow.Next) tea.Cmd {
	sh := m.sh
	if n.Save || n.BackupFirst {
		if n.BackupFirst && sh.statePath != "" {
			return sh.save(n, true)
		}
		return sh.save(n, false)
	}
	var shown tea.Cmd
	if (n.Kind == flow.Send || n.Kind == flow.Wait) && n.Step != m.current && n.Step > flow.Credentials && n.Step < flow.NumSteps {
		// The engine went on at another step (a resumed session follows
		// its order first): show it.
		m.current = n.Step
		m.layout()
		shown = m.screens[n.Step].Enter()
	}
	switch n.Kind {
	case flow.Send:
		if n.Call.Kind != flow.CallOrder {
			m.overlays.clearPanels()
		}
		return tea.Batch(shown, sh.run(n.Call))
	case flow.Wait:
		sh.seq++
		seq, call := sh.seq, n.Call
		sh.busy = nil
		if n.Delay <= 0 {
			return tea.Batch(shown, sh.run(call))
		}
		return tea.Batch(shown, tea.Tick(n.Delay, func(time.Time) tea.Msg { return waitedMsg{seq: seq, call: call} }), sh.spinner.Tick)
	case flow.Ask:
		m.overlays.ask(n.Question)
		return nil
	case flow.Pick:
		m.current = flow.Availability
		m.layout()
		m.screens[flow.Availability].(*availabilityScreen).showResults()
		return nil
	case flow.Input:
		m.overlays.clearPanels()
		if n.Note == "adopt" {
			m.current = flow.Subscriber
			m.layout()
			return m.screens[flow.Subscriber].(*subscriberScreen).adoptForm()
		}
		edit := n.Err != nil || n.Note == "edit" // what was submitted, to change
		if m.current != n.Step || !edit {
			m.current = n.Step
			m.layout()
			if !edit {
				return m.screens[n.Step].Enter()
			}
		}
		if r, ok := m.screens[n.Step].(refusable); ok {
			return r.Refused(n)
		}
		return m.screens[n.Step].Enter()
	case flow.Advance:
		return m.advance(n)
	case flow.Back:
		return m.goBack()
	case flow.Fail:
		if n.Err.Reason == flow.ReasonInterrupted {
			return nil // ctrl+c: the program is ending
		}
		m.overlays.fail(n.Err)
		return nil
	case flow.Open:
		return m.openSession()
	case flow.Quit:
		m.quitting = true
		return tea.Quit
	}
	return nil
}

// advance moves past a finished step. A step with a result to read (the
// number, the message sent) stays on screen until Enter.
func (m *Model) advance(n flow.Next) tea.Cmd {
	m.overlays.clearPanels()
	step := n.Step
	if (step == flow.Provision || step == flow.TestMessage) && m.current == step {
		return m.screens[step].Update(finishedMsg{note: n.Note})
	}
	if step == flow.Credentials && m.current != flow.Credentials {
		return nil
	}
	if step == flow.Credentials && n.Note == "resumed" {
		return nil
	}
	return m.enter(step + 1)
}

// finishedMsg tells a result screen that its step is finished.
type finishedMsg struct{ note string }

// openSession settles where the session is saved and reads the earlier
// one there, in a command.
func (m *Model) openSession() tea.Cmd {
	sh := m.sh
	path, err := flow.SessionPath(sh.opts.StatePath, sh.opts.Sandbox, sh.baseURL, sh.session.AccountID)
	if err != nil {
		path = "" // nowhere to save: go on; the summary is still printed
	}
	sh.statePath = path
	if path == "" {
		return m.apply(sh.eng.Open("", nil, flow.ErrNoSession))
	}
	sh.loading = true
	return func() tea.Msg {
		s, err := flow.LoadSession(path)
		return stateLoadedMsg{path: path, session: s, err: err}
	}
}

func (m *Model) handleKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.sh.keys
	if key.Matches(msg, k.Quit) {
		// Cancel the call in flight, then leave; Bubble Tea restores the
		// terminal, and the command exits 130.
		m.sh.abort()
		m.quitting, m.interrupted = true, true
		return tea.Quit, true
	}
	if o := m.overlays.top(m); o != nil {
		a, handled := o.handleKey(m, msg)
		if a != nil {
			return m.act(*a), true
		}
		return nil, handled
	}
	if m.sh.saving || m.sh.loading {
		return nil, true // keys wait while the session file is read or written; ctrl+c is above
	}
	typing := m.screens[m.current].Typing()
	switch {
	case key.Matches(msg, k.Inspector):
		m.overlays.inspect(m)
		return nil, true
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

// action is what a panel chose; the root carries it out.
type action struct {
	kind     actionKind
	value    string // a question's answer
	question *flow.Question
	err      *flow.StepError
}

type actionKind int

const (
	actAnswer actionKind = iota
	actRetry
	actEdit
	actBack
	actSearch
	actQuit
	actClose
)

// actionMsg delivers an action from a command.
type actionMsg struct{ action action }

// act carries out what a panel chose.
func (m *Model) act(a action) tea.Cmd {
	eng := m.sh.eng
	m.overlays.clearPanels()
	switch a.kind {
	case actAnswer:
		return m.apply(eng.Answer(a.question, a.value))
	case actRetry:
		return m.apply(eng.Retry(a.err))
	case actEdit:
		step := a.err.Step
		if step != m.current {
			return m.enter(step)
		}
		if r, ok := m.screens[step].(refusable); ok {
			return r.Refused(flow.Next{Kind: flow.Input, Step: step, Err: a.err})
		}
		return m.screens[step].Enter()
	case actBack:
		return m.goBack()
	case actSearch:
		m.current = flow.Availability
		m.layout()
		return m.screens[flow.Availability].(*availabilityScreen).searchForm()
	case actQuit:
		m.sh.abort()
		m.quitting = true
		return tea.Quit
	}
	return nil
}

func (m *Model) goBack() tea.Cmd {
	if m.current == flow.Credentials {
		return nil
	}
	return m.enter(m.current - 1)
}

// enter shows a step's screen as the engine says it starts: its form, or
// first a question about a lost answer, or the order it waits for.
func (m *Model) enter(id screenID) tea.Cmd {
	m.current, m.entered = id, true
	m.overlays.clear()
	m.layout()
	cmd := m.screens[id].Enter()
	if id >= flow.NumSteps || m.sh.eng.Client == nil {
		return cmd
	}
	n := m.sh.eng.Enter(id)
	if n.Kind == flow.Input {
		return cmd
	}
	return tea.Batch(cmd, m.apply(n))
}

// layout hands every screen its content area after a resize or a change of
// help height.
func (m *Model) layout() {
	w := max(m.width-stepperWidth-1, 20)
	h := max(m.height-m.chromeHeight(), 5)
	m.bare = m.current == summaryStep && w < summaryWidth(m.sh.session)
	if m.bare {
		w = m.width
	}
	if w == m.sh.width && h == m.sh.height {
		return
	}
	m.sh.width, m.sh.height = w, h
	m.screens[m.current].Resize(w, h)
	m.inspector.SetWidth(w)
	m.inspector.SetHeight(h)
	m.help.SetWidth(m.width)
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

// screenWaits reports a screen that animates the spinner itself (a result
// screen waiting for an order or for delivery reports).
func (m *Model) screenWaits() bool {
	switch s := m.screens[m.current].(type) {
	case *provisionScreen:
		return m.sh.session.OrderPhase() == api.OrderInProgress
	case *testMessageScreen:
		return s.waiting
	}
	return false
}

// Close stops what the wizard started in-process (the webhook receiver),
// and waits for a save being written, so the session file is whole when
// the program exits.
func (m *Model) Close() {
	m.sh.writing.Lock()
	defer m.sh.writing.Unlock()
	if r := m.sh.receiver; r != nil {
		_ = r.Close()
		m.sh.receiver = nil
	}
	if s, ok := m.screens[flow.TestMessage].(*testMessageScreen); ok {
		s.stopWatching()
	}
}

// formOf is a screen's form, if it shows one.
func formOf(s screen) *formScreen {
	type former interface{ formOf() *formScreen }
	if f, ok := s.(former); ok {
		return f.formOf()
	}
	return nil
}
