package flow

import (
	"context"
	"errors"
	"strings"

	"github.com/telegent/telegent-onboard/api"
)

// CallKind is what a call does.
type CallKind int

const (
	CallAuth   CallKind = iota // authenticate, and check the AccountId
	CallCreate                 // the step's create
	CallLookup                 // find what a create whose answer was lost made
	CallVerify                 // check a resource to be reused still exists
	CallSearch                 // the availability search
	CallOrder                  // a look at the number's order
	CallAdopt                  // a subscriber named by its TSUID
	CallCensus                 // the routes of the same name, before a route is created
)

// Call is one API call the engine wants made: the only I/O of a step. It
// holds its own copy of what it sends, so it can run in another goroutine
// (a tea.Cmd) while the driver keeps drawing the session.
type Call struct {
	Step  Step
	Kind  CallKind
	Label string // what the spinner says: "Creating the message route…"

	req       any
	id        string
	creds     api.Credentials
	newClient func(api.Credentials) (*api.Client, error)
	session   *Session // a copy, for look-ups
}

// Creates reports whether the call may create a resource, so that an
// interruption during it leaves an unknown outcome.
func (c *Call) Creates() bool { return c.Kind == CallCreate }

// Result is a call's outcome, handed to Engine.Settle.
type Result struct {
	Call  *Call
	Value any
	Err   error
}

// Run makes the call. client is the engine's (nil for authentication,
// which makes its own).
func (c *Call) Run(ctx context.Context, client *api.Client) Result {
	v, err := c.run(ctx, client)
	return Result{Call: c, Value: v, Err: err}
}

// sends is the one API call of each step's create.
var sends = [NumSteps]func(context.Context, *api.Client, any) (any, error){
	MessageRoute: func(ctx context.Context, c *api.Client, r any) (any, error) {
		return c.CreateMessageRoute(ctx, r.(api.MessageRouteRequest))
	},
	VoiceRoute: func(ctx context.Context, c *api.Client, r any) (any, error) {
		return c.CreateVoiceRoute(ctx, r.(api.VoiceRouteRequest))
	},
	Subscriber: func(ctx context.Context, c *api.Client, r any) (any, error) {
		return c.CreateSubscriber(ctx, r.(api.SubscriberRequest))
	},
	Provision: func(ctx context.Context, c *api.Client, r any) (any, error) {
		return c.ProvisionNumber(ctx, r.(api.ProvisionRequest))
	},
	TestMessage: func(ctx context.Context, c *api.Client, r any) (any, error) {
		return c.SendMessage(ctx, r.(api.OutboundMessageRequest))
	},
}

func (c *Call) run(ctx context.Context, client *api.Client) (any, error) {
	switch c.Kind {
	case CallAuth:
		return c.authenticate(ctx)
	case CallCreate:
		v, err := sends[c.Step](ctx, client, c.req)
		if err != nil {
			return nil, err
		}
		return v, nil
	case CallLookup:
		work := c.session
		work.adopting = c.id
		_, err := Reconcile(ctx, client, work, c.Step, work.StartedAt)
		return work, err
	case CallVerify:
		return exists(ctx, client, c.Step, c.id)
	case CallSearch:
		return client.SearchAvailability(ctx, c.req.(api.AvailabilityRequest))
	case CallOrder:
		return client.GetOrder(ctx, c.id)
	case CallAdopt:
		return client.GetSubscriber(ctx, c.id)
	case CallCensus:
		return census(ctx, client, c.Step, c.req, c.id)
	}
	return nil, errors.New("unknown call")
}

// authenticate gets a token, then checks the AccountId against the
// account's message routes: a wrong AccountId is refused at step 1, with
// its remedy, not at step 2.
func (c *Call) authenticate(ctx context.Context) (any, error) {
	if c.newClient == nil {
		return nil, errors.New("no way to make an API client")
	}
	client, err := c.newClient(c.creds)
	if err != nil {
		return nil, err
	}
	if err := client.Authenticate(ctx); err != nil {
		return nil, err
	}
	if _, err := client.ListMessageRoutes(ctx, c.id); err != nil {
		var ae *api.Error
		if errors.As(err, &ae) && (ae.Kind == api.KindNotFound || ae.Kind == api.KindBadRequest || ae.Kind == api.KindAccountID ||
			(ae.Kind == api.KindAuth && ae.Status == 403)) {
			ae.Kind, ae.Remedy = api.KindAccountID, api.RemedyAccountID
			ae.Message = "AccountId " + c.id + " was refused: " + ae.Message
		}
		return nil, err
	}
	return client, nil
}

// exists reports whether a resource the session holds is still on the
// account. A look-up that fails for another reason is an error: the
// resource is reused only when it is surely there, recreated only when it
// is surely gone.
func exists(ctx context.Context, c *api.Client, step Step, id string) (bool, error) {
	if id == "" {
		return false, nil
	}
	switch step {
	case MessageRoute:
		r, err := c.GetMessageRoute(ctx, id)
		return err == nil && r != nil, notFoundIsAbsent(err)
	case VoiceRoute:
		r, err := c.GetVoiceRoute(ctx, id)
		if err == nil && r != nil && strings.EqualFold(r.CallRouteStatus, "Deleted") {
			return false, nil
		}
		return err == nil && r != nil, notFoundIsAbsent(err)
	case Subscriber:
		r, err := c.GetSubscriber(ctx, id)
		return err == nil && r != nil, notFoundIsAbsent(err)
	}
	// Numbers and messages are not reused by resubmitting: a number is
	// checked through its order, a message is history.
	return true, nil
}

func notFoundIsAbsent(err error) error {
	var ae *api.Error
	if errors.As(err, &ae) && ae.Kind == api.KindNotFound {
		return nil
	}
	return err
}

// census lists the IDs of the account's routes named as req is: they exist
// before the create, so they are not what it made.
func census(ctx context.Context, c *api.Client, step Step, req any, account string) ([]string, error) {
	ids := []string{}
	switch r := req.(type) {
	case api.MessageRouteRequest:
		list, err := c.ListMessageRoutes(ctx, account)
		if err != nil {
			return nil, err
		}
		for _, m := range list.Results {
			if m.RouteName == r.RouteName && m.MessageRouteId != "" {
				ids = append(ids, m.MessageRouteId)
			}
		}
	case api.VoiceRouteRequest:
		list, err := c.ListVoiceRoutes(ctx, account)
		if err != nil {
			return nil, err
		}
		for _, v := range list.Results {
			if v.RouteName == r.RouteName && v.CallRouteId != "" {
				ids = append(ids, v.CallRouteId)
			}
		}
	}
	return ids, nil
}
