package sandbox

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestLookupsAndDeletes covers the "Lookups and deletes" operations of
// API-NOTES, including the rule that a route in use cannot be deleted.
func TestLookupsAndDeletes(t *testing.T) {
	e := newEnv(t, Options{RateLimit: -1, DeliveryDelay: time.Hour}).login()
	fx := e.fixture()
	p := e.must("POST", "/v1.0/numbers/provision", with(provisionBody(fx.mrid, "801"), "ZipCode", "84043",
		"VoiceEnabled", true, "VoiceRouteId", fx.crid, "ProductType", "sms+data+voice", "AssignedSubscriberId", fx.tsuid))
	num := p["PhoneNumberAssigned"].(string)
	if num != "+18015550100" || p["ZipCode"] != "84043" {
		t.Errorf("the first number of 801/84043 is +18015550100; got %v in %v", num, p["ZipCode"])
	}
	qr, _ := p["QRCode"].(string)
	if !strings.HasPrefix(qr, "https://quickchart.io/qr?text=LPA:1$SMDP.SANDBOX.TELEGENT.TEST$") ||
		!strings.HasSuffix(qr, "&ecLevel=H&format=png") || len(qr) != len("https://quickchart.io/qr?text=LPA:1$SMDP.SANDBOX.TELEGENT.TEST$LX9G1-Q12VI-CIIWA-WAQIN&ecLevel=H&format=png") {
		t.Errorf("an mvno eSIM needs an LPA QR code: %q", qr)
	}
	esc := url.QueryEscape(num)

	// Message routes: list (no secrets), get (full echo).
	list := e.must("GET", "/v1.0/account/message/routes?AccountId="+DemoAccountID, nil)
	results, _ := list["Results"].([]any)
	if list["AccountID"] != DemoAccountID || list["TotalRoutes"] != 1.0 || len(results) != 1 {
		t.Fatalf("message route list = %v", list)
	}
	item := results[0].(map[string]any)
	if item["MessageRouteId"] != fx.mrid || item["CallbackMessageUrl"] != "https://apiendpoint.com" || item["MessageRouteEnabled"] != true {
		t.Errorf("list item = %v", item)
	}
	for _, secret := range []string{"MessagePasswordToken", "CallbackMessagePasswordToken"} {
		if _, ok := item[secret]; ok {
			t.Errorf("the list shows %s", secret)
		}
	}
	if got := e.must("GET", "/v1.0/message/routes?messagerouteid="+fx.mrid, nil); got["RouteName"] != "Main SMS Webhook" ||
		got["MessagePasswordToken"] != "passwordORbearerToken" {
		t.Errorf("message route = %v", got)
	}

	// Voice routes: list items spell IpWhitelist and carry no VoiceUrl.
	vlist := e.must("GET", "/v1.0/account/voice/routes?AccountId="+DemoAccountID, nil)
	vres, _ := vlist["Results"].([]any)
	if vlist["TotalRoutes"] != 1.0 || len(vres) != 1 {
		t.Fatalf("voice route list = %v", vlist)
	}
	vitem := vres[0].(map[string]any)
	if _, ok := vitem["VoiceUrl"]; ok || vitem["CallRouteStatus"] != "Active" || len(vitem["IpWhitelist"].([]any)) != 2 {
		t.Errorf("voice list item = %v", vitem)
	}
	if got := e.must("GET", "/v1.0/voice/routes?CallRouteID="+fx.crid, nil); got["CallRouteId"] != fx.crid || got["RouteType"] != "Trunk" {
		t.Errorf("voice route = %v", got)
	}
	if got := e.must("GET", "/v1.0/voice/routes?callrouteid="+fx.crid, nil); got["CallRouteId"] != fx.crid {
		t.Errorf("voice route by lower-case key = %v", got)
	}

	// Subscriber: the provision assigned the number.
	sub := e.must("GET", "/v1.0/subscribers/get?SubscriberId="+fx.tsuid, nil)
	if phones := sub["PhoneNumbers"].([]any); len(phones) != 1 || phones[0] != num || sub["Email"] != "fixture@example.com" {
		t.Errorf("subscriber = %v", sub)
	}

	// Numbers, by Number (escaped or not), PhoneNumber, and in the inventory.
	for _, path := range []string{"/v1.0/numbers?Number=" + esc, "/v1.0/numbers?Number=" + num, "/v1.0/numbers?PhoneNumber=" + esc} {
		n := e.must("GET", path, nil)
		if n["Number"] != num || n["TNID"] != p["PhoneNumberId"] || n["OrderId"] != p["OrderId"] || n["Status"] != "Active" ||
			n["MessageRouteId"] != fx.mrid || n["VoiceRouteId"] != fx.crid || n["ProductType"] != "Sms+Data+Voice" ||
			n["AssignedSubscriberId"] != fx.tsuid || n["QrActivationLink"] != qr || n["AreaCode"] != "801" {
			t.Errorf("%s = %v", path, n)
		}
	}
	inv := e.must("GET", "/v1.0/numbers/inventory?PageNumber=1&Filter=801", nil)
	phones, _ := inv["PhoneNumbers"].([]any)
	if inv["TotalResults"] != 1.0 || len(phones) != 1 || phones[0].(map[string]any)["Tnid"] != p["PhoneNumberId"] || inv["AccountId"] != DemoAccountID {
		t.Errorf("inventory = %v", inv)
	}
	if inv := e.must("GET", "/v1.0/numbers/inventory?Filter=212", nil); inv["TotalResults"] != 0.0 {
		t.Errorf("filtered inventory = %v", inv)
	}

	// Messages: details writes To as a string; search finds by From or To.
	msg := e.must("POST", "/v1.0/message/outbound", map[string]any{"From": num, "Body": "hi",
		"To": []any{map[string]any{"Number": "+18015737111"}, map[string]any{"Number": "+18014271919"}}})
	if msg["MessageType"] != "sms" || msg["Type"] != "p2p" {
		t.Errorf("message = %v", msg)
	}
	det := e.must("GET", "/v1.0/message/details?MessageId="+msg["MessageId"].(string), nil)
	if det["To"] != "+18015737111,+18014271919" || det["Body"] != "hi" {
		t.Errorf("details = %v", det)
	}
	for _, who := range []string{url.QueryEscape(num), "%2B18014271919"} {
		found := e.must("GET", "/v1.0/message/search?phoneNumber="+who+"&Page=1&Results=10", nil)
		res, _ := found["Results"].([]any)
		if found["ResultsTotalRecords"] != 1.0 || found["ResultsPages"] != 1.0 || len(res) != 1 ||
			res[0].(map[string]any)["MessageID"] != msg["MessageId"] {
			t.Errorf("search %s = %v", who, found)
		}
	}

	// Deletes: refused while the number uses the routes.
	st, body := e.do("POST", "/v1.0/message/routes/delete", map[string]any{"MessageRouteId": fx.mrid})
	wantError(t, "delete message route in use", st, body, 409, "Conflict: message route "+fx.mrid+" is used by 1 number(s) ("+num+"); cancel or move them first.")
	st, body = e.do("POST", "/v1.0/voice/routes/delete", map[string]any{"CallRouteId": fx.crid})
	wantError(t, "delete voice route in use", st, body, 409, fx.crid, num)

	// Status changes: only activate and cancel are carried out.
	st, body = e.do("POST", "/v1.0/numbers/status", map[string]any{"StatusChange": "swap", "PhoneNumbers": []any{map[string]any{"Number": num}}})
	wantError(t, "swap", st, body, 400, `Bad request: StatusChange "swap" is not supported by the sandbox (supported: activate, cancel)`)
	st, body = e.do("POST", "/v1.0/numbers/status", map[string]any{"StatusChange": "cancel", "PhoneNumbers": []any{map[string]any{"Number": num}}})
	wantError(t, "no EffectiveDate", st, body, 400, "EffectiveDate is required", "MM/DD/YYYY")
	st, body = e.do("POST", "/v1.0/numbers/status", map[string]any{"StatusChange": "cancel", "EffectiveDate": "05/31/2026", "PhoneNumbers": []any{map[string]any{"Number": "+12125550100"}}})
	wantError(t, "cancel someone else's number", st, body, 404, "+12125550100")
	st, body = e.do("POST", "/v1.0/numbers/status", map[string]any{"StatusChange": "cancel", "EffectiveDate": "2026-05-31", "PhoneNumbers": []any{map[string]any{"Number": num}}})
	wantError(t, "ISO date", st, body, 400, "EffectiveDate", "MM/DD/YYYY")
	cancel := e.must("POST", "/v1.0/numbers/status", map[string]any{"StatusChange": "Cancel", "EffectiveDate": "05/31/2026",
		"PhoneNumbers": []any{map[string]any{"Number": num}}})
	if cancel["OrderType"] != "cancel" || cancel["OrderStatus"] != "Complete" || !strings.HasPrefix(cancel["OrderId"].(string), "JNUOID-") {
		t.Errorf("cancel order = %v", cancel)
	}
	if got := e.must("GET", "/v1.0/numbers/order?OrderId="+cancel["OrderId"].(string), nil); got["OrderType"] != "cancel" ||
		got["PhoneNumbersOrdered"].([]any)[0].(map[string]any)["Number"] != num {
		t.Errorf("cancel order lookup = %v", got)
	}
	if n := e.must("GET", "/v1.0/numbers?Number="+esc, nil); n["Status"] != "Cancelled" {
		t.Errorf("cancelled number = %v", n)
	}
	st, body = e.do("POST", "/v1.0/message/outbound", map[string]any{"From": num, "Body": "hi", "To": []any{map[string]any{"Number": "+18015737111"}}})
	wantError(t, "send from a cancelled number", st, body, 409, num, "cancelled")
	// A cancelled number does not go back on sale.
	if av := e.must("POST", "/v1.0/numbers/availability", with(obj(t, qsAvailability), "AreaCode", "801")); av["ResultsTotal"] != 59.0 {
		t.Errorf("801 availability after a cancel = %v, want 59", av["ResultsTotal"])
	}

	// Now the routes can go, and they are gone from lists and lookups.
	if del := e.must("POST", "/v1.0/message/routes/delete", map[string]any{"MessageRouteId": fx.mrid}); del["MessageRouteStatus"] != "Deleted" || del["MRID"] != fx.mrid {
		t.Errorf("delete = %v", del)
	}
	if del := e.must("POST", "/v1.0/voice/routes/delete", map[string]any{"CallRouteId": fx.crid}); del["CallRouteStatus"] != "Deleted" || del["CallRouteId"] != fx.crid {
		t.Errorf("delete = %v", del)
	}
	if l := e.must("GET", "/v1.0/account/message/routes?AccountId="+DemoAccountID, nil); l["TotalRoutes"] != 0.0 || len(l["Results"].([]any)) != 0 {
		t.Errorf("deleted message route still listed: %v", l)
	}
	if l := e.must("GET", "/v1.0/account/voice/routes?AccountId="+DemoAccountID, nil); l["TotalRoutes"] != 0.0 {
		t.Errorf("deleted voice route still listed: %v", l)
	}
	st, body = e.do("GET", "/v1.0/message/routes?MessageRouteId="+fx.mrid, nil)
	wantError(t, "get a deleted route", st, body, 404, fx.mrid)
	st, body = e.do("POST", "/v1.0/message/routes/delete", map[string]any{"MessageRouteId": fx.mrid})
	wantError(t, "delete twice", st, body, 404, fx.mrid)
	st, body = e.do("POST", "/v1.0/message/routes/delete", map[string]any{})
	wantError(t, "delete without an ID", st, body, 400, "MessageRouteId is required")
	if res := e.resources(); len(res["MessageRoutes"]) != 0 || len(res["VoiceRoutes"]) != 0 || len(res["Orders"]) != 2 {
		t.Errorf("resources after deletes: %d message routes, %d voice routes, %d orders",
			len(res["MessageRoutes"]), len(res["VoiceRoutes"]), len(res["Orders"]))
	}

	// activate undoes the cancel.
	act := e.must("POST", "/v1.0/numbers/status", map[string]any{"StatusChange": "activate", "EffectiveDate": "05/31/2026", "PhoneNumbers": []any{map[string]any{"Number": num}}})
	if act["OrderType"] != "activate" {
		t.Errorf("activate order = %v", act)
	}
	if n := e.must("GET", "/v1.0/numbers?Number="+esc, nil); n["Status"] != "Active" {
		t.Errorf("re-activated number = %v", n)
	}
}

