// Package accessible is the onboarding for screen readers and plain
// terminals (--accessible, ACCESSIBLE=1, TERM=dumb): the same engine as the
// full-screen wizard and the headless run, driven by plain prompts, one
// question per line, nothing redrawn. It is huh's accessible mode in
// spirit, as its own small loop: every prompt says its title, its
// description and what Enter keeps; secrets are read with echo off; ctrl+c
// or ctrl+d at any prompt ends the run at once with the terminal as it was.
package accessible

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/webhook"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// Options configure an accessible run.
type Options struct {
	BaseURL      string
	Sandbox      bool
	StartSandbox func() (string, error)
	Credentials  api.Credentials
	AccountID    string
	StatePath    string
	// ClientOptions are added to the API client's.
	ClientOptions []api.Option
	Order         flow.OrderSchedule
	// DeliveryTimeout bounds the wait for delivery reports (sandbox);
	// 20s when zero.
	DeliveryTimeout time.Duration
	DemoSuffix      string
}

// ErrInterrupted is ctrl+c or ctrl+d at a prompt: the command exits 130.
var ErrInterrupted = errors.New("interrupted")

// Run walks the onboarding with plain prompts on in and out. It returns
// the session (for the summary) and ErrInterrupted, a *flow.StepError, or
// nil.
func Run(ctx context.Context, opts Options, in io.Reader, out io.Writer) (*flow.Session, error) {
	if opts.DemoSuffix == "" {
		var b [3]byte
		_, _ = rand.Read(b[:])
		opts.DemoSuffix = hex.EncodeToString(b[:]) // the demo email is unique on a sandbox that outlives one run
	}
	r := &run{opts: opts, p: newPrompter(in, out), out: out}
	err := r.run(ctx)
	if r.receiver != nil {
		_ = r.receiver.Close()
	}
	return r.session, err
}

type run struct {
	opts     Options
	p        *prompter
	out      io.Writer
	eng      *flow.Engine
	session  *flow.Session
	path     string
	receiver *webhook.Running
}

func (r *run) say(format string, a ...any) { fmt.Fprintf(r.out, format+"\n", a...) }

