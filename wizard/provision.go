package wizard

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// provisionScreen buys the number with everything carried forward, follows
// its order until it completes, and shows the number, its IDs and, for an
// eSIM, the QR code of its activation string.
type provisionScreen struct {
	formScreen
	d          api.ProvisionRequest
	showResult bool
	qr         string // rendered once when the result arrives, not per frame
	orderSince time.Time
	timedOut   bool
}

func newProvisionScreen(sh *shared) *provisionScreen {
	return &provisionScreen{formScreen: formScreen{sh: sh}, d: sh.defaults.Provision}
}

func (s *provisionScreen) Enter() tea.Cmd {
	sess := s.sh.session
	if sess.Status(flow.Provision) == flow.Done || sess.IDs.OrderID != "" {
		s.showResult = true
		s.renderQR()
		if sess.OrderPhase() == api.OrderInProgress && !s.timedOut {
			return s.followOrder()
		}
		return nil
	}
	s.showResult = false
	if prev := sess.Inputs.Provision; prev != nil {
		s.d = *prev
	}
	// The area comes from the pick, unless the user typed one here.
	if a := sess.IDs.PickedArea; a != nil && sess.Inputs.Provision == nil {
		s.d.AreaCode, s.d.ZipCode = fmt.Sprint(int(a.AreaCode)), string(a.Zipcode)
	}
	s.d.VoiceEnabled = s.d.VoiceEnabled && sess.VoiceReady()
	d := &s.d
	carried := fmt.Sprintf("MRID   %s\nCRID   %s\nTSUID  %s", orNone(sess.IDs.MessageRouteID),
		orNone(sess.ID(flow.VoiceRoute)), orNone(sess.IDs.SubscriberID))
	products := options(api.ProductTypes...)
	return s.build(
		huh.NewGroup(
			huh.NewNote().Title("Carried forward").Description(carried),
			huh.NewSelect[string]().Title("NumberType").
				Options(huh.NewOption("mvno: messaging and voice", "mvno"), huh.NewOption("iot: data and p2p messaging only", "iot")).
				Value(&d.NumberType),
		).Title("Step 6 · Provision").Description(flow.Provision.Endpoint()),
		s.hideWhen(huh.NewGroup(
			huh.NewSelect[string]().Title("MessageType").
				Options(huh.NewOption("p2p: person to person", "p2p"), huh.NewOption("a2p: application to person", "a2p")).Value(&d.MessageType),
		).Title("Messaging"), func() bool { return d.NumberType == "iot" }),
		s.hideWhen(huh.NewGroup(
			huh.NewNote().Title("MessageType: p2p").Description("iot numbers are p2p only: they cannot be provisioned as a2p."),
		).Title("Messaging"), func() bool { return d.NumberType != "iot" }),
		huh.NewGroup(
			huh.NewConfirm().Title("MessageEnabled").Value(&d.MessageEnabled),
			huh.NewConfirm().Title("VoiceEnabled").Description("Needs the voice route of step 3.").Value(&d.VoiceEnabled).
				Validate(func(on bool) error {
					if on && !sess.VoiceReady() {
						return fmt.Errorf("voice needs a voice route: go back to step 3, or leave this off")
					}
					return nil
				}),
			huh.NewSelect[string]().Title("ProductType").Options(products...).Value(&d.ProductType),
		).Title("Capabilities"),
		huh.NewGroup(
			huh.NewInput().Title("ICCID").Description("Only for a physical SIM (19–20 digits). Blank: an eSIM with a QR code.").
				Value(&d.ICCID).Validate(optional("ICCID", isICCID)),
			huh.NewInput().Title("AreaCode").Description("From your pick in step 4.").Value(&d.AreaCode).Validate(s.sh.keep(&d.AreaCode, optional("AreaCode", isArea))),
			huh.NewInput().Title("ZipCode").Value(&d.ZipCode).Validate(s.sh.keep(&d.ZipCode, optional("ZipCode", isZip))),
		).Title("SIM and area"),
	)
}