// TestOrderStatusFollowsTheClock drives OrderDelay with a movable clock.
func TestOrderStatusFollowsTheClock(t *testing.T) {
	clk := newClock()
	e := newEnv(t, Options{RateLimit: -1, OrderDelay: 10 * time.Minute, Now: clk.Now, DeliveryDelay: time.Hour}).login()
	fx := e.fixture()
	p := e.must("POST", "/v1.0/numbers/provision", provisionBody(fx.mrid, "212"))
	num := p["PhoneNumberAssigned"].(string)
	orderPath := "/v1.0/numbers/order?OrderId=" + p["OrderId"].(string)
	if p["OrderStatus"] != "Pending" {
		t.Errorf("OrderStatus = %v, want Pending", p["OrderStatus"])
	}
	if o := e.must("GET", orderPath, nil); o["OrderStatus"] != "Pending" || o["OrderType"] != "new" {
		t.Errorf("order = %v", o)
	}
	if n := e.must("GET", "/v1.0/numbers?Number="+url.QueryEscape(num), nil); n["Status"] != "Pending" {
		t.Errorf("number = %v", n)
	}
	st, body := e.do("POST", "/v1.0/message/outbound", map[string]any{"From": num, "Body": "hi", "To": []any{map[string]any{"Number": "+18015737111"}}})
	wantError(t, "send from a pending number", st, body, 409, num, "Pending")

	clk.Advance(10 * time.Minute)
	if o := e.must("GET", orderPath, nil); o["OrderStatus"] != "Complete" {
		t.Errorf("order after the delay = %v", o)
	}
	if n := e.must("GET", "/v1.0/numbers?Number="+url.QueryEscape(num), nil); n["Status"] != "Active" {
		t.Errorf("number after the delay = %v", n)
	}
	e.must("POST", "/v1.0/message/outbound", map[string]any{"From": num, "Body": "hi", "To": []any{map[string]any{"Number": "+18015737111"}}})
}

