package main

import (
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/telegent/telegent-onboard/wizard/flow"
)

// keySet is every key path in a JSON object ("steps.provision"), the
// values left out, so two outputs can be compared by shape.
func keySet(t *testing.T, data string) []string {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(data), &v); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, data)
	}
	var keys []string
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, x := range m {
			keys = append(keys, prefix+k)
			switch x := x.(type) {
			case map[string]any:
				walk(prefix+k+".", x)
			case []any:
				for _, e := range x {
					if o, ok := e.(map[string]any); ok {
						walk(prefix+k+"[].", o)
					}
				}
			}
		}
	}
	walk("", v)
	sort.Strings(keys)
	return keys
}

// A headless run's --json and `export --format json` of the session it
// saved are one shape: the same keys, camelCase, a schemaVersion, and "&"
// written as it is. Here they are byte for byte the same document.
func TestJSONSummaryAndExportAreOneShape(t *testing.T) {
	state := filepath.Join(t.TempDir(), "s.json")
	summary, stderr, code, err := runHeadlessCmd(t, "--non-interactive", "--answers", "testdata/answers.yaml", "--sandbox", "--json", "--state", state)
	if code != 0 {
		t.Fatalf("exit %d: %v\n%s", code, err, stderr)
	}
	r := runSessionCmd(t, nil, "export", "--format", "json", "--state", state)
	if r.err != nil {
		t.Fatalf("export: %v\n%s", r.err, r.stderr)
	}
	runKeys, exportKeys := keySet(t, summary), keySet(t, r.stdout)
	if !reflect.DeepEqual(runKeys, exportKeys) {
		t.Errorf("--json keys:\n%v\nexport keys:\n%v", runKeys, exportKeys)
	}
	if summary != r.stdout {
		t.Errorf("the same session printed two ways:\n--json:\n%s\nexport:\n%s", summary, r.stdout)
	}
	for _, k := range runKeys {
		last := k[strings.LastIndex(k, ".")+1:]
		if last == "" || last[0] < 'a' || last[0] > 'z' || strings.ContainsAny(last, "_-") {
			t.Errorf("key %q is not camelCase", k)
		}
	}
	var doc struct {
		SchemaVersion int             `json:"schemaVersion"`
		Checks        map[string]bool `json:"checks"`
		Recipients    []struct {
			Number string `json:"number"`
		} `json:"recipients"`
	}
	if err := json.Unmarshal([]byte(summary), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SchemaVersion != flow.SummarySchemaVersion || !doc.Checks["messageSent"] || len(doc.Recipients) == 0 || doc.Recipients[0].Number == "" {
		t.Errorf("schemaVersion %d, checks %v, recipients %v", doc.SchemaVersion, doc.Checks, doc.Recipients)
	}
	if strings.Contains(summary, `\u0026`) {
		t.Errorf("HTML-escaped output:\n%s", summary)
	}
}

// A --sandbox run without --state keeps nothing: its state dies with the
// sandbox, so no session file (or directory) appears under HOME or the
// config directory. Run as a real process with both pointed at empty
// directories.
func TestSandboxHeadlessRunWritesNoSessionFile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	home, config := t.TempDir(), t.TempDir()
	cmd := exec.Command(binary(t, "."), "--non-interactive", "--sandbox", "--answers", "testdata/answers.yaml")
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HOME=") && !strings.HasPrefix(kv, "XDG_") && !strings.HasPrefix(kv, "TELEGENT_") {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, "HOME="+home, "XDG_CONFIG_HOME="+config)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(string(out), "Telegent onboarding summary") {
		t.Fatalf("the run did not finish:\n%s", out)
	}
	for _, dir := range []string{home, config} {
		_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if path != dir {
				t.Errorf("the run left %s", path)
			}
			return err
		})
	}
}