func (r *run) run(ctx context.Context) error {
	opts := r.opts
	base := opts.BaseURL
	defaults := flow.LiveDefaults()
	if opts.Sandbox {
		if opts.StartSandbox != nil {
			u, err := opts.StartSandbox()
			if err != nil {
				return fmt.Errorf("the sandbox could not start: %w", err)
			}
			base = u
		}
		r.say("SANDBOX at %s: demo data, nothing is bought.", base)
		hook := ""
		if rec, auth, err := startReceiver(); err == nil {
			r.receiver, hook = rec, rec.URL
			defaults = flow.DemoDefaults(hook, opts.DemoSuffix)
			defaults.MessageRoute.MessageUsername, defaults.MessageRoute.MessagePasswordToken = auth.User, auth.Pass
			defaults.MessageRoute.CallbackMessageUsername, defaults.MessageRoute.CallbackMessagePasswordToken = auth.User, auth.Pass
		} else {
			defaults = flow.DemoDefaults("", opts.DemoSuffix)
		}
	} else {
		r.say("LIVE: %s", base)
	}
	r.session = flow.NewSession(base, opts.AccountID, time.Now())
	r.eng = &flow.Engine{Session: r.session, Sandbox: opts.Sandbox, Defaults: defaults, Order: opts.Order,
		NewClient: func(c api.Credentials) (*api.Client, error) { return api.New(base, c, opts.ClientOptions...) }}
	e := r.eng
	typed := flow.Values{"AccountKey": opts.Credentials.AccountKey, "AccountSecret": opts.Credentials.AccountSecret, "AccountId": opts.AccountID}

	n := flow.Next{Kind: flow.Input, Step: flow.Credentials}
	for {
		if n.Save {
			if err := r.save(n.BackupFirst, n.Durable()); err != nil {
				return err
			}
		}
		if n.Note != "" && n.Kind != flow.Advance {
			r.say("%s", n.Note)
		}
		var err error
		switch n.Kind {
		case flow.Input:
			n, typed, err = r.input(ctx, n, typed)
		case flow.Send, flow.Wait:
			n, err = r.call(ctx, n)
		case flow.Ask:
			n, err = r.ask(ctx, n.Question)
		case flow.Pick:
			n, err = r.pick(ctx)
		case flow.Open:
			r.path, err = flow.SessionPath(opts.StatePath, opts.Sandbox, base, r.session.AccountID)
			if err != nil {
				return err
			}
			loaded, lerr := (*flow.Session)(nil), flow.ErrNoSession
			if r.path != "" {
				loaded, lerr = flow.LoadSession(r.path)
			}
			n = e.Open(r.path, loaded, lerr)
		case flow.Advance:
			if n.Step == flow.Credentials && n.Note == "resumed" {
				n = e.Enter(r.session.FirstOpen())
				continue
			}
			if err = r.finished(ctx, n); err != nil {
				return err
			}
			if n.Step+1 >= flow.NumSteps {
				r.say("\nAll seven steps are done; the summary follows.")
				return nil
			}
			n = e.Enter(n.Step + 1)
		case flow.Back:
			n = e.Enter(max(n.Step-1, flow.MessageRoute))
		case flow.Fail:
			n, err = r.failed(ctx, n.Err)
		case flow.Quit:
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func (r *run) save(backup, durable bool) error {
	if r.path == "" {
		return nil
	}
	if backup {
		if old, err := flow.Backup(r.path, time.Now()); err == nil {
			r.say("The earlier session is kept as %s.", old)
		}
	}
	if err := r.session.SaveAs(r.path, time.Now(), durable); err != nil {
		return &flow.StepError{Step: r.session.FirstOpen(), Reason: flow.ReasonFailure, Err: err,
			Hint: "the session file could not be written, so nothing more is sent; fix the path (--state) and run again"}
	}
	return nil
}

// input asks a step's form, field by field, and submits it.
func (r *run) input(ctx context.Context, n flow.Next, typed flow.Values) (flow.Next, flow.Values, error) {
	e, step := r.eng, n.Step
	if n.Err != nil {
		r.say("✗ %s", n.Err.Err)
	}
	if n.Note == "adopt" {
		r.say("\n== Step 5 of 7: adopt the existing subscriber (GET /v1.0/subscribers/get)")
		v := flow.Values{}
		if err := r.askGroups(ctx, flow.Subscriber, flow.AdoptSubscriberForm(), v); err != nil {
			return n, typed, err
		}
		return e.AdoptSubscriber(v["SubscriberId"]), typed, nil
	}
	r.say("\n== Step %d of %d: %s (%s)", step+1, flow.NumSteps, step.Title(), step.Endpoint())
	var v flow.Values
	switch {
	case step == flow.Credentials:
		v = typed
	case (n.Err != nil || n.Note == "edit") && typed != nil:
		v = typed // what was refused, or is to be changed
	default:
		v = flow.ValuesOf(e.Draft(step))
		if step == flow.VoiceRoute {
			v.SetBool(flow.ConfigureVoice, e.Defaults.ConfigureVoice || r.session.Status(flow.VoiceRoute) == flow.Done)
		}
	}
	if err := r.askGroups(ctx, step, flow.FormOf(step, r.session), v); err != nil {
		return n, v, err
	}
	if step == flow.Credentials {
		return e.Submit(step, flow.CredentialsInput{AccountKey: v["AccountKey"], AccountSecret: v["AccountSecret"], AccountId: v["AccountId"]}), v, nil
	}
	if step == flow.VoiceRoute && !v.Bool(flow.ConfigureVoice) {
		return e.Skip(step), v, nil
	}
	return e.Submit(step, flow.RequestOf(step, v, e.Draft(step))), v, nil
}

// askGroups asks every field of the groups shown for the values so far.
func (r *run) askGroups(ctx context.Context, step flow.Step, groups []flow.Group, v flow.Values) error {
	for _, g := range groups {
		if g.Hide != nil && g.Hide(v) {
			continue
		}
		if g.Title != "" && !strings.HasPrefix(g.Title, "Step ") {
			r.say("-- %s", g.Title)
		}
		for _, f := range g.Fields {
			if err := r.p.field(ctx, step, f, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// call makes the engine's call, waiting first when it says so.
func (r *run) call(ctx context.Context, n flow.Next) (flow.Next, error) {
	if n.Kind == flow.Wait && n.Delay > 0 {
		r.say("Order %s is %s; checking again in %s…", r.session.IDs.OrderID, r.session.IDs.OrderStatus, n.Delay.Round(100*time.Millisecond))
		t := time.NewTimer(n.Delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return n, ErrInterrupted
		case <-t.C:
		}
	} else {
		r.say("%s", n.Call.Label)
	}
	res := n.Call.Run(ctx, r.eng.Client)
	if ctx.Err() != nil {
		return n, ErrInterrupted
	}
	return r.eng.Settle(res), nil
}

// ask puts one of the engine's questions.
func (r *run) ask(ctx context.Context, q *flow.Question) (flow.Next, error) {
	r.say("\n%s", q.Title)
	r.say("%s", q.Text)
	labels := make([]string, len(q.Choices))
	for i, c := range q.Choices {
		labels[i] = c.Label
	}
	i, err := r.p.choose(ctx, "Your choice", labels, q.Default)
	if err != nil {
		return flow.Next{}, err
	}
	return r.eng.Answer(q, q.Choices[i].Value), nil
}

// pick lists the areas found and takes one.
func (r *run) pick(ctx context.Context) (flow.Next, error) {
	s := r.session
	if len(s.Areas) == 0 {
		r.say("No numbers are available there. Try another area code or zip code, or leave both blank for any area.")
		return flow.Next{Kind: flow.Input, Step: flow.Availability}, nil
	}
	r.say("ResultsTotal: %d numbers available in %d areas.", s.IDs.ResultsTotal, len(s.Areas))
	labels := []string{"Search again"}
	for _, a := range s.Areas {
		labels = append(labels, fmt.Sprintf("area code %d, zip %s (%s)", int(a.AreaCode), a.Zipcode, a.NGP))
	}
	i, err := r.p.choose(ctx, "Where should the number come from?", labels, 1)
	if err != nil {
		return flow.Next{}, err
	}
	if i == 0 {
		return flow.Next{Kind: flow.Input, Step: flow.Availability}, nil
	}
	return r.eng.PickArea(s.Areas[i-1]), nil
}

// failed reads an error out with its remedy and asks what to do.
func (r *run) failed(ctx context.Context, se *flow.StepError) (flow.Next, error) {
	if se.Reason == flow.ReasonInterrupted {
		return flow.Next{}, ErrInterrupted
	}
	r.say("\n✗ %s: %s", flow.StepName(se.Step), se.Err)
	if rem := se.Remedy(); rem != "" {
		r.say("What to do: %s", rem)
	}
	type option struct {
		label string
		next  func() flow.Next
	}
	var options []option
	if se.SearchAgain {
		options = append(options, option{"Search availability again", func() flow.Next { return flow.Next{Kind: flow.Input, Step: flow.Availability} }})
	}
	if se.CanRetry() {
		options = append(options, option{"Retry", func() flow.Next { return r.eng.Retry(se) }})
	}
	options = append(options, option{"Edit", func() flow.Next { return flow.Next{Kind: flow.Input, Step: se.Step, Err: se} }})
	if se.Step > flow.Credentials {
		options = append(options, option{"Back", func() flow.Next { return flow.Next{Kind: flow.Back, Step: se.Step} }})
	}
	options = append(options, option{"Quit", func() flow.Next { return flow.Next{Kind: flow.Quit} }})
	labels := make([]string, len(options))
	for i, o := range options {
		labels[i] = o.label
	}
	i, err := r.p.choose(ctx, "What next?", labels, 0)
	if err != nil {
		return flow.Next{}, err
	}
	return options[i].next(), nil
}

// finished reads out what a step produced.
func (r *run) finished(ctx context.Context, n flow.Next) error {
	s := r.session
	step := n.Step
	switch step {
	case flow.Credentials:
		if n.Note == "" || n.Note == "started over" {
			r.say("✓ Authenticated: AccountId %s", s.AccountID)
		}
		return nil
	case flow.Provision:
		ids := s.IDs
		r.say("\nYour number: %s", ids.PhoneNumber)
		r.say("PhoneNumberId: %s", ids.PhoneNumberID)
		r.say("OrderId: %s (%s)", ids.OrderID, ids.OrderStatus)
		if code := api.ActivationCode(ids.QRCode); code != "" {
			r.say("eSIM activation string: %s", code)
			if path, err := r.writeQR(code); err == nil {
				r.say("The eSIM QR code is saved as a picture: %s", path)
			}
		}
		return nil
	case flow.TestMessage:
		r.say("\nTest SMS sent: MessageId %s", s.IDs.MessageID)
		for _, rc := range s.IDs.Recipients {
			r.say("  to %s: %s", rc.Number, orWord(rc.Status, "sent"))
		}
		return r.waitForDelivery(ctx)
	}
	line := "✓ " + step.Title()
	if id := s.ID(step); id != "" {
		line += ": " + id
	}
	if n.Note != "" {
		line += " (" + n.Note + ")"
	}
	r.say("%s", line)
	return nil
}

// writeQR saves the eSIM QR code as a PNG beside the session file (or in
// the temporary directory), for a screen reader user to open or share.
func (r *run) writeQR(code string) (string, error) {
	dir := os.TempDir()
	if r.path != "" {
		dir = filepath.Dir(r.path)
	}
	name := "telegent-esim-" + strings.Trim(unsafeName(r.session.IDs.PhoneNumberID), "-") + ".png"
	path := filepath.Join(dir, name)
	return path, qrcode.WriteFile(code, qrcode.Medium, 512, path)
}

func unsafeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' {
			return r
		}
		return '-'
	}, s)
}

func orWord(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
