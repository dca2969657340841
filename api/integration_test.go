package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/sandbox"
)

// These tests drive the real client against the in-process sandbox, with
// every request checked against the official OpenAPI subset on the way.

type env struct {
	client    *api.Client
	server    *httptest.Server
	validator *validatingTransport
}

func newEnv(t *testing.T, opts sandbox.Options, clientOpts ...api.Option) *env {
	t.Helper()
	sb := sandbox.New(opts)
	srv := httptest.NewServer(sb)
	t.Cleanup(func() { srv.Close(); sb.Close() })
	v := newValidatingTransport(t)
	base := []api.Option{
		api.WithHTTPClient(&http.Client{Transport: v}),
		api.WithRateLimit(100_000),
		api.WithRetry(5, time.Millisecond, 10*time.Millisecond),
	}
	c, err := api.New(srv.URL+"/v1.0", api.Credentials{AccountKey: sandbox.DemoAccountKey, AccountSecret: sandbox.DemoAccountSecret},
		append(base, clientOpts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return &env{client: c, server: srv, validator: v}
}

// resources reads GET /_sandbox/resources.
func (e *env) resources(t *testing.T) map[string][]map[string]any {
	t.Helper()
	resp, err := http.Get(e.server.URL + "/_sandbox/resources")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string][]map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// The quickstart's own bodies, as typed requests.
func quickstartMessageRoute() api.MessageRouteRequest {
	return api.MessageRouteRequest{
		RouteName: "Main SMS Webhook", MessageUrl: "https://apiendpoint.com", MessageUrlMethod: "POST",
		MessageRouteEnabled: api.Bool(true), MessageAuthenticationType: "Basic", MessageUsername: "admin",
		MessagePasswordToken: "passwordORbearerToken", CallbackMessageUrl: "https://apiendpoint.com",
		CallbackMessageUrlMethod: "POST", CallbackMessageAuthenticationType: "Basic", CallbackMessageUsername: "admin",
		CallbackMessagePasswordToken: "password", InboundBypass: api.Bool(true), OutboundBypass: api.Bool(true),
		IntelligentRouteEnabled: api.Bool(true),
	}
}

func quickstartVoiceRoute() api.VoiceRouteRequest {
	return api.VoiceRouteRequest{
		RouteName: "Main SIP Trunk", RouteType: "Trunk", VoiceUrl: "https://domain.com", VoiceUrlMethod: "POST",
		VoiceAuthenticationType: "Basic", VoiceUsername: "admin", VoicePasswordToken: "passwordORbearerToken",
		CallbackVoiceUrl: "https://apiendpoint.com", CallbackVoiceUrlMethod: "POST",
		TrunkIp1: "20.87.87.87", TrunkIp2: "20.87.87.86", TrunkPort1: "5061", TrunkPort2: "5060",
		TrunkTransport1: "UDP", TrunkTransport2: "TCP", TrunkUri1: "https://pstn.joonto.com", TrunkUri2: "https://pstn2.joonto.com",
		TrunkEnabled1: api.Bool(true), TrunkEnabled2: api.Bool(false),
		Trunk1Priortiy: api.Int(10), Trunk1Weight: api.Int(10), Trunk2Priortiy: api.Int(20), Trunk2Weight: api.Int(20),
		HeaderManipulation: "HMI8802029", EnableSipRefer: api.Bool(true), TransferCallerId: "Transferee/Transferor",
		SymmetricRtp: api.Bool(true), EnableTrpSecureTrunk: api.Bool(true), EnablePstnTransfer: api.Bool(true),
		IpWhitelist: []api.IPAddress{{IpAddress: "20.20.10.10"}, {IpAddress: "20.20.10.20"}},
		CnamLookup:  api.Bool(true), TerminationUriSubdomain: "client", EnableCallStreaming: api.Bool(true),
		WssUri: "wss://192.67.88.2", IntelligentRouteEnabled: api.Bool(true), RouteEnabled: api.Bool(true),
	}
}

func quickstartSubscriber(email string) api.SubscriberRequest {
	return api.SubscriberRequest{Name: "Jerome User 4", Email: email, PhoneNumbers: []string{}, Role: "Subscriber",
		Password: "1234567890", AccountId: sandbox.DemoAccountID}
}

func waitForOrder(t *testing.T, c *api.Client, orderID string) *api.Order {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		o, err := c.GetOrder(context.Background(), orderID)
		if err != nil {
			t.Fatal(err)
		}
		if api.OrderState(o.OrderStatus) != api.OrderInProgress || time.Now().After(deadline) {
			return o
		}
		time.Sleep(5 * time.Millisecond) // polling interval, bounded by the deadline
	}
}

// The whole quickstart and every lookup and delete, through the client.
func TestQuickstartThroughTheClient(t *testing.T) {
	e := newEnv(t, sandbox.Options{OrderDelay: 30 * time.Millisecond})
	c := e.client
	ctx := context.Background()

	if err := c.Authenticate(ctx); err != nil {
		t.Fatalf("authenticate: %v", err)
	}
	route, err := c.CreateMessageRoute(ctx, quickstartMessageRoute())
	if err != nil {
		t.Fatalf("message route: %v", err)
	}
	if !strings.HasPrefix(route.MessageRouteId, "MRID-") || route.AccountId != sandbox.DemoAccountID || route.RouteName != "Main SMS Webhook" {
		t.Errorf("message route = %+v", route)
	}
	voice, err := c.CreateVoiceRoute(ctx, quickstartVoiceRoute())
	if err != nil {
		t.Fatalf("voice route: %v", err)
	}
	if !strings.HasPrefix(voice.CallRouteId, "CRID-") || len(voice.IpWhiteList) != 2 || voice.Trunk2Priortiy != 20 || voice.TrunkPort1 != "5061" {
		t.Errorf("voice route = %+v", voice)
	}
	avail, err := c.SearchAvailability(ctx, api.AvailabilityRequest{NumberType: "mobile", MessageType: "p2p",
		MessageEnabled: true, VoiceEnabled: true, PageNumber: 1, AreaCode: "201"})
	if err != nil {
		t.Fatalf("availability: %v", err)
	}
	if avail.ResultsTotal <= 0 || len(avail.AvailableNumberAreas) == 0 {
		t.Fatalf("no numbers in 201: %+v", avail)
	}
	for _, a := range avail.AvailableNumberAreas {
		if a.AreaCode != 201 || len(a.Zipcode) != 5 || a.NGP == "" {
			t.Errorf("area %+v is not a 201 area", a)
		}
	}
	sub, err := c.CreateSubscriber(ctx, quickstartSubscriber("jerome4@joonto.com"))
	if err != nil {
		t.Fatalf("subscriber: %v", err)
	}
	if !strings.HasPrefix(sub.SubscriberId, "TSUID-") || sub.Account.AccountId != sandbox.DemoAccountID {
		t.Errorf("subscriber = %+v", sub)
	}
	pick := avail.AvailableNumberAreas[0]
	prov, err := c.ProvisionNumber(ctx, api.ProvisionRequest{NumberType: "mvno", MessageType: "p2p", MessageEnabled: true,
		VoiceEnabled: true, MessageRouteId: route.MessageRouteId, VoiceRouteId: voice.CallRouteId,
		AreaCode: "201", ZipCode: string(pick.Zipcode), ProductType: "sms+data+voice", AssignedSubscriberId: sub.SubscriberId})
	if err != nil {
		t.Fatalf("provision: %v", err)
	}
	if !strings.HasPrefix(prov.PhoneNumberAssigned, "+1201") || !strings.HasPrefix(prov.PhoneNumberId, "NID-") ||
		!strings.HasPrefix(prov.OrderId, "JNUOID-") || prov.SubscriberId != sub.SubscriberId || prov.ErrorMessage != nil {
		t.Errorf("provision = %+v", prov)
	}
	if prov.OrderStatus != "Pending" {
		t.Errorf("OrderStatus = %q, want Pending with an order delay", prov.OrderStatus)
	}
	if code := api.ActivationCode(prov.QRCode); !strings.HasPrefix(code, "LPA:1$") {
		t.Errorf("an mvno eSIM has no LPA activation code: QRCode %q", prov.QRCode)
	}
	if o := waitForOrder(t, c, prov.OrderId); api.OrderState(o.OrderStatus) != api.OrderSucceeded ||
		len(o.PhoneNumbersOrdered) != 1 || o.PhoneNumbersOrdered[0].Number != prov.PhoneNumberAssigned {
		t.Fatalf("order = %+v", o)
	}
	msg, err := c.SendMessage(ctx, api.OutboundMessageRequest{CampaignId: "JCID-dsuhofh3882",
		To: []api.Recipient{{Number: "+18015737111"}, {Number: "+18014271919"}}, From: prov.PhoneNumberAssigned,
		Owner: prov.PhoneNumberAssigned, Body: "Hello there!!!",
		MmsMedia:  []api.MediaURL{{MediaUrl: "https://results2.com"}, {MediaUrl: "https://results.com"}},
		MmsBase64: []api.MediaBase64{{Base64: "dkjjkdflajdfjo3ji3jjljfkjaskjfad", BaseType: "audio/wav"}}})
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	if !strings.HasPrefix(msg.MessageId, "TMID-") || len(msg.To) != 2 || msg.To[0].Status == "" || msg.MessageType != "mms" {
		t.Errorf("message = %+v", msg)
	}

	// Lookups find what was created.
	routes, err := c.ListMessageRoutes(ctx, sandbox.DemoAccountID)
	if err != nil || len(routes.Results) != 1 || routes.Results[0].MessageRouteId != route.MessageRouteId || routes.TotalRoutes != 1 {
		t.Errorf("ListMessageRoutes = %+v, %v", routes, err)
	}
	if got, err := c.GetMessageRoute(ctx, route.MessageRouteId); err != nil || got.RouteName != "Main SMS Webhook" || got.CallbackMessageUrl != "https://apiendpoint.com" {
		t.Errorf("GetMessageRoute = %+v, %v", got, err)
	}
	voices, err := c.ListVoiceRoutes(ctx, sandbox.DemoAccountID)
	if err != nil || len(voices.Results) != 1 || voices.Results[0].CallRouteId != voice.CallRouteId {
		t.Errorf("ListVoiceRoutes = %+v, %v", voices, err)
	}
	if got, err := c.GetVoiceRoute(ctx, voice.CallRouteId); err != nil || got.RouteName != "Main SIP Trunk" {
		t.Errorf("GetVoiceRoute = %+v, %v", got, err)
	}
	if got, err := c.GetSubscriber(ctx, sub.SubscriberId); err != nil || got.Email != "jerome4@joonto.com" || !contains(got.PhoneNumbers, prov.PhoneNumberAssigned) {
		t.Errorf("GetSubscriber = %+v, %v", got, err)
	}
	num, err := c.GetNumber(ctx, api.NumberQuery{Number: prov.PhoneNumberAssigned})
	if err != nil || num.TNID != prov.PhoneNumberId || num.MessageRouteId != route.MessageRouteId || num.AssignedSubscriberId != sub.SubscriberId || num.OrderId != prov.OrderId {
		t.Errorf("GetNumber = %+v, %v", num, err)
	}
	inv, err := c.NumberInventory(ctx, api.InventoryQuery{PageNumber: 1})
	if err != nil || inv.TotalResults != 1 || len(inv.PhoneNumbers) != 1 || inv.PhoneNumbers[0].Number != prov.PhoneNumberAssigned {
		t.Errorf("NumberInventory = %+v, %v", inv, err)
	}
	if got, err := c.GetMessage(ctx, msg.MessageId); err != nil || len(got.To) != 2 || got.Body != "Hello there!!!" {
		t.Errorf("GetMessage = %+v, %v", got, err)
	}
	found, err := c.SearchMessages(ctx, api.MessageSearchQuery{PhoneNumber: prov.PhoneNumberAssigned})
	if err != nil || found.ResultsTotalRecords < 1 || found.Results[0].MessageId != msg.MessageId {
		t.Errorf("SearchMessages = %+v, %v", found, err)
	}

	// A route a number still uses cannot be deleted; after the number is
	// cancelled it can, and it is gone from the list.
	_, err = c.DeleteMessageRoute(ctx, route.MessageRouteId)
	var ae *api.Error
	if !errors.As(err, &ae) || ae.Kind != api.KindConflict || !strings.Contains(ae.Message, prov.PhoneNumberAssigned) {
		t.Errorf("deleting a route in use: %v", err)
	}
	cancel, err := c.ChangeNumberStatus(ctx, api.NumberStatusRequest{StatusChange: api.StatusChangeCancel,
		PhoneNumbers: []api.PhoneNumberRef{{Number: prov.PhoneNumberAssigned}}})
	if err != nil || cancel.OrderId == "" {
		t.Fatalf("cancel: %+v, %v", cancel, err)
	}
	if del, err := c.DeleteMessageRoute(ctx, route.MessageRouteId); err != nil || del.MessageRouteStatus != "Deleted" || del.MRID != route.MessageRouteId {
		t.Errorf("DeleteMessageRoute = %+v, %v", del, err)
	}
	if del, err := c.DeleteVoiceRoute(ctx, voice.CallRouteId); err != nil || del.CallRouteStatus != "Deleted" {
		t.Errorf("DeleteVoiceRoute = %+v, %v", del, err)
	}
	if routes, err := c.ListMessageRoutes(ctx, sandbox.DemoAccountID); err != nil || len(routes.Results) != 0 {
		t.Errorf("deleted route still listed: %+v, %v", routes, err)
	}
	if _, err := c.GetMessageRoute(ctx, route.MessageRouteId); !errors.As(err, &ae) || ae.Status != 404 {
		t.Errorf("deleted route still readable: %v", err)
	}

	for _, op := range []string{"POST /v1.0/OAuth2/tokens", "POST /v1.0/message/routes", "POST /v1.0/voice/routes",
		"POST /v1.0/numbers/availability", "POST /v1.0/subscribers/create", "POST /v1.0/numbers/provision",
		"GET /v1.0/numbers/order", "POST /v1.0/message/outbound"} {
		if e.validator.operationsChecked()[op] == 0 {
			t.Errorf("%s was never validated against the schema", op)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// setup creates the resources most error cases need.
func setup(t *testing.T, c *api.Client) (mrid, tsuid string) {
	t.Helper()
	ctx := context.Background()
	route, err := c.CreateMessageRoute(ctx, quickstartMessageRoute())
	if err != nil {
		t.Fatal(err)
	}
	sub, err := c.CreateSubscriber(ctx, quickstartSubscriber("taken@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	return route.MessageRouteId, sub.SubscriberId
}

// Every documented error, through the client: status, kind, remedy, and a
// message that names what to fix.
func TestDocumentedErrorsThroughTheClient(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	mrid, tsuid := setup(t, e.client)
	ctx := context.Background()
	provision := func(mut func(*api.ProvisionRequest)) error {
		req := api.ProvisionRequest{NumberType: "mvno", MessageType: "p2p", MessageEnabled: true, MessageRouteId: mrid,
			AreaCode: "801", ProductType: "Sms-Only"}
		mut(&req)
		_, err := e.client.ProvisionNumber(ctx, req)
		return err
	}
	for _, tc := range []struct {
		name   string
		run    func() error
		status int
		kind   api.Kind
		remedy string
		words  []string
	}{
		{"no message route", func() error { return provision(func(r *api.ProvisionRequest) { r.MessageRouteId = "" }) },
			400, api.KindNoMessageRoute, api.RemedyNoMessageRoute, []string{"MessageRouteId"}},
		{"unknown message route", func() error {
			return provision(func(r *api.ProvisionRequest) { r.MessageRouteId = "MRID-73af1e73-d7b3-4696-bdd9-5b407c96fc8a" })
		}, 404, api.KindNoMessageRoute, api.RemedyNoMessageRoute, []string{"MRID-73af1e73"}},
		{"iot is p2p only", func() error {
			return provision(func(r *api.ProvisionRequest) { r.NumberType, r.MessageType, r.ProductType = "iot", "a2p", "Data-Only" })
		}, 400, api.KindBadRequest, api.RemedyBadRequest, []string{"p2p only", "a2p"}},
		{"voice without a voice route", func() error { return provision(func(r *api.ProvisionRequest) { r.VoiceEnabled = true }) },
			400, api.KindBadRequest, api.RemedyBadRequest, []string{"VoiceRouteId"}},
		{"unknown subscriber", func() error {
			return provision(func(r *api.ProvisionRequest) { r.AssignedSubscriberId = "TSUID-1234567999" })
		}, 404, api.KindNotFound, api.RemedyNotFound, []string{"TSUID-1234567999"}},
		{"bad zip", func() error { return provision(func(r *api.ProvisionRequest) { r.AreaCode, r.ZipCode = "", "XXXXX" }) },
			400, api.KindBadRequest, api.RemedyBadRequest, []string{"ZipCode", "5 digits"}},
		{"no numbers in the area", func() error { return provision(func(r *api.ProvisionRequest) { r.AreaCode = "999" }) },
			404, api.KindNotFound, api.RemedyNotFound, []string{"999"}},
		{"email taken", func() error {
			_, err := e.client.CreateSubscriber(ctx, quickstartSubscriber("TAKEN@example.com"))
			return err
		}, 409, api.KindEmailTaken, api.RemedyEmailTaken, []string{"Email"}},
		{"wrong account", func() error {
			r := quickstartSubscriber("new@example.com")
			r.AccountId = "AID-eab92510-1040-45a5-bb9c-0bad9272f89d"
			_, err := e.client.CreateSubscriber(ctx, r)
			return err
		}, 404, api.KindAccountID, api.RemedyAccountID, []string{"AccountId"}},
		{"From not ours", func() error {
			_, err := e.client.SendMessage(ctx, api.OutboundMessageRequest{To: []api.Recipient{{Number: "+18015737111"}}, From: "+18018018011", Body: "hi"})
			return err
		}, 0, api.KindOther, "", []string{"+18018018011"}},
		{"bad area code", func() error {
			_, err := e.client.SearchAvailability(ctx, api.AvailabilityRequest{NumberType: "mobile", AreaCode: "20"})
			return err
		}, 400, api.KindBadRequest, api.RemedyBadRequest, []string{"AreaCode", "3 digits"}},
		{"unknown order", func() error { _, err := e.client.GetOrder(ctx, "JNUOID-nope"); return err },
			404, api.KindNotFound, api.RemedyNotFound, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_ = tsuid
			err := tc.run()
			var ae *api.Error
			if !errors.As(err, &ae) {
				t.Fatalf("want *api.Error, got %v", err)
			}
			if tc.status != 0 && (ae.Status != tc.status || ae.Kind != tc.kind || ae.Remedy != tc.remedy) {
				t.Errorf("got %d kind %v remedy %q; want %d kind %v remedy %q (%s)", ae.Status, ae.Kind, ae.Remedy, tc.status, tc.kind, tc.remedy, ae.Message)
			}
			if ae.Status < 400 || ae.Status >= 500 {
				t.Errorf("status %d, want a 4xx", ae.Status)
			}
			for _, w := range tc.words {
				if !strings.Contains(ae.Message, w) {
					t.Errorf("message %q does not mention %q", ae.Message, w)
				}
			}
		})
	}
	// Nothing above created a number.
	if n := len(e.resources(t)["Numbers"]); n != 0 {
		t.Errorf("%d numbers exist after refused provisions", n)
	}
}

func TestBadCredentialsAgainstTheSandbox(t *testing.T) {
	sb := sandbox.New(sandbox.Options{})
	srv := httptest.NewServer(sb)
	t.Cleanup(func() { srv.Close(); sb.Close() })
	c, err := api.New(srv.URL, api.Credentials{AccountKey: sandbox.DemoAccountKey, AccountSecret: "wrong"})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Authenticate(context.Background())
	var ae *api.Error
	if !errors.As(err, &ae) || ae.Status != 401 || ae.Remedy != api.RemedyBadCredentials {
		t.Fatalf("got %v", err)
	}
}

func TestExpiredTokenIsRenewedAgainstTheSandbox(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	e := newEnv(t, sandbox.Options{Now: clock, TokenTTL: time.Hour})
	ctx := context.Background()
	if _, err := e.client.CreateMessageRoute(ctx, quickstartMessageRoute()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = now.Add(2 * time.Hour) // the sandbox now sees the token as expired
	mu.Unlock()
	if _, err := e.client.ListMessageRoutes(ctx, sandbox.DemoAccountID); err != nil {
		t.Fatalf("after expiry the client should re-authenticate and succeed: %v", err)
	}
}

func TestScopedTokensWhenTheSandboxRequiresApiEndpoint(t *testing.T) {
	e := newEnv(t, sandbox.Options{RequireAPIEndpoint: true})
	mrid, tsuid := setup(t, e.client)
	prov, err := e.client.ProvisionNumber(context.Background(), api.ProvisionRequest{NumberType: "iot", MessageType: "p2p",
		MessageEnabled: true, MessageRouteId: mrid, AreaCode: "801", ProductType: "Data-Only", AssignedSubscriberId: tsuid})
	if err != nil {
		t.Fatalf("provision with per-endpoint tokens: %v", err)
	}
	if prov.QRCode != "" && api.ActivationCode(prov.QRCode) != "" {
		t.Errorf("an iot number got an eSIM QR: %q", prov.QRCode)
	}
}

func TestRateLimitedBySandbox(t *testing.T) {
	e := newEnv(t, sandbox.Options{RateLimit: 3}, api.WithRetry(1, time.Millisecond, time.Millisecond))
	ctx := context.Background()
	var err error
	for range 4 {
		if _, err = e.client.ListMessageRoutes(ctx, sandbox.DemoAccountID); err != nil {
			break
		}
	}
	var ae *api.Error
	if !errors.As(err, &ae) || ae.Status != 429 || ae.Kind != api.KindRateLimit || ae.RetryAfter < time.Second {
		t.Fatalf("want 429 with Retry-After, got %#v", err)
	}
}

func TestRetriesThroughInjectedFaults(t *testing.T) {
	e := newEnv(t, sandbox.Options{FaultRate: 0.3, Seed: 42}, api.WithRetry(10, time.Millisecond, 5*time.Millisecond))
	ctx := context.Background()
	for range 10 {
		if _, err := e.client.SearchAvailability(ctx, api.AvailabilityRequest{NumberType: "mobile", MessageEnabled: true}); err != nil {
			t.Fatalf("a retried search failed: %v", err)
		}
	}
}

func TestLostResponseIsUnknownOutcomeAndNotRepeated(t *testing.T) {
	e := newEnv(t, sandbox.Options{LoseResponses: 1})
	_, err := e.client.CreateMessageRoute(context.Background(), quickstartMessageRoute())
	if !errors.Is(err, api.ErrOutcomeUnknown) {
		t.Fatalf("want ErrOutcomeUnknown, got %v", err)
	}
	if n := len(e.resources(t)["MessageRoutes"]); n != 1 {
		t.Errorf("%d message routes exist, want exactly 1 (carried out once, never repeated)", n)
	}
	// The lookup the caller would make to settle it finds the route.
	routes, err := e.client.ListMessageRoutes(context.Background(), sandbox.DemoAccountID)
	if err != nil || len(routes.Results) != 1 || routes.Results[0].RouteName != "Main SMS Webhook" {
		t.Errorf("lookup after a lost answer: %+v, %v", routes, err)
	}
}