func TestAvailabilitySearch(t *testing.T) {
	e := newEnv(t, Options{RateLimit: -1, Seed: 3}).login()
	av := obj(t, qsAvailability)
	search := func(area, zip string) map[string]any {
		return e.must("POST", "/v1.0/numbers/availability", with(av, "AreaCode", area, "ZipCode", zip))
	}
	zips := func(r map[string]any) []string {
		var out []string
		for _, a := range r["AvailableNumberAreas"].([]any) {
			out = append(out, a.(map[string]any)["Zipcode"].(string))
		}
		return out
	}
	if r := search("999", ""); r["ResultsTotal"] != 0.0 || len(r["AvailableNumberAreas"].([]any)) != 0 {
		t.Errorf("unknown area = %v, want an empty answer", r)
	}
	if r := search("", "84043"); r["ResultsTotal"] != 20.0 || strings.Join(zips(r), ",") != "84043" {
		t.Errorf("zip only = %v", r)
	}
	if r := search("999", "84043"); r["ResultsTotal"] != 20.0 || strings.Join(zips(r), ",") != "84043" {
		t.Errorf("empty area falls back to the zip: %v", r)
	}
	if r := search("201", "84043"); r["ResultsTotal"] != 60.0 || strings.Join(zips(r), ",") != "07302,07030,07601" {
		t.Errorf("the area comes first: %v", r)
	}
	if r := search(OneNumberArea, ""); r["ResultsTotal"] != 1.0 {
		t.Errorf("%s has one number: %v", OneNumberArea, r)
	}
	if r := e.must("POST", "/v1.0/numbers/availability", with(av, "NumberType", "VOIP", "PageNumber", 2)); r["NumberType"] != "voip" ||
		r["PageNumber"] != 2.0 || len(r["AvailableNumberAreas"].([]any)) != 0 || r["ResultsTotal"] != 60.0 {
		t.Errorf("page 2 = %v", r)
	}
	random := search("", "")
	if n := random["ResultsTotal"].(float64); n < 100 || len(random["AvailableNumberAreas"].([]any)) < 10 {
		t.Errorf("blank search = %v, want a handful of random areas", random)
	}
	// The same seed gives the same random areas.
	other := newEnv(t, Options{RateLimit: -1, Seed: 3}).login()
	again := other.must("POST", "/v1.0/numbers/availability", with(av, "AreaCode", "", "ZipCode", ""))
	if strings.Join(zips(random), ",") != strings.Join(zips(again), ",") {
		t.Errorf("same seed, different areas: %v vs %v", zips(random), zips(again))
	}
}

