package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

var postEndpoints = []string{
	"/v1.0/oauth2/tokens",
	"/v1.0/message/routes",
	"/v1.0/voice/routes",
	"/v1.0/numbers/availability",
	"/v1.0/subscribers/create",
	"/v1.0/numbers/provision",
	"/v1.0/message/outbound",
	"/v1.0/message/routes/delete",
	"/v1.0/voice/routes/delete",
	"/v1.0/numbers/status",
}

// fuzzServer is a fresh sandbox with a message route, a voice route, a
// subscriber and an active number, and the placeholders a fuzz input can
// use to refer to them. A fresh one per input keeps every input
// reproducible, which the fuzzer's minimizer relies on.
type fuzzServer struct {
	s     *Server
	token string
	ids   *strings.Replacer
}

func newFuzzServer(tb testing.TB) *fuzzServer {
	fs := &fuzzServer{s: New(Options{RateLimit: -1, DeliveryDelay: time.Hour})}
	rec := fs.serve("/v1.0/oauth2/tokens", []byte(`{"AccountKey":"`+DemoAccountKey+`","AccountSecret":"`+DemoAccountSecret+`"}`))
	var out map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	fs.token, _ = out["token"].(string)
	create := func(path, body, key string) string {
		rec := fs.serve(path, []byte(body))
		var out map[string]any
		_ = json.Unmarshal(rec.Body.Bytes(), &out)
		id, _ := out[key].(string)
		if id == "" {
			tb.Fatalf("fuzz setup %s: %d %s", path, rec.Code, rec.Body)
		}
		return id
	}
	mrid := create("/v1.0/message/routes", qsMessageRoute, "MessageRouteId")
	crid := create("/v1.0/voice/routes", qsVoiceRoute, "CallRouteId")
	tsuid := create("/v1.0/subscribers/create", strings.Replace(qsSubscriber, "AID-eab92510-1040-45a5-bb9c-0bad9272f89d", DemoAccountID, 1), "SubscriberId")
	num := create("/v1.0/numbers/provision", `{"NumberType":"mvno","MessageType":"p2p","MessageEnabled":true,"VoiceEnabled":true,
		"ProductType":"Sms+Data+Voice","MessageRouteId":"`+mrid+`","VoiceRouteId":"`+crid+`","AreaCode":"201","AssignedSubscriberId":"`+tsuid+`"}`,
		"PhoneNumberAssigned")
	fs.ids = strings.NewReplacer("$MRID", mrid, "$CRID", crid, "$TSUID", tsuid, "$NUMBER", num)
	return fs
}

func (fs *fuzzServer) serve(path string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if fs.token != "" {
		req.Header.Set("Authorization", "Bearer "+fs.token)
	}
	rec := httptest.NewRecorder()
	fs.s.ServeHTTP(rec, req)
	return rec
}

// FuzzHandler sends arbitrary bodies to every POST endpoint with a valid
// token: the answer must never be a 5xx, and must always be a JSON object,
// in the documented error shape unless it is a 200. Bodies may say $MRID,
// $CRID, $TSUID and $NUMBER to mean the fixture's resources.
//
//	go test -fuzz FuzzHandler -fuzztime 30s ./api/sandbox/
func FuzzHandler(f *testing.F) {
	prov := strings.NewReplacer("MRID-73af1e73-d7b3-4696-bdd9-5b407c96fc8a", "$MRID", `"XXXXX"`, `""`,
		"CRID-4dec6beb-3985-444b-8c06-8baa70dc145", "$CRID", "TSUID-1234567999", "$TSUID").Replace(stripComments(qsProvision))
	out := strings.Replace(qsOutbound, "+18018018011", "$NUMBER", 2)
	for i, body := range []string{qsToken, qsMessageRoute, qsVoiceRoute, qsAvailability, qsSubscriber, prov, out,
		`{"MessageRouteId":"$MRID"}`, `{"CallRouteId":"$CRID"}`,
		`{"StatusChange":"cancel","EffectiveDate":"05/31/2026","PhoneNumbers":[{"Number":"$NUMBER"}]}`} {
		f.Add(uint8(i), []byte(body))
	}
	f.Add(uint8(2), []byte(`{"IpWhitelist":[{"IpAddress":1}],"Trunk1Priortiy":1e99}`))
	f.Add(uint8(3), []byte(`{"PageNumber":9223372036854775807,"NumberType":"mobile","MessageEnabled":true,"VoiceEnabled":true}`))
	f.Add(uint8(4), []byte(`{"Name":"x","Email":"jerome4@joonto.com","PhoneNumbers":[],"Role":"manager","Password":"12345678","AccountId":"`+DemoAccountID+`"}`))

	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		fs := newFuzzServer(t)
		defer fs.s.Close()
		path := postEndpoints[int(which)%len(postEndpoints)]
		rec := fs.serve(path, []byte(fs.ids.Replace(string(body))))
		if rec.Code >= 500 {
			t.Fatalf("%s answered %d to %q: %s", path, rec.Code, body, rec.Body)
		}
		var m map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
			t.Fatalf("%s answered %d with non-JSON %q to %q", path, rec.Code, rec.Body, body)
		}
		if rec.Code != http.StatusOK {
			if sc, _ := m["StatusCode"].(float64); int(sc) != rec.Code {
				t.Fatalf("%s answered %d with StatusCode %v: %s", path, rec.Code, m["StatusCode"], rec.Body)
			}
			if msg, _ := m["Message"].(string); msg == "" {
				t.Fatalf("%s answered %d without a Message", path, rec.Code)
			}
		}
	})
}
