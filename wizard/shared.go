package wizard

import (
	"context"
	"os"
	"sync"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/webhook"
	"github.com/telegent/telegent-onboard/styles"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// shared is what every screen works with (soft-serve's Common): the engine
// and its session, the styles, the size of the content area, and the one
// call that may be in flight. Screens hold a pointer to it; only the root
// changes the layout fields.
type shared struct {
	opts   Options
	styles styles.Styles
	// theme is what every form field draws with: it returns the form
	// styles of the background known now, so a background reported after
	// a form was built re-themes it without rebuilding it.
	theme      huh.Theme
	formStyles [2]*huh.Styles // light, dark: built when first needed
	keys       keyMap
	formKeys   *huh.KeyMap
	eng        *flow.Engine
	session    *flow.Session
	baseURL    string // empty until the sandbox has started
	ready      bool   // the API can be called
	rec        *recorder

	// The content area a screen draws in.
	width, height int

	// The call in flight, if any.
	busy    *flow.Call
	seq     int
	cancel  context.CancelFunc
	spinner spinner.Model
	// The client's waits (rate limit, Retry-After, backoff) reach the
	// loop through waits; waiting is the one being counted down, and
	// waitLeft its whole seconds left, set by a tick (View only formats).
	waits    chan api.Wait
	waiting  *api.Wait
	waitLeft int
	callCtx  context.Context // the call in flight's: its listeners end with it

	exchanges map[flow.Step][]api.Exchange // the last call's HTTP traffic, per step
	statePath string                       // the session file; empty: nothing is saved
	receiver  *webhook.Running             // the in-process webhook receiver (sandbox mode)
	saving    bool                         // a save is being written; the next step waits for it
	writing   sync.Mutex                   // held while a save is written, for Close to wait on
	loading   bool                         // the session file is being read

	// mask hides what presenter mode hides in a piece of text before it is
	// laid out (a value broken or cut by the layout would escape the
	// replacement of the finished frame); the identity otherwise.
	mask func(string) string
	// revealESIM: presenter mode shows the eSIM QR code and activation
	// string (v on the provision result); they activate the line.
	revealESIM bool

	// act hands an engine decision to the root, which carries it out;
	// leave moves on from a result screen.
	act   func(flow.Next) tea.Cmd
	leave func() tea.Cmd
}

func (sh *shared) now() time.Time { return sh.opts.Now() }

// currentFormStyles are the huh styles for the background known now.
func (sh *shared) currentFormStyles() *huh.Styles {
	i := 0
	if sh.styles.IsDark {
		i = 1
	}
	if sh.formStyles[i] == nil {
		sh.formStyles[i] = sh.styles.FormStyles()
	}
	return sh.formStyles[i]
}

// para wraps prose to the content width, at spaces only (text.go): an
// ID, email, URL or path in it is never broken. Screens wrap their own
// text: the frame only clips, to keep every keystroke cheap.
func (sh *shared) para(style lipgloss.Style, text string) string {
	return sh.wrap(style, text, sh.width)
}

// wrap is para at another width (a panel's inside).
func (sh *shared) wrap(style lipgloss.Style, text string, width int) string {
	if sh.mask != nil {
		text = sh.mask(text)
	}
	return wrapStyled(style, text, width)
}

// quiet reports whether the call in flight leaves the screen and its keys
// live (following an order: the result screen shows the progress itself).
func (sh *shared) quiet() bool { return sh.busy != nil && sh.busy.Kind == flow.CallOrder }

// callMsg is a call's result, back in Update.
type callMsg struct {
	seq       int
	result    flow.Result
	exchanges []api.Exchange
}

// run makes an engine call in a command: a spinner, a cancellable context,
// the call, and its traffic for the inspector. A result that arrives after
// a newer call started is dropped.
func (sh *shared) run(c *flow.Call) tea.Cmd {
	if sh.cancel != nil {
		sh.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	sh.seq++
	seq := sh.seq
	sh.busy, sh.cancel = c, cancel
	mark := sh.rec.len()
	client := sh.eng.Client
	call := func() tea.Msg {
		r := c.Run(ctx, client)
		return callMsg{seq: seq, result: r, exchanges: sh.rec.since(mark)}
	}
	sh.waiting, sh.callCtx = nil, ctx
	select {
	case <-sh.waits: // an earlier call's: not this one's to show
	default:
	}
	return tea.Batch(call, sh.spinner.Tick, sh.listenWaits(ctx, seq))
}

// waitNoticeMsg is a wait the client reported during call seq;
// waitTickMsg counts it down, once a second.
type waitNoticeMsg struct {
	seq  int
	wait api.Wait
}

type waitTickMsg struct{ seq int }

// observeWait is the client's wait observer: it runs on the call's
// goroutine, so it only hands the wait on (the newest wins, it never
// blocks the call).
func (sh *shared) observeWait(w api.Wait) {
	for {
		select {
		case sh.waits <- w:
			return
		default:
		}
		select {
		case <-sh.waits: // drop the older one
		default:
		}
	}
}

// listenWaits waits, in a command, for the next wait of call seq.
func (sh *shared) listenWaits(ctx context.Context, seq int) tea.Cmd {
	ch := sh.waits
	return func() tea.Msg {
		select {
		case w := <-ch:
			return waitNoticeMsg{seq: seq, wait: w}
		case <-ctx.Done():
			return nil
		}
	}
}

// onWait handles the wait messages: a new wait starts the countdown, a
// tick moves it on, until the wait is over or the call settled.
func (sh *shared) onWait(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case waitNoticeMsg:
		if msg.seq != sh.seq || sh.busy == nil {
			return nil
		}
		w := msg.wait
		sh.waiting = &w
		sh.countDown()
		return tea.Batch(sh.listenWaits(sh.callCtx, msg.seq), waitTick(msg.seq))
	case waitTickMsg:
		if msg.seq != sh.seq || sh.waiting == nil {
			return nil
		}
		if sh.countDown() {
			return waitTick(msg.seq)
		}
	}
	return nil
}

// countDown sets the whole seconds left of the wait; false when it is over.
func (sh *shared) countDown() bool {
	left := time.Until(sh.waiting.Until)
	if left <= 0 {
		sh.waiting = nil
		return false
	}
	sh.waitLeft = int((left + time.Second - 1) / time.Second)
	return true
}

func waitTick(seq int) tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return waitTickMsg{seq: seq} })
}

