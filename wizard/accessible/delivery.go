package accessible

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/telegent/telegent-onboard/api/webhook"
)

// In sandbox mode the loop is closed as in the full-screen wizard: the
// route's webhook is an in-process receiver, and after the test SMS the
// run waits (with a timeout) for each delivery report and the reply.

const receiverPath = "/telegent/messages"

func startReceiver() (*webhook.Running, webhook.Auth, error) {
	var b [12]byte
	_, _ = rand.Read(b[:])
	auth := webhook.Auth{Kind: "basic", User: "telegent", Pass: hex.EncodeToString(b[:])}
	run, err := webhook.Start("127.0.0.1:0", receiverPath, auth)
	return run, auth, err
}

// waitForDelivery reads the receiver until every report and the reply are
// in, the timeout passes, or the person interrupts.
func (r *run) waitForDelivery(ctx context.Context) error {
	s := r.session
	if r.receiver == nil || s.IDs.MessageID == "" {
		r.say("Delivery reports go to the message route's CallbackMessageUrl; `telegent-onboard listen` shows what reaches it.")
		return nil
	}
	timeout := r.opts.DeliveryTimeout
	if timeout <= 0 {
		timeout = 20 * time.Second
	}
	ch, unsubscribe := r.receiver.Receiver.Subscribe()
	defer unsubscribe()
	for _, ev := range r.receiver.Receiver.Events() {
		r.note(ev)
	}
	r.say("Waiting for the delivery reports and the reply at the route's webhook…")
	t := time.NewTimer(timeout)
	defer t.Stop()
	for !s.DeliverySettled() {
		select {
		case ev, ok := <-ch:
			if !ok {
				return nil
			}
			r.note(ev)
		case <-t.C:
			r.say("No delivery report arrived within %s: check the route's CallbackMessageUrl and its authentication.", timeout)
			return r.save(false, false)
		case <-ctx.Done():
			return ErrInterrupted
		}
	}
	r.say("Delivery confirmed: every recipient's report reached the route's webhook.")
	return r.save(false, false)
}

func (r *run) note(ev webhook.Event) {
	s := r.session
	if !s.NoteEvent(ev) {
		return
	}
	switch ev.Kind {
	case "delivery":
		r.say("Delivery report for %s: %s", ev.To, ev.Status)
	case "inbound":
		r.say("Reply from %s: %s", ev.From, ev.Body)
	}
}
