package flow

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/telegent/telegent-onboard/api"
)

func TestSaveLoadRoundTripWithoutSecrets(t *testing.T) {
	s := doneSession()
	s.Inputs.MessageRoute = &api.MessageRouteRequest{RouteName: "r", MessagePasswordToken: "hook-secret-1", CallbackMessagePasswordToken: "cb-secret-2"}
	s.Inputs.VoiceRoute = &api.VoiceRouteRequest{RouteName: "v", VoicePasswordToken: "voice-secret-3"}
	s.Inputs.Subscriber = &api.SubscriberRequest{Email: "a@b.co", Password: "subscriber-secret-4"}
	s.MarkInFlight(Provision, t0)

	dir := filepath.Join(t.TempDir(), "telegent-onboard")
	path := filepath.Join(dir, "session.json")
	if err := s.Save(path, t0); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{path: 0o600, dir: 0o700} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s mode %o, want %o", p, got, want)
		}
	}
	raw, _ := os.ReadFile(path)
	for _, secret := range []string{"hook-secret-1", "cb-secret-2", "voice-secret-3", "subscriber-secret-4"} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the state file holds secret %q", secret)
		}
	}
	if s.Inputs.Subscriber.Password != "subscriber-secret-4" {
		t.Error("saving stripped the secret from the live session too")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}

	back, err := LoadSession(path)
	if err != nil {
		t.Fatal(err)
	}
	if back.IDs.MessageRouteID != "MRID-1" || back.IDs.SubscriberID != "TSUID-1" || back.Status(Provision) != InFlight ||
		back.Status(VoiceRoute) != Done || back.AccountID != "AID-1" || back.Inputs.MessageRoute.RouteName != "r" {
		t.Errorf("round trip lost state: %+v %+v", back.IDs, back.Steps)
	}
}

func TestLoadMissingAndForeignFiles(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadSession(filepath.Join(dir, "none.json")); !errors.Is(err, ErrNoSession) {
		t.Errorf("missing file: %v", err)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("not json"), 0o600)
	if _, err := LoadSession(bad); err == nil || !strings.Contains(err.Error(), "not a telegent-onboard session file") {
		t.Errorf("foreign file: %v", err)
	}
	newer := filepath.Join(dir, "newer.json")
	os.WriteFile(newer, []byte(`{"version": 99}`), 0o600)
	if _, err := LoadSession(newer); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("newer format: %v", err)
	}
}

func TestDefaultPathIsPerBaseURLAndAccount(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	a, _ := DefaultStatePath("https://api.telegent.com/v1.0", "AID-1")
	b, _ := DefaultStatePath("https://api.telegent.com/v1.0", "AID-2")
	c, _ := DefaultStatePath("http://127.0.0.1:8089/v1.0", "AID-1")
	d, _ := DefaultStatePath("http://127.0.0.1:8090/v1.0", "AID-1")
	if a == b || a == c || c == d {
		t.Errorf("paths collide: %s %s %s %s", a, b, c, d)
	}
	if !strings.Contains(a, filepath.Join("telegent-onboard", "api.telegent.com_AID-1_")) {
		t.Errorf("path %s does not say what it is for", a)
	}
}

func TestBackupKeepsTheOldSession(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.json")
	if err := doneSession().Save(path, t0); err != nil {
		t.Fatal(err)
	}
	dest, err := Backup(path, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Error("the session is still in place after backup")
	}
	if old, err := LoadSession(dest); err != nil || old.IDs.MessageRouteID != "MRID-1" {
		t.Errorf("backup unreadable: %v", err)
	}
}

// A test that points the config directory outside the temporary area (the
// user's real one, say) gets an error, never a path to write to.
func TestDefaultPathRefusesARealHomeWhileTesting(t *testing.T) {
	real := filepath.Join(string(filepath.Separator), "home", "someone", ".config")
	if within(real, os.TempDir()) {
		t.Skipf("the temporary directory %s contains %s", os.TempDir(), real)
	}
	t.Setenv("XDG_CONFIG_HOME", real)
	t.Setenv("HOME", filepath.Dir(real))
	if p, err := DefaultStatePath("https://api.telegent.com/v1.0", "AID-1"); err == nil {
		t.Fatalf("got a session path %s in a real home while testing", p)
	} else if !strings.Contains(err.Error(), "XDG_CONFIG_HOME") {
		t.Errorf("the refusal does not say what to do: %v", err)
	}
}

// A save killed between write and rename leaves a .session-*.tmp file; the
// next use of the directory removes it, but not a fresh one (another
// process's save in progress) nor anything else.
func TestStaleTempFilesAreRemoved(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.json")
	old := filepath.Join(dir, ".session-111.tmp")
	fresh := filepath.Join(dir, ".session-222.tmp")
	other := filepath.Join(dir, "notes.tmp")
	for _, p := range []string{old, fresh, other} {
		if err := os.WriteFile(p, []byte("{}"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-time.Hour)
	for _, p := range []string{old, other} {
		if err := os.Chtimes(p, long, long); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := LoadSession(path); !errors.Is(err, ErrNoSession) {
		t.Fatal(err)
	}
	if _, err := os.Stat(old); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the stale temporary file is still there: %v", err)
	}
	for _, p := range []string{fresh, other} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(p), err)
		}
	}
	// Saving tidies too.
	if err := os.Chtimes(fresh, long, long); err != nil {
		t.Fatal(err)
	}
	if err := NewSession("http://127.0.0.1:1/v1.0", "AID-1", time.Now()).Save(path, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(fresh); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("saving left the stale temporary file: %v", err)
	}
}