// settle ends the call a result belongs to; false for a stale result.
func (sh *shared) settle(msg callMsg) bool {
	if msg.seq != sh.seq || sh.busy == nil {
		return false
	}
	sh.busy, sh.waiting = nil, nil
	if sh.cancel != nil {
		sh.cancel()
		sh.cancel = nil
	}
	if len(msg.exchanges) > 0 {
		sh.exchanges[msg.result.Call.Step] = msg.exchanges
	}
	return true
}

// abort cancels the call in flight (ctrl+c).
func (sh *shared) abort() {
	if sh.cancel != nil {
		sh.cancel()
	}
	sh.busy = nil
}

// savedMsg arrives when the session file is written; then carries on with
// the engine's decision that asked for the save.
type savedMsg struct {
	err  error
	path string
	then *flow.Next // nil: nothing waits for it
}

// save writes the session file in a command (the snapshot is taken here,
// in Update), moving the old file aside first when the session starts
// over; the decision that asked for it goes on once it is on disk.
func (sh *shared) save(next flow.Next, backup bool) tea.Cmd {
	durable := next.Durable()
	next.Save, next.BackupFirst = false, false
	return sh.write(&next, backup, durable)
}

// persist writes the session after a change nothing waits for (a delivery
// report arrived).
func (sh *shared) persist() tea.Cmd { return sh.write(nil, false, false) }

func (sh *shared) write(then *flow.Next, backup, durable bool) tea.Cmd {
	if sh.statePath == "" {
		if then == nil {
			return nil
		}
		return func() tea.Msg { return savedMsg{then: then} }
	}
	data, err := sh.session.Encode(sh.now())
	path, now := sh.statePath, sh.now()
	sh.saving = true
	return func() tea.Msg {
		sh.writing.Lock()
		defer sh.writing.Unlock()
		if err == nil && backup {
			if _, berr := flow.Backup(path, now); berr != nil && !os.IsNotExist(berr) {
				err = berr
			}
		}
		if err == nil {
			err = flow.WriteStateAs(path, data, durable)
		}
		return savedMsg{err: err, path: path, then: then}
	}
}

// saveError is a session file that could not be written.
type saveError struct {
	path string
	err  error
}

func (e *saveError) Error() string {
	return "could not save the session to " + e.path + ": " + e.err.Error() +
		" (nothing more is sent until it can be saved; the IDs so far are printed when you quit)"
}

func (e *saveError) Unwrap() error { return e.err }

// recorder keeps the client's exchanges (already redacted) so each result
// can carry the HTTP traffic it caused to the inspector.
type recorder struct {
	mu  sync.Mutex
	all []api.Exchange
}

func (r *recorder) add(e api.Exchange) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.all = append(r.all, e)
	if len(r.all) > 200 { // an order followed for minutes must not grow without bound
		r.all = append([]api.Exchange(nil), r.all[100:]...)
	}
}

func (r *recorder) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.all)
}

func (r *recorder) since(mark int) []api.Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	if mark > len(r.all) {
		mark = 0
	}
	return append([]api.Exchange(nil), r.all[mark:]...)
}

// sandboxReadyMsg arrives when the in-process sandbox listens.
type sandboxReadyMsg struct {
	baseURL string
	err     error
}

// stateLoadedMsg carries what the session file held.
type stateLoadedMsg struct {
	path    string
	session *flow.Session
	err     error
}

// waitedMsg ends a wait before a call (following an order).
type waitedMsg struct {
	seq  int
	call *flow.Call
}

// formDoneMsg is sent by a screen's form when it is submitted.
type formDoneMsg struct{}

func formDone() tea.Msg { return formDoneMsg{} }