func TestSeededProvisionIsReproducible(t *testing.T) {
	run := func() (string, string) {
		e := newEnv(t, Options{RateLimit: -1, Seed: 11}).login()
		mrid := e.must("POST", "/v1.0/message/routes", qsMessageRoute)["MessageRouteId"].(string)
		p := e.must("POST", "/v1.0/numbers/provision", with(provisionBody(mrid, ""), "AreaCode", nil))
		return p["PhoneNumberAssigned"].(string), p["QRCode"].(string)
	}
	n1, qr1 := run()
	n2, qr2 := run()
	if n1 != n2 || qr1 != qr2 || qr1 == "" {
		t.Errorf("same seed, different results: %s %s / %s %s", n1, qr1, n2, qr2)
	}
}

func TestSandboxInfoAndStart(t *testing.T) {
	run, err := Start("127.0.0.1:0", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	if !strings.HasPrefix(run.URL, "http://127.0.0.1:") || !strings.HasSuffix(run.URL, "/v1.0") || run.Server == nil {
		t.Fatalf("Running = %+v", run)
	}
	infoURL := strings.TrimSuffix(run.URL, "/v1.0") + "/_sandbox/info"
	res, err := httpGetJSON(infoURL)
	if err != nil {
		t.Fatal(err)
	}
	if res["BaseURL"] != run.URL || res["AccountId"] != DemoAccountID || res["AccountKey"] != DemoAccountKey || res["AccountSecret"] != DemoAccountSecret {
		t.Errorf("info = %v (URL %s)", res, run.URL)
	}
	if err := run.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := run.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := httpGetJSON(infoURL); err == nil {
		t.Errorf("still serving after Close")
	}
}
