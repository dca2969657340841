package wizard

import (
	"context"
	"errors"
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

// shared is what every screen works with: the session, the client, the
// styles and the one request that may be in flight. Screens hold a pointer
// to it; only the root changes the layout fields.
type shared struct {
	opts     Options
	styles   styles.Styles
	theme    huh.Theme
	keys     keyMap
	formKeys *huh.KeyMap
	session  *flow.Session
	defaults flow.Defaults
	client   *api.Client
	baseURL  string // empty until the sandbox has started
	ready    bool   // the API can be called
	rec      *recorder

	// The content area a screen draws in.
	width, height int

	// The request in flight, if any.
	busy    *request
	seq     int
	cancel  context.CancelFunc
	spinner spinner.Model

	exchanges map[flow.Step][]api.Exchange // the last request's HTTP traffic, per step
	statePath string                       // the session file; empty: nothing is saved
	receiver  *webhook.Running             // the in-process webhook receiver (sandbox mode)
	saving    bool                         // a save is being written; the next step waits for it
	loading   bool                         // the session file is being read

	// handled is set by a result handler that answered an error itself (with
	// a question), so the root shows no error panel for it.
	handled bool

	// sync runs requests, saves and loads in place instead of in commands,
	// handing their results to dispatch: the accessible mode has no event
	// loop, only prompts, one after another.
	sync      bool
	dispatch  func(tea.Msg)
	say       func(string)
	ctx       context.Context
	question  *question // a yes/no panel awaiting an answer
	advancing bool      // set by advance, consumed by the root
}

func (sh *shared) now() time.Time { return sh.opts.Now() }

// para wraps prose to the content width. Screens wrap their own text: the
// frame only clips, to keep every keystroke cheap.
func (sh *shared) para(style lipgloss.Style, text string) string {
	return style.Width(sh.width).Render(text)
}

// request is one API call a screen wants made. do runs in a tea.Cmd (the only
// place with I/O); done runs back in Update to record the outcome.
type request struct {
	step  flow.Step
	label string // shown beside the spinner: "Creating the message route…"
	// quiet requests (following an order) keep the screen and its keys
	// live; the screen shows the progress itself.
	quiet bool
	// create marks a request that may create a resource: the step is saved
	// as in flight before it is sent, and the outcome saved after.
	create bool
	// persist saves the session after the result (an order's new status).
	persist bool
	// input is the body a create sends, stored in the session before it is
	// marked in flight so an unknown outcome can be looked up by it.
	input any
	do    func(ctx context.Context) (any, error)
	done  func(v any, err error) tea.Cmd
}

// createRequest is the request of a step that creates a resource: send req
// with call, record the outcome with record, and move on once it succeeded.
// call is a method expression such as (*api.Client).CreateMessageRoute: the
// client exists only after authenticating.
func createRequest[Req, Resp any](sh *shared, step flow.Step, label string, req Req,
	call func(*api.Client, context.Context, Req) (*Resp, error),
	record func(Req, *Resp, error, time.Time)) *request {
	return &request{
		step: step, create: true, input: req, label: label,
		do: func(ctx context.Context) (any, error) { return call(sh.client, ctx, req) },
		done: func(v any, err error) tea.Cmd {
			resp, _ := v.(*Resp)
			record(req, resp, err, sh.now())
			if err != nil {
				return nil
			}
			return sh.advance()
		},
	}
}

type resultMsg struct {
	seq       int
	req       *request
	value     any
	err       error
	exchanges []api.Exchange
}

// run starts a request: a spinner, a cancellable context, and the call in a
// command. A result that arrives after a newer request started is dropped.
func (sh *shared) run(req *request) tea.Cmd {
	if sh.cancel != nil {
		sh.cancel()
	}
	base := context.Background()
	if sh.sync {
		base = sh.ctx
	}
	ctx, cancel := context.WithCancel(base)
	sh.seq++
	seq := sh.seq
	sh.busy, sh.cancel = req, cancel
	mark := sh.rec.len()
	// Before a create is sent, the session file says it is in flight: a
	// crash during the call leaves a trace to reconcile, not a blank.
	var inFlight []byte
	if req.input != nil {
		sh.session.SetInput(req.step, req.input)
	}
	if req.create && sh.statePath != "" {
		sh.session.MarkInFlight(req.step, sh.now())
		inFlight, _ = sh.session.Encode(sh.now())
	}
	path := sh.statePath
	if sh.sync {
		sh.say(req.label)
	}
	call := func() tea.Msg {
		if inFlight != nil {
			if err := flow.WriteState(path, inFlight); err != nil {
				return resultMsg{seq: seq, req: req, err: &saveError{path: path, err: err, before: true}}
			}
		}
		v, err := req.do(ctx)
		return resultMsg{seq: seq, req: req, value: v, err: err, exchanges: sh.rec.since(mark)}
	}
	if sh.sync {
		sh.dispatch(call())
		return nil
	}
	return tea.Batch(call, sh.spinner.Tick)
}

// settle ends the request a result belongs to; false for a stale result.
func (sh *shared) settle(msg resultMsg) bool {
	if msg.seq != sh.seq || sh.busy == nil {
		return false
	}
	sh.busy = nil
	if sh.cancel != nil {
		sh.cancel()
		sh.cancel = nil
	}
	if len(msg.exchanges) > 0 {
		sh.exchanges[msg.req.step] = msg.exchanges
	}
	return true
}

// abort cancels the request in flight (ctrl+c).
func (sh *shared) abort() {
	if sh.cancel != nil {
		sh.cancel()
	}
	sh.busy = nil
}

func isCancel(err error) bool { return errors.Is(err, context.Canceled) }

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

// advance says the current step is finished. The root moves on within the
// same Update, so no frame (and no key) falls between a result and the next
// screen.
func (sh *shared) advance() tea.Cmd {
	sh.advancing = true
	return nil
}

// advanceMsg does the same from a command (an answered question).
type advanceMsg struct{}

func advance() tea.Msg { return advanceMsg{} }

// backMsg asks for the previous step.
type backMsg struct{}

func back() tea.Msg { return backMsg{} }

// formDoneMsg is sent by a screen's form when it is submitted.
type formDoneMsg struct{}

func formDone() tea.Msg { return formDoneMsg{} }

// save writes the session file in the background. then runs after the
// write, so moving on waits until the IDs are on disk.
func (sh *shared) save(advanceAfter bool) tea.Cmd {
	if sh.statePath == "" {
		if advanceAfter {
			return sh.advance()
		}
		return nil
	}
	data, err := sh.session.Encode(sh.now())
	path := sh.statePath
	sh.saving = true
	write := func() tea.Msg {
		if err == nil {
			err = flow.WriteState(path, data)
		}
		return savedMsg{err: err, path: path, advance: advanceAfter}
	}
	if sh.sync {
		sh.dispatch(write())
		return nil
	}
	return write
}

type savedMsg struct {
	err     error
	path    string
	advance bool
}

// saveError is a session file that could not be written.
type saveError struct {
	path   string
	err    error
	before bool // before the request: nothing was sent
}

func (e *saveError) Error() string {
	if e.before {
		return "could not save the session to " + e.path + " before sending, so nothing was sent: " + e.err.Error()
	}
	return "could not save the session to " + e.path + ": " + e.err.Error() + " (the IDs so far are on screen and will be printed when you quit)"
}

func (e *saveError) Unwrap() error { return e.err }

// sandboxReadyMsg arrives when the in-process sandbox listens.
type sandboxReadyMsg struct {
	baseURL string
	err     error
}
