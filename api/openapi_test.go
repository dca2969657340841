package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// The official OpenAPI subset (copied from shared/docs/openapi, see
// testdata/telegent-openapi-subset.SOURCE.md). Every request the client sends
// for one of its eight operations is validated against it.
const openAPISubset = "testdata/telegent-openapi-subset.json"

var (
	specOnce sync.Once
	spec     *openapi3.T
	specErr  error
)

func loadSpec(t testing.TB) *openapi3.T {
	t.Helper()
	specOnce.Do(func() {
		loader := openapi3.NewLoader()
		spec, specErr = loader.LoadFromFile(openAPISubset)
		if specErr == nil {
			specErr = spec.Validate(loader.Context)
		}
	})
	if specErr != nil {
		t.Fatalf("OpenAPI subset: %v", specErr)
	}
	return spec
}

type formatFunc func(string) error

func (f formatFunc) Validate(s string) error { return f(s) }

// The schema's "uri" and "email" formats are checked too: kin-openapi only
// checks formats it is given.
var schemaFormats = []openapi3.SchemaValidationOption{
	openapi3.EnableFormatValidation(),
	openapi3.WithStringFormatValidator("email", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForEmail)),
	openapi3.WithStringFormatValidator("uri", formatFunc(func(s string) error {
		u, err := url.Parse(s)
		if err != nil || u.Scheme == "" {
			return fmt.Errorf("not an absolute URI: %q", s)
		}
		return nil
	})),
}

// validatingTransport checks each request against the subset before sending
// it. Operations outside the subset (the lookups and deletes) pass unchecked.
type validatingTransport struct {
	t        testing.TB
	next     http.RoundTripper
	mu       sync.Mutex
	checked  map[string]int // "METHOD /path" → requests validated
	failures []string
}

func newValidatingTransport(t testing.TB) *validatingTransport {
	loadSpec(t)
	v := &validatingTransport{t: t, next: http.DefaultTransport, checked: map[string]int{}}
	t.Cleanup(func() {
		v.mu.Lock()
		defer v.mu.Unlock()
		for _, f := range v.failures {
			t.Errorf("request does not match the official OpenAPI schema: %s", f)
		}
	})
	return v
}

func (v *validatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	if err := v.validate(req, body); err != nil {
		v.mu.Lock()
		v.failures = append(v.failures, fmt.Sprintf("%s %s %s: %v", req.Method, req.URL.Path, body, err))
		v.mu.Unlock()
	}
	return v.next.RoundTrip(req)
}

func (v *validatingTransport) validate(req *http.Request, body []byte) error {
	// The spec's paths start with /v1.0 like the real URLs; the token path is
	// /v1.0/OAuth2/tokens there and /v1.0/oauth2/tokens in the quickstart
	// (both work), so paths are matched without regard to case.
	for path, item := range spec.Paths.Map() {
		if !strings.EqualFold(path, req.URL.Path) {
			continue
		}
		op := item.GetOperation(req.Method)
		if op == nil {
			return nil // a lookup on the same path (GET /message/routes): not in the subset
		}
		clone := req.Clone(context.Background())
		clone.Body = io.NopCloser(bytes.NewReader(body))
		clone.URL.Path = path
		err := openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{
			Request: clone,
			Route:   &routers.Route{Spec: spec, Path: path, PathItem: item, Method: req.Method, Operation: op},
			Options: &openapi3filter.Options{
				AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc,
				MultiError:              true,
				SchemaValidationOptions: schemaFormats,
			},
		})
		if err == nil {
			v.mu.Lock()
			v.checked[req.Method+" "+path]++
			v.mu.Unlock()
		}
		return err
	}
	return nil
}

func (v *validatingTransport) operationsChecked() map[string]int {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := make(map[string]int, len(v.checked))
	for k, n := range v.checked {
		out[k] = n
	}
	return out
}

// The validator itself must refuse what the schema refuses, or passing it
// proves nothing.
func TestValidatorRefusesWhatTheSchemaRefuses(t *testing.T) {
	loadSpec(t)
	v := &validatingTransport{t: t, checked: map[string]int{}}
	for _, tc := range []struct{ path, body string }{
		{"/v1.0/message/routes", `{"RouteName":"r","MessageUrl":"https://x.example","MessageUrlMethod":"PUT"}`},
		{"/v1.0/message/routes", `{"RouteName":"r","MessageUrlMethod":"POST"}`},
		{"/v1.0/numbers/provision", `{"NumberType":"mvno","MessageType":"p2p","MessageEnabled":true,"VoiceEnabled":false,"ProductType":"data-only"}`},
		{"/v1.0/numbers/availability", `{"NumberType":"voip","MessageEnabled":true,"VoiceEnabled":true}`},
		{"/v1.0/subscribers/create", `{"Name":"n","Email":"not-an-email","PhoneNumbers":[],"Role":"Subscriber","Password":"p","AccountId":"a"}`},
		{"/v1.0/voice/routes", `{"RouteName":"v","RouteType":"Trunk","Trunk1Priortiy":"high"}`},
		{"/v1.0/OAuth2/tokens", `{"AccountKey":"k"}`},
	} {
		req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1"+tc.path, strings.NewReader(tc.body))
		req.Header.Set("Content-Type", "application/json")
		if err := v.validate(req, []byte(tc.body)); err == nil {
			t.Errorf("validator accepted %s %s", tc.path, tc.body)
		}
	}
}
