package flow

import (
	"reflect"
	"strings"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/webhook"
	"github.com/telegent/telegent-onboard/api/webhook/check"
)

// Proving the route's webhooks before the route is created: which URLs to
// check, with which credentials and events, and what a failed check means
// for the create. The wizard's panel, a headless run and the `webhook
// test` command run the same checklist (package check); the rules about it
// live here once.

// WebhookTarget is one URL a message route sends events to.
type WebhookTarget struct {
	URL   string
	Opts  check.Options
	Label string // "MessageUrl", "CallbackMessageUrl", or both
}

// WebhookTargets are the URLs of a message route request, each with the
// method, credentials and kinds of event Telegent will send it. A URL that
// serves both (same URL, method and credentials) is checked once.
func WebhookTargets(req api.MessageRouteRequest, sandbox bool) []WebhookTarget {
	auth := func(typ, user, pass string) webhook.Auth {
		switch typ {
		case api.AuthBasic:
			return webhook.Auth{Kind: "basic", User: user, Pass: pass}
		case api.AuthBearer:
			return webhook.Auth{Kind: "bearer", Token: pass}
		}
		return webhook.Auth{Kind: "none"}
	}
	inbound := WebhookTarget{URL: strings.TrimSpace(req.MessageUrl), Label: "MessageUrl", Opts: check.Options{
		Method: req.MessageUrlMethod, Sandbox: sandbox, Kinds: []check.Kind{check.KindInbound},
		Auth: auth(req.MessageAuthenticationType, req.MessageUsername, req.MessagePasswordToken)}}
	var out []WebhookTarget
	if inbound.URL != "" {
		out = append(out, inbound)
	}
	cb := strings.TrimSpace(req.CallbackMessageUrl)
	if cb == "" {
		return out
	}
	reports := check.Options{Method: req.CallbackMessageUrlMethod, Sandbox: sandbox, Kinds: []check.Kind{check.KindDeliveryReport},
		Auth: auth(req.CallbackMessageAuthenticationType, req.CallbackMessageUsername, req.CallbackMessagePasswordToken)}
	if len(out) == 1 && cb == inbound.URL && strings.EqualFold(reports.Method, inbound.Opts.Method) && reports.Auth == inbound.Opts.Auth {
		out[0].Opts.Kinds = check.AllKinds
		out[0].Label = "MessageUrl and CallbackMessageUrl"
		return out
	}
	return append(out, WebhookTarget{URL: cb, Opts: reports, Label: "CallbackMessageUrl"})
}

// webhookCheck is the last checklist run for a route's input.
type webhookCheck struct {
	input   api.MessageRouteRequest
	failed  []string // "MessageUrl: TLS" …
	accept  bool     // the person chose to create it anyway
	checked bool
}

// NoteWebhookCheck records a checklist's reports for req, so that creating
// a route whose webhook failed a check asks first.
func (e *Engine) NoteWebhookCheck(req api.MessageRouteRequest, targets []WebhookTarget, reports []check.Report) {
	req = e.Session.shape(MessageRoute, req).(api.MessageRouteRequest)
	w := webhookCheck{input: req, checked: true}
	for i, rep := range reports {
		for _, r := range rep.Checks {
			if r.Status == check.StatusFail {
				w.failed = append(w.failed, targets[i].Label+": "+r.Name)
			}
		}
	}
	e.webhook = w
}

// WebhookFailures are the failed checks of the last checklist run for req
// (nil when none failed, or none ran for this input).
func (e *Engine) WebhookFailures(req api.MessageRouteRequest) []string {
	req = e.Session.shape(MessageRoute, req).(api.MessageRouteRequest)
	if !e.webhook.checked || !reflect.DeepEqual(e.webhook.input, req) {
		return nil
	}
	return e.webhook.failed
}

func createAnywayQuestion(failed []string) *Question {
	return &Question{ID: QCreateAnyway, Step: MessageRoute, Title: "Create it anyway?", Default: 1,
		Text: "The webhook failed " + plural(len(failed), "check") + ": " + strings.Join(failed, "; ") +
			". Telegent would send messages where they cannot be received, and nobody would see why.",
		Choices: []QuestionChoice{{ChoiceCreate, "Create it anyway", "y"}, {ChoiceEdit, "Fix it", "n"}}}
}