func orNone(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func (s *provisionScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg.(type) {
	case formDoneMsg:
		return s.confirmPurchase()
	case pollOrderMsg:
		return s.pollOrder()
	}
	return s.formOrResult(s.showResult, msg)
}

func (s *provisionScreen) request() api.ProvisionRequest {
	d := s.d
	d.ICCID, d.AreaCode, d.ZipCode = strings.TrimSpace(d.ICCID), strings.TrimSpace(d.AreaCode), strings.TrimSpace(d.ZipCode)
	return s.sh.session.ProvisionRequest(d)
}

// confirmPurchase asks before buying on a live account; the sandbox buys
// nothing, so the demo path goes straight on.
func (s *provisionScreen) confirmPurchase() tea.Cmd {
	sh := s.sh
	req := s.request()
	provision := &request{
		step:   flow.Provision,
		create: true,
		input:  req,
		label:  "Provisioning the number…",
		do: func(ctx context.Context) (any, error) {
			return sh.client.ProvisionNumber(ctx, req)
		},
		done: func(v any, err error) tea.Cmd {
			resp, _ := v.(*api.ProvisionResponse)
			sh.session.RecordProvision(req, resp, err, sh.now())
			if err != nil {
				return nil
			}
			s.showResult = true
			s.renderQR()
			s.orderSince, s.timedOut = sh.now(), false
			if sh.session.OrderPhase() == api.OrderInProgress {
				return s.followOrder()
			}
			return nil
		},
	}
	if sh.opts.Sandbox {
		return sh.run(provision)
	}
	where := "any area"
	if req.AreaCode != "" || req.ZipCode != "" {
		where = strings.Trim(req.AreaCode+" / "+req.ZipCode, " /")
	}
	return sh.ask(yesNo("Buy a number?",
		fmt.Sprintf("This purchases a %s number (%s, %s) on account %s, and it is billed like any other.",
			req.NumberType, req.ProductType, where, sh.session.AccountID),
		"Buy the number", "Not now", func() tea.Msg { return runMsg{provision} }, edit))
}

// pollOrderMsg asks for another look at a pending order.
type pollOrderMsg struct{}

func (s *provisionScreen) followOrder() tea.Cmd {
	if s.sh.sync {
		s.sh.say("Order " + s.sh.session.IDs.OrderID + " is " + s.sh.session.IDs.OrderStatus + "; checking again…")
		select {
		case <-time.After(s.sh.opts.OrderPollInterval):
			return s.pollOrder()
		case <-s.sh.ctx.Done():
			return nil
		}
	}
	return tea.Tick(s.sh.opts.OrderPollInterval, func(time.Time) tea.Msg { return pollOrderMsg{} })
}

func (s *provisionScreen) pollOrder() tea.Cmd {
	sh := s.sh
	orderID := sh.session.IDs.OrderID
	if orderID == "" {
		return nil
	}
	return sh.run(&request{
		step:    flow.Provision,
		quiet:   true,
		persist: true,
		label:   "Waiting for order " + orderID + " to complete…",
		do: func(ctx context.Context) (any, error) {
			return sh.client.GetOrder(ctx, orderID)
		},
		done: func(v any, err error) tea.Cmd {
			o, _ := v.(*api.Order)
			sh.session.RecordOrder(o, err, sh.now())
			if err != nil || sh.session.OrderPhase() != api.OrderInProgress {
				return nil
			}
			if sh.now().Sub(s.orderSince) > sh.opts.OrderTimeout {
				s.timedOut = true // nothing waits forever: the user may go on
				return nil
			}
			return s.followOrder()
		},
	})
}

func (s *provisionScreen) renderQR() {
	s.qr = ""
	code := api.ActivationCode(s.sh.session.IDs.QRCode)
	if code == "" {
		return
	}
	if qr, err := renderQR(code, s.sh.styles.IsDark); err == nil {
		s.qr = qr
	}
}

func (s *provisionScreen) View() string {
	if !s.showResult {
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
		if s.timedOut {
			status += st.Muted.Render(" (still pending; it will complete on its own)")
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
	return title + body + "\n" + st.Muted.Render("enter: send a test SMS")
}

func (s *provisionScreen) Resize(w, h int) { s.resize(w, h) }
func (s *provisionScreen) AtStart() bool   { return s.showResult || s.atStart() }
func (s *provisionScreen) Typing() bool    { return !s.showResult && s.typing() }
func (s *provisionScreen) Keys() []key.Binding {
	return []key.Binding{s.sh.keys.Next}
}
