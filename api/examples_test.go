package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// officialDoc reads one of the official OpenAPI files: the copy in
// testdata first, else the shared docs beside the repository (in CI a copy
// of shared/ sits beside the clone). It skips the test only when neither
// exists.
func officialDoc(t *testing.T, name string) map[string]any {
	t.Helper()
	local := filepath.Join("testdata", name)
	shared := filepath.Join("..", "..", "shared", "docs", "openapi", name) // module root/../shared
	data, err := os.ReadFile(local)
	if err != nil {
		if data, err = os.ReadFile(shared); err != nil {
			t.Skipf("%s is in neither %s nor %s: cannot check the official examples", name, local, shared)
		}
	} else if other, err := os.ReadFile(shared); err == nil && !bytes.Equal(other, data) {
		t.Logf("%s differs from %s: refresh the testdata copy", local, shared)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return doc
}

// example is one official response example of one operation.
type example struct {
	route  string // "POST /v1.0/message/routes"
	status int
	name   string
	body   any
	types  []string // the content types the document lists for the status
}

func officialExamples(t *testing.T, doc map[string]any) []example {
	var out []example
	obj := func(v any) map[string]any { m, _ := v.(map[string]any); return m }
	for p, ops := range obj(doc["paths"]) {
		for method, op := range obj(ops) {
			for code, resp := range obj(obj(op)["responses"]) {
				var status int
				fmt.Sscan(code, &status)
				content := obj(obj(resp)["content"])
				var types []string
				for ct := range content {
					types = append(types, ct)
				}
				sort.Strings(types)
				js := obj(content["application/json"])
				if ex, ok := js["example"]; ok {
					out = append(out, example{strings.ToUpper(method) + " " + p, status, "example", ex, types})
				}
				for name, ex := range obj(js["examples"]) {
					out = append(out, example{strings.ToUpper(method) + " " + p, status, name, obj(ex)["value"], types})
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return fmt.Sprint(out[i].route, out[i].status, out[i].name) < fmt.Sprint(out[j].route, out[j].status, out[j].name)
	})
	return out
}

// officialCalls calls each documented operation through the real client
// and returns what it decoded.
var officialCalls = map[string]func(context.Context, *Client) (any, error){
	"POST /v1.0/OAuth2/tokens": func(ctx context.Context, c *Client) (any, error) { return nil, c.Authenticate(ctx) },
	"POST /v1.0/message/routes": func(ctx context.Context, c *Client) (any, error) {
		return c.CreateMessageRoute(ctx, MessageRouteRequest{RouteName: "r", MessageUrl: "https://example.com", MessageUrlMethod: "POST"})
	},
	"POST /v1.0/voice/routes": func(ctx context.Context, c *Client) (any, error) {
		return c.CreateVoiceRoute(ctx, VoiceRouteRequest{RouteName: "v", RouteType: "Trunk"})
	},
	"POST /v1.0/numbers/availability": func(ctx context.Context, c *Client) (any, error) {
		return c.SearchAvailability(ctx, AvailabilityRequest{NumberType: "mobile"})
	},
	"POST /v1.0/subscribers/create": func(ctx context.Context, c *Client) (any, error) {
		return c.CreateSubscriber(ctx, SubscriberRequest{Name: "n", Email: "n@example.com"})
	},
	"POST /v1.0/numbers/provision": func(ctx context.Context, c *Client) (any, error) {
		return c.ProvisionNumber(ctx, ProvisionRequest{NumberType: "mvno", ProductType: "Sms-Only"})
	},
	"GET /v1.0/numbers/order": func(ctx context.Context, c *Client) (any, error) { return c.GetOrder(ctx, "JNUOID-1") },
	"POST /v1.0/message/outbound": func(ctx context.Context, c *Client) (any, error) {
		return c.SendMessage(ctx, OutboundMessageRequest{From: "+18015550100", Body: "x", To: []Recipient{{Number: "+18015550101"}}})
	},
	"GET /v1.0/account/message/routes": func(ctx context.Context, c *Client) (any, error) { return c.ListMessageRoutes(ctx, "AID-1") },
	"GET /v1.0/account/voice/routes":   func(ctx context.Context, c *Client) (any, error) { return c.ListVoiceRoutes(ctx, "AID-1") },
	"GET /v1.0/message/details":        func(ctx context.Context, c *Client) (any, error) { return c.GetMessage(ctx, "TMID-1") },
	"GET /v1.0/message/routes":         func(ctx context.Context, c *Client) (any, error) { return c.GetMessageRoute(ctx, "MRID-1") },
	"GET /v1.0/message/search": func(ctx context.Context, c *Client) (any, error) {
		return c.SearchMessages(ctx, MessageSearchQuery{PhoneNumber: "+18015555555"})
	},
	"GET /v1.0/numbers": func(ctx context.Context, c *Client) (any, error) {
		return c.GetNumber(ctx, NumberQuery{Number: "+18018018011"})
	},
	"GET /v1.0/numbers/inventory": func(ctx context.Context, c *Client) (any, error) {
		return c.NumberInventory(ctx, InventoryQuery{PageNumber: 1})
	},
	"GET /v1.0/subscribers/get": func(ctx context.Context, c *Client) (any, error) { return c.GetSubscriber(ctx, "TSUID-1") },
	"GET /v1.0/voice/routes":    func(ctx context.Context, c *Client) (any, error) { return c.GetVoiceRoute(ctx, "CRID-1") },
	"POST /v1.0/message/routes/delete": func(ctx context.Context, c *Client) (any, error) {
		return c.DeleteMessageRoute(ctx, "MRID-1")
	},
	"POST /v1.0/numbers/status": func(ctx context.Context, c *Client) (any, error) {
		return c.ChangeNumberStatus(ctx, NumberStatusRequest{StatusChange: StatusChangeActivate, PhoneNumbers: []PhoneNumberRef{{Number: "+12016093801"}}})
	},
	"POST /v1.0/voice/routes/delete": func(ctx context.Context, c *Client) (any, error) { return c.DeleteVoiceRoute(ctx, "CRID-1") },
}

// Every official example, success and error, in every content type the
// document lists for it, decodes through the real client: a success
// without error and without dropping a documented field, an error as an
// *Error with the status, the document's message and a remedy.
func TestEveryOfficialExampleDecodes(t *testing.T) {
	var all []example
	for _, name := range []string{"telegent-openapi-subset.json", "telegent-lookups.json"} {
		all = append(all, officialExamples(t, officialDoc(t, name))...)
	}
	seenOps := map[string]bool{}
	statuses := map[int]bool{}
	for _, ex := range all {
		call, ok := officialCalls[ex.route]
		if !ok {
			t.Errorf("%s: no client call for this documented operation", ex.route)
			continue
		}
		seenOps[ex.route] = true
		statuses[ex.status] = true
		raw, _ := json.Marshal(ex.body)
		for _, ct := range ex.types {
			bodies := [][]byte{raw}
			if ct == "text/plain" && ex.status >= 400 {
				// A plain-text server may send the message alone.
				if m, ok := ex.body.(map[string]any)["Message"].(string); ok {
					bodies = append(bodies, []byte(m))
				}
			}
			for i, body := range bodies {
				t.Run(fmt.Sprintf("%s/%d/%s/%s/%d", ex.route, ex.status, ex.name, ct, i), func(t *testing.T) {
					checkExample(t, ex, ct, body, call)
				})
			}
		}
	}
	for route := range officialCalls {
		if !seenOps[route] {
			t.Errorf("%s has no official example in the documents", route)
		}
	}
	for _, s := range []int{200, 400, 401, 403, 404, 405, 408, 429, 500, 503, 504} {
		if !statuses[s] {
			t.Errorf("no official example with status %d was walked", s)
		}
	}
}

func checkExample(t *testing.T, ex example, contentType string, body []byte, call func(context.Context, *Client) (any, error)) {
	s := newStub(t)
	method, path, _ := strings.Cut(ex.route, " ")
	if strings.EqualFold(path, "/v1.0/OAuth2/tokens") {
		path = "/v1.0/oauth2/tokens" // the client's casing; both work
	}
	serve := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(ex.status)
		_, _ = w.Write(body)
	}
	s.on(method+" "+path, serve)
	c, _ := newStubClient(t, s)
	got, err := call(context.Background(), c)
	if ex.status < 300 {
		if err != nil {
			t.Fatalf("the official example did not decode: %v\n%s", err, body)
		}
		if got != nil {
			checkNoFieldDropped(t, "", ex.body, reflect.ValueOf(got))
		}
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want *Error, got %v", err)
	}
	msg, _ := ex.body.(map[string]any)["Message"].(string)
	if e.Status != ex.status || e.Message != msg {
		t.Errorf("status %d message %q; want %d %q", e.Status, e.Message, ex.status, msg)
	}
	if e.Remedy == "" {
		t.Errorf("%d has no remedy", ex.status)
	}
}

// checkNoFieldDropped walks an example against what the client decoded:
// every key has a field (matched case-insensitively, as encoding/json
// does), and every value that says something (not null, "", false, 0) is
// there after decoding. Secret keys are dropped on purpose: the client
// never holds the passwords a route echoes.
func checkNoFieldDropped(t *testing.T, at string, want any, got reflect.Value) {
	t.Helper()
	if want == nil {
		return // null: nothing to keep
	}
	for got.Kind() == reflect.Pointer || got.Kind() == reflect.Interface {
		if got.IsNil() {
			t.Errorf("%s: decoded as nil, the example has %v", at, want)
			return
		}
		got = got.Elem()
	}
	switch w := want.(type) {
	case map[string]any:
		if got.Kind() != reflect.Struct {
			return
		}
		for k, v := range w {
			if IsSecretKey(k) {
				continue
			}
			f, ok := fieldByJSONName(got, k)
			if !ok {
				t.Errorf("%s%s: documented field dropped (no field in %s)", at, k, got.Type())
				continue
			}
			checkNoFieldDropped(t, at+k+".", v, f)
		}
	case []any:
		if got.Kind() != reflect.Slice {
			return
		}
		if _, isRecipients := got.Interface().(Recipients); !isRecipients && got.Len() != len(w) {
			t.Errorf("%s: %d items decoded, the example has %d", at, got.Len(), len(w))
			return
		}
		for i := 0; i < min(got.Len(), len(w)); i++ {
			checkNoFieldDropped(t, fmt.Sprintf("%s[%d].", strings.TrimSuffix(at, "."), i), w[i], got.Index(i))
		}
	default:
		if w == nil || w == false || w == "" || w == float64(0) {
			return // says nothing, so zero is right
		}
		if got.IsZero() {
			t.Errorf("%s: the example's %v decoded as the zero value", strings.TrimSuffix(at, "."), w)
		}
	}
}

func fieldByJSONName(v reflect.Value, key string) (reflect.Value, bool) {
	typ := v.Type()
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" {
			name = f.Name
		}
		if strings.EqualFold(name, key) {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}
