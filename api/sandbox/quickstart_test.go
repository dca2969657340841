package sandbox

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestQuickstartWalk follows the quickstart page step by step with its own
// request bodies, changing only what a customer has to change.
func TestQuickstartWalk(t *testing.T) {
	// A real-time order delay: TestOrderStatusFollowsTheClock covers the
	// Pending state with a movable clock.
	e := newEnv(t, Options{RateLimit: -1, OrderDelay: 100 * time.Millisecond})

	// Step 1: the placeholder credentials are refused, the demo ones work.
	st, body, _ := e.call("POST", "/v1.0/oauth2/tokens", "", qsToken)
	wantError(t, "placeholder credentials", st, body, 401, msgBadCredentials)
	st, body, _ = e.call("POST", "/v1.0/oauth2/tokens", "", strings.NewReplacer(
		"your-account-key-here", DemoAccountKey, "your-account-secret-here", DemoAccountSecret).Replace(qsToken))
	if st != 200 || body["successful"] != true || len(body["token"].(string)) < 32 {
		t.Fatalf("token: %d %v", st, body)
	}
	exp, err := time.Parse(expiryLayout, body["tokenExpiry"].(string))
	if err != nil || exp.Sub(time.Now()) < 59*time.Minute || exp.Sub(time.Now()) > 61*time.Minute {
		t.Errorf("tokenExpiry %q: %v; want an hour from now, UTC, MM/DD/YYYY hh:mm:ss PM", body["tokenExpiry"], err)
	}
	e.token = body["token"].(string)

	// Step 2: message route.
	mr := e.must("POST", "/v1.0/message/routes", qsMessageRoute)
	mrid, _ := mr["MessageRouteId"].(string)
	if !strings.HasPrefix(mrid, "MRID-") || mr["AccountId"] != DemoAccountID || mr["RouteName"] != "Main SMS Webhook" ||
		mr["CallbackMessageUsername"] != "admin" || mr["MessageRouteEnabled"] != true || mr["IntelligentRouteEnabled"] != true {
		t.Errorf("message route = %v", mr)
	}

	// Step 3: voice route; the echo spells the whitelist IpWhiteList.
	vr := e.must("POST", "/v1.0/voice/routes", qsVoiceRoute)
	crid, _ := vr["CallRouteId"].(string)
	wl, _ := vr["IpWhiteList"].([]any)
	if !strings.HasPrefix(crid, "CRID-") || len(wl) != 2 || vr["Trunk1Priortiy"] != 10.0 || vr["TrunkPort1"] != "5061" ||
		vr["WssUri"] != "wss://192.67.88.2" || vr["AccountId"] != DemoAccountID {
		t.Errorf("voice route = %v", vr)
	}

	// Step 4: availability in 201.
	av := e.must("POST", "/v1.0/numbers/availability", qsAvailability)
	areas, _ := av["AvailableNumberAreas"].([]any)
	if av["ResultsTotal"] != 60.0 || len(areas) != 3 || !strings.HasPrefix(av["RequestId"].(string), "T-") {
		t.Fatalf("availability = %v", av)
	}
	for _, a := range areas {
		a := a.(map[string]any)
		if a["AreaCode"] != 201.0 || len(a["Zipcode"].(string)) != 5 || a["NGP"] == "" {
			t.Errorf("area %v: want AreaCode as the number 201, a 5-digit Zipcode and an NGP", a)
		}
	}
	if _, err := time.Parse(time.RFC3339, av["RequestDate"].(string)); err != nil {
		t.Errorf("RequestDate: %v", err)
	}

	// Step 5: subscriber. The page's AccountId is someone else's.
	st, body = e.do("POST", "/v1.0/subscribers/create", qsSubscriber)
	wantError(t, "quickstart AccountId", st, body, 404, "AccountId", "AID-eab92510")
	sub := e.must("POST", "/v1.0/subscribers/create", with(obj(t, qsSubscriber), "AccountId", DemoAccountID))
	tsuid, _ := sub["SubscriberId"].(string)
	phones, _ := sub["PhoneNumbers"].([]any)
	acct, _ := sub["Account"].(map[string]any)
	if !strings.HasPrefix(tsuid, "TSUID-") || phones == nil || len(phones) != 0 || acct["AccountId"] != DemoAccountID ||
		acct["CompanyName"] != DemoCompanyName {
		t.Errorf("subscriber = %v", sub)
	}
	if _, leaked := sub["Password"]; leaked {
		t.Errorf("the subscriber answer carries the password: %v", sub)
	}

	// Step 6: provision with the sandbox's IDs. The page's "XXXXX" zip is
	// a placeholder and is refused; blank it and "data-only" goes through.
	prov := strings.NewReplacer(
		"MRID-73af1e73-d7b3-4696-bdd9-5b407c96fc8a", mrid,
		"CRID-4dec6beb-3985-444b-8c06-8baa70dc145", crid,
		"TSUID-1234567999", tsuid).Replace(stripComments(qsProvision))
	st, body = e.do("POST", "/v1.0/numbers/provision", prov)
	wantError(t, "placeholder zip", st, body, 400, "ZipCode", "5 digits", `"XXXXX"`)
	p := e.must("POST", "/v1.0/numbers/provision", strings.Replace(prov, `"XXXXX"`, `""`, 1))
	number, _ := p["PhoneNumberAssigned"].(string)
	if !strings.HasPrefix(number, "+1201555") || !strings.HasPrefix(p["PhoneNumberId"].(string), "NID-") ||
		!strings.HasPrefix(p["OrderId"].(string), "JNUOID-") || p["OrderStatus"] != "Pending" ||
		p["ICCID"] != "8901240397190195850" || p["SubscriberId"] != tsuid || p["QRCode"] != "" {
		t.Errorf("provision = %v", p)
	}
	for _, k := range []string{"OrderDate", "OrderId", "OrderStatus", "PhoneNumberAssigned", "PhoneNumberId", "QRCode",
		"ZipCode", "ICCID", "ErrorMessage", "SubscriberId"} {
		if _, ok := p[k]; !ok {
			t.Errorf("provision answer lacks %s", k)
		}
	}
	if p["ErrorMessage"] != nil {
		t.Errorf("ErrorMessage = %v, want null", p["ErrorMessage"])
	}

	// The order is Pending, then Complete.
	orderPath := "/v1.0/numbers/order?OrderId=" + url.QueryEscape(p["OrderId"].(string))
	var order map[string]any
	eventually(t, "the order to complete", func() bool {
		order = e.must("GET", orderPath, nil)
		return order["OrderStatus"] == "Complete"
	})
	ordered, _ := order["PhoneNumbersOrdered"].([]any)
	if order["OrderType"] != "new" || len(ordered) != 1 || ordered[0].(map[string]any)["Number"] != number {
		t.Errorf("order = %v", order)
	}

	// Step 7: the test message, from the new number.
	out := e.must("POST", "/v1.0/message/outbound", strings.Replace(qsOutbound, `"From": "+18018018011"`, `"From": "`+number+`"`, 1))
	to, _ := out["To"].([]any)
	if !strings.HasPrefix(out["MessageId"].(string), "TMID-") || len(out["MessageId"].(string)) != 25 ||
		out["Direction"] != "Outbound" || out["Type"] != "p2p" || out["Status"] != "Queued" || out["MessageType"] != "mms" ||
		out["Cost"] != 0.009 || len(to) != 2 || to[0].(map[string]any)["Status"] != "Queued" || out["From"] != number ||
		out["CampaignId"] != "JCID-dsuhofh3882" || len(out["MmsBase64"].([]any)) != 2 {
		t.Errorf("outbound = %v", out)
	}
	if _, err := time.Parse(time.RFC3339, out["CreatedOn"].(string)); err != nil {
		t.Errorf("CreatedOn: %v", err)
	}

	res := e.resources()
	for kind, want := range map[string]int{"MessageRoutes": 1, "VoiceRoutes": 1, "Subscribers": 1, "Numbers": 1,
		"Orders": 1, "Messages": 1} {
		if got := len(res[kind]); got != want {
			t.Errorf("resources %s: %d, want %d", kind, got, want)
		}
	}
	if res["MessageRoutes"][0]["MessagePasswordToken"] != "***" || res["VoiceRoutes"][0]["VoicePasswordToken"] != "***" {
		t.Errorf("passwords are not redacted in resources: %v %v", res["MessageRoutes"][0], res["VoiceRoutes"][0])
	}
	if s := res["Subscribers"][0]; s["PhoneNumbers"].([]any)[0] != number {
		t.Errorf("the assigned number is not on the subscriber: %v", s)
	}
	if n := res["Numbers"][0]; n["Status"] != "Active" || n["ProductType"] != "Data-Only" || n["AssignedSubscriberId"] != tsuid {
		t.Errorf("number = %v", n)
	}
}
