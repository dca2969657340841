package flow

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// StateVersion is the state file's format; a newer file is refused rather
// than misread.
const StateVersion = 1

// stateFile is the session as written to disk.
type stateFile struct {
	Version   int       `json:"version"`
	*Session            // secrets already stripped
	UpdatedAt time.Time `json:"updatedAt"`
}

// DefaultStatePath is where a session for this API and account lives:
// one file per base URL and AccountId under the user's config directory.
func DefaultStatePath(baseURL, accountID string) (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no config directory for the session file (use --state FILE): %w", err)
	}
	if testing.Testing() && !within(dir, os.TempDir()) {
		// A test that forgot its temporary home would write into the
		// user's real sessions; fail it loudly instead.
		return "", fmt.Errorf("a test may not use the real config directory %s: run it under flowtest.Main or set XDG_CONFIG_HOME to a temporary directory", dir)
	}
	return filepath.Join(dir, "telegent-onboard", stateFileName(baseURL, accountID)), nil
}

// within reports whether path lies inside dir.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// stateFileName is readable (host and account) and unique (a hash of the
// full base URL, so two sandboxes on different ports do not share a file).
func stateFileName(baseURL, accountID string) string {
	host := baseURL
	if u, err := url.Parse(baseURL); err == nil && u.Host != "" {
		host = u.Host
	}
	sum := sha256.Sum256([]byte(baseURL + "\x00" + accountID))
	name := unsafeChars.ReplaceAllString(host+"_"+accountID, "-")
	return strings.Trim(name, "-") + "_" + hex.EncodeToString(sum[:4]) + ".json"
}

// WithoutSecrets is a copy of the session fit for a file, an export or a
// log: every password and token the inputs held is blanked. The bearer
// token and AccountSecret are never in a session at all.
func (s *Session) WithoutSecrets() *Session {
	c := *s
	c.Exchanges = nil
	if r := s.Inputs.MessageRoute; r != nil {
		cp := *r
		cp.MessagePasswordToken, cp.CallbackMessagePasswordToken = "", ""
		c.Inputs.MessageRoute = &cp
	}
	if r := s.Inputs.VoiceRoute; r != nil {
		cp := *r
		cp.VoicePasswordToken = ""
		c.Inputs.VoiceRoute = &cp
	}
	if r := s.Inputs.Subscriber; r != nil {
		cp := *r
		cp.Password = ""
		c.Inputs.Subscriber = &cp
	}
	return &c
}

// Encode is the state file's content: the session without secrets. It does
// no I/O, so a UI can take the snapshot in its update loop and write it in
// the background with WriteState.
func (s *Session) Encode(now time.Time) ([]byte, error) {
	data, err := json.MarshalIndent(stateFile{Version: StateVersion, Session: s.WithoutSecrets(), UpdatedAt: now.UTC()}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// Save writes the session to path (Encode, then WriteState), durably.
func (s *Session) Save(path string, now time.Time) error { return s.SaveAs(path, now, true) }

// SaveAs writes the session to path; durable says whether it must survive
// a power cut before the caller goes on (see WriteStateAs).
func (s *Session) SaveAs(path string, now time.Time, durable bool) error {
	data, err := s.Encode(now)
	if err != nil {
		return err
	}
	return WriteStateAs(path, data, durable)
}

// Durable reports whether the save a Next asks for must reach the disk
// before the driver goes on: only the in-flight record of a create, which
// is what makes a crash during the request safe (the next run looks the
// resource up before sending anything). Any later save can be lost to a
// power cut without harm: the in-flight record it replaces leads to the
// same look-up. The atomic rename keeps every file whole either way.
func (n Next) Durable() bool { return n.Kind == Send && n.Call != nil && n.Call.Kind == CallCreate }

// fsyncs counts the syncs WriteStateAs makes, for the benchmark that
// reports them per run.
var fsyncs, writes atomic.Int64

// WriteState writes a state file atomically: a temporary file in the same
// directory, synced, then renamed over the old one, so a crash at any moment
// leaves either the old state or the new, never half of one. The file is
// 0600 and its directory 0700.
func WriteState(path string, data []byte) error { return WriteStateAs(path, data, true) }

// WriteStateAs is WriteState; durable syncs the file and its directory
// before returning, otherwise the rename alone keeps the file whole.
func WriteStateAs(path string, data []byte, durable bool) error {
	writes.Add(1)
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("session directory %s: %w", dir, err)
	}
	RemoveStaleTemps(dir, time.Now())
	tmp, err := os.CreateTemp(dir, ".session-*.tmp")
	if err != nil {
		return fmt.Errorf("session file: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename this is a no-op
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", tmp.Name(), err)
	}
	if durable {
		fsyncs.Add(1)
		if err := tmp.Sync(); err != nil {
			tmp.Close()
			return err
		}
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("saving %s: %w", path, err)
	}
	// The rename is only durable once the directory entry is.
	if d, err := os.Open(dir); durable && err == nil {
		fsyncs.Add(1)
		_ = d.Sync()
		d.Close()
	} else if err == nil {
		d.Close()
	}
	return nil
}

// staleTempAge is how old a temporary file must be to count as left by a
// killed save: a save takes milliseconds, so an older one is no other
// process's save in progress (two sessions can share a directory).
const staleTempAge = time.Minute

// RemoveStaleTemps deletes the temporary files (.session-*.tmp) a save
// killed between write and rename left in dir. They hold a session without
// secrets, but nothing ever reads them. Errors are ignored: it only tidies.
func RemoveStaleTemps(dir string, now time.Time) {
	matches, _ := filepath.Glob(filepath.Join(dir, ".session-*.tmp"))
	for _, m := range matches {
		if info, err := os.Lstat(m); err == nil && info.Mode().IsRegular() && now.Sub(info.ModTime()) > staleTempAge {
			_ = os.Remove(m)
		}
	}
}

// ErrNoSession means there is no session file yet.
var ErrNoSession = errors.New("no session file")

// LoadSession reads a session file. A missing file is ErrNoSession. Stale
// temporary files beside it are removed.
func LoadSession(path string) (*Session, error) {
	RemoveStaleTemps(filepath.Dir(path), time.Now())
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, err
	}
	var f stateFile
	f.Session = &Session{}
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s is not a telegent-onboard session file: %w", path, err)
	}
	if f.Version > StateVersion {
		return nil, fmt.Errorf("%s was written by a newer telegent-onboard (format %d); upgrade to read it", path, f.Version)
	}
	for i := range f.Steps {
		if f.Steps[i].Status == "" {
			f.Steps[i].Status = Pending
		}
	}
	return f.Session, nil
}

// Backup moves an existing session aside (start over keeps the old one) and
// returns where it went.
func Backup(path string, now time.Time) (string, error) {
	dest := strings.TrimSuffix(path, ".json") + "." + now.UTC().Format("20060102T150405Z") + ".bak.json"
	if err := os.Rename(path, dest); err != nil {
		return "", err
	}
	return dest, nil
}

// HasProgress reports whether the session created or decided anything worth
// resuming.
func (s *Session) HasProgress() bool {
	for step := MessageRoute; step < NumSteps; step++ {
		if st := s.Steps[step].Status; st != Pending {
			return true
		}
	}
	return false
}

// SessionPath is where a run saves its session: the path given (--state),
// else nothing for a sandbox (its state dies with it), else the default
// file for this API and account.
func SessionPath(given string, sandbox bool, baseURL, accountID string) (string, error) {
	switch {
	case given != "":
		return given, nil
	case sandbox:
		return "", nil
	}
	return DefaultStatePath(baseURL, accountID)
}
