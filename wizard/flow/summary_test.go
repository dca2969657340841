package flow

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/telegent/telegent-onboard/api"
)

// Every line of Checks has a stable key in the JSON summary: a line added
// to Checks without one would silently vanish from --json.
func TestSummaryNamesEveryCheck(t *testing.T) {
	s := doneSession()
	if got, want := len(Summary(s).Checks), len(Checks(s)); got != want || want != len(checkKeys) {
		t.Errorf("the summary has %d checks, Checks %d, checkKeys %d", got, want, len(checkKeys))
	}
}

// The JSON summary keeps its keys whatever the session holds (a key that
// comes and goes breaks `jq -e`), writes & < > as they are, and its checks
// are keyed by meaning, not by a label that changes with the session.
func TestSummaryJSONShapeIsStable(t *testing.T) {
	keys := func(s *Session) (map[string]any, string) {
		t.Helper()
		data, err := ExportJSON(s)
		must(t, err)
		var m map[string]any
		must(t, json.Unmarshal(data, &m))
		return m, string(data)
	}
	empty, _ := keys(NewSession("http://127.0.0.1:1/v1.0", "", t0))
	full := doneSession()
	full.RecordProvision(api.ProvisionRequest{}, &api.ProvisionResponse{OrderId: "JNUOID-1", OrderStatus: "Complete",
		PhoneNumberAssigned: "+12015550100", PhoneNumberId: "NID-1", QRCode: "LPA:1$x&y"}, nil, t0)
	full.BaseURL = "http://127.0.0.1:1/v1.0?a=1&b=<2>"
	got, text := keys(full)
	for k := range got {
		if _, ok := empty[k]; !ok {
			t.Errorf("key %q appears only when the session has it", k)
		}
	}
	if n := reflect.TypeFor[RunSummary]().NumField(); len(empty) != n || len(got) != n {
		t.Errorf("an empty session has %d keys, a full one %d; RunSummary has %d fields", len(empty), len(got), n)
	}
	if strings.Contains(text, `\u0026`) || strings.Contains(text, `\u003c`) || !strings.Contains(text, "a=1&b=<2>") {
		t.Errorf("HTML-escaped:\n%s", text)
	}
	full.Steps[VoiceRoute].Status = Skipped // changes the routes line's label
	if c := Summary(full).Checks; !c["routesConfigured"] || len(c) != len(checkKeys) {
		t.Errorf("checks after skipping voice: %v", c)
	}
}
