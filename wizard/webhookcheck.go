package wizard

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/webhook/check"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// The webhook check panel: on the message route screen, before the route
// is created, `t` proves the URLs typed in (package check, the same
// checklist as `telegent-onboard webhook test`), each check appearing as it
// completes. The engine keeps the outcome: creating a route whose webhook
// failed a check asks first.

// checkWebhookMsg asks the root to open the panel for a route's input.
type checkWebhookMsg struct{ req api.MessageRouteRequest }

// webhookResultMsg is one check done (ok false: the target's list is done).
type webhookResultMsg struct {
	seq    int
	target int
	result check.Result
	ok     bool
}

type webhookPanel struct {
	req     api.MessageRouteRequest
	targets []flow.WebhookTarget
	checks  []*check.Checker
	rows    [][]check.Result
	reports []check.Report
	cur     int
	seq     int
	ctx     context.Context
	cancel  context.CancelFunc
	done    bool
	failed  int
}

// openWebhookPanel builds the checklist and runs its first check.
func (m *Model) openWebhookPanel(req api.MessageRouteRequest) tea.Cmd {
	sh := m.sh
	req = sh.session.MessageRouteRequest(req)
	p := &webhookPanel{req: req, targets: flow.WebhookTargets(req, sh.opts.Sandbox)}
	for i, t := range p.targets {
		if adjust := sh.opts.WebhookOptions; adjust != nil {
			adjust(&t.Opts)
			p.targets[i] = t
		}
		c, err := check.New(t.URL, t.Opts)
		if err != nil {
			continue // bad options only; the URL itself is the first check
		}
		p.checks = append(p.checks, c)
		p.rows = append(p.rows, c.Plan())
	}
	p.targets = p.targets[:len(p.checks)]
	p.reports = make([]check.Report, len(p.checks))
	p.ctx, p.cancel = context.WithCancel(context.Background())
	m.webhookSeq++
	p.seq = m.webhookSeq
	m.overlays.webhook = p
	if len(p.checks) == 0 {
		p.done = true
		return nil
	}
	return tea.Batch(p.next(), sh.spinner.Tick)
}

// next runs the current target's next check in a command.
func (p *webhookPanel) next() tea.Cmd {
	c, ctx, seq, target := p.checks[p.cur], p.ctx, p.seq, p.cur
	return func() tea.Msg {
		r, ok := c.Next(ctx)
		return webhookResultMsg{seq: seq, target: target, result: r, ok: ok}
	}
}

// result takes one check's outcome and starts the next; at the end the
// engine learns the outcome.
func (m *Model) webhookResult(msg webhookResultMsg) tea.Cmd {
	p := m.overlays.webhook
	if p == nil || msg.seq != p.seq || p.done {
		return nil
	}
	if msg.ok {
		p.rows[msg.target][msg.result.Index] = msg.result
		if msg.result.Status == check.StatusFail {
			p.failed++
		}
		return p.next()
	}
	p.reports[msg.target] = p.checks[msg.target].Report()
	if p.cur+1 < len(p.checks) {
		p.cur++
		return p.next()
	}
	p.done = true
	p.cancel()
	m.sh.eng.NoteWebhookCheck(p.req, p.targets, p.reports)
	return nil
}

func (p *webhookPanel) helpMode() int { return 6 }

func (p *webhookPanel) handleKey(m *Model, msg tea.KeyPressMsg) (*action, bool) {
	switch msg.String() {
	case "esc", "enter", "q":
		p.cancel() // a check still running ends at once
		m.overlays.webhook = nil
	}
	return nil, true
}

func (p *webhookPanel) keys(m *Model) []key.Binding {
	label := "close"
	if !p.done {
		label = "stop"
	}
	return []key.Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc/enter", label)), m.sh.keys.Quit}
}

func (p *webhookPanel) view(m *Model) string {
	sh := m.sh
	st := sh.styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Checking your webhook") + "\n")
	for i, t := range p.targets {
		b.WriteString("\n" + st.Key.Render(t.Label) + "\n" + wrapStyled(st.Value, check.DisplayURL(t.URL), sh.width) + "\n")
		for _, r := range p.rows[i] {
			mark := r.Status.Mark()
			style := st.Muted
			switch r.Status {
			case check.StatusPass:
				style = st.Success
			case check.StatusWarn:
				style = st.Warning
			case check.StatusFail:
				style = st.Error
			case check.StatusPending:
				if i == p.cur && !p.done {
					mark = sh.spinner.View()
				}
			}
			line := mark + " " + r.Name
			if r.Detail != "" {
				line += ": " + r.Detail
			}
			b.WriteString(sh.para(style, line) + "\n")
			if r.Remedy != "" && (r.Status == check.StatusFail || r.Status == check.StatusWarn) {
				b.WriteString(sh.para(st.Muted, "   "+r.Remedy) + "\n")
			}
		}
	}
	b.WriteString("\n")
	switch {
	case !p.done:
		b.WriteString(st.Muted.Render("Checking… esc stops"))
	case p.failed > 0:
		b.WriteString(sh.para(st.Error, count(p.failed, "check")+" failed: fix the route before creating it, or it will ask first."))
	default:
		b.WriteString(sh.para(st.Success, "Every check passed: Telegent can reach your webhook."))
	}
	return b.String()
}
