package wizard_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/sandbox"
	"github.com/telegent/telegent-onboard/wizard"
	"github.com/telegent/telegent-onboard/wizard/flow"
)

// recorder sits in front of a sandbox and writes down every API request
// (tokens aside) as "METHOD path", IDs blanked, so two runs against two
// sandboxes compare.
type recorder struct {
	h    http.Handler
	mu   sync.Mutex
	seen []string
}

var idPattern = regexp.MustCompile(`(MRID|CRID|TSUID|SID|NID|JNUOID|TMID)-[A-Za-z0-9-]+`)

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if p := req.URL.Path; strings.HasPrefix(p, "/v1.0/") && !strings.HasSuffix(p, "/oauth2/tokens") {
		r.mu.Lock()
		r.seen = append(r.seen, req.Method+" "+idPattern.ReplaceAllString(p, "$1-…"))
		r.mu.Unlock()
	}
	r.h.ServeHTTP(w, req)
}

// after is what was sent after step 1's AccountId check.
func (r *recorder) after() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, s := range r.seen {
		if s == "GET /v1.0/account/message/routes" {
			return append([]string(nil), r.seen[i+1:]...)
		}
	}
	return nil
}

// fixture is a saved session, made on a fresh sandbox, for both drivers.
type fixture struct {
	name string
	// make builds the session (and what it names on the sandbox).
	make func(t *testing.T, c *api.Client, base string) *flow.Session
	// want is how many requests after step 1 to compare, and when the
	// runs have gone far enough.
	want int
	opts sandbox.Options
}

func demoSession(base string) *flow.Session {
	s := flow.NewSession(base, sandbox.DemoAccountID, time.Now())
	s.RecordCredentials(sandbox.DemoAccountID, nil, time.Now())
	return s
}

func demoRoute(s *flow.Session) api.MessageRouteRequest {
	r := flow.DemoDefaults("", "drivers").MessageRoute
	r.AccountId = s.AccountID
	return r
}

var fixtures = []fixture{
	{"route done", func(t *testing.T, c *api.Client, base string) *flow.Session {
		s := demoSession(base)
		req := demoRoute(s)
		route, err := c.CreateMessageRoute(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		s.RecordMessageRoute(req, route, nil, time.Now())
		return s
	}, 1, sandbox.Options{}},
	{"route in flight, never sent", func(t *testing.T, c *api.Client, base string) *flow.Session {
		s := demoSession(base)
		s.SetInput(flow.MessageRoute, demoRoute(s))
		s.MarkInFlight(flow.MessageRoute, time.Now())
		return s
	}, 3, sandbox.Options{}},
	{"route unknown, created", func(t *testing.T, c *api.Client, base string) *flow.Session {
		s := demoSession(base)
		req := demoRoute(s)
		if _, err := c.CreateMessageRoute(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		s.SetInput(flow.MessageRoute, req)
		s.MarkInFlight(flow.MessageRoute, time.Now())
		s.Steps[flow.MessageRoute].Status = flow.Unknown
		return s
	}, 2, sandbox.Options{}},
	{"route removed by cleanup", func(t *testing.T, c *api.Client, base string) *flow.Session {
		s := demoSession(base)
		req := demoRoute(s)
		route, err := c.CreateMessageRoute(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		s.RecordMessageRoute(req, route, nil, time.Now())
		if _, err := flow.Cleanup(context.Background(), c, s, false); err != nil {
			t.Fatal(err)
		}
		return s
	}, 2, sandbox.Options{}},
	{"order pending", func(t *testing.T, c *api.Client, base string) *flow.Session {
		s := demoSession(base)
		ctx := context.Background()
		req := demoRoute(s)
		route, err := c.CreateMessageRoute(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		s.RecordMessageRoute(req, route, nil, time.Now())
		s.SkipVoiceRoute(time.Now())
		s.PickArea(api.NumberArea{NGP: "SAG", AreaCode: 201, Zipcode: "07302"}, time.Now())
		s.Steps[flow.Subscriber].Status = flow.Skipped
		p := s.ProvisionRequest(flow.DemoDefaults("", "drivers").Provision)
		resp, err := c.ProvisionNumber(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		s.RecordProvision(p, resp, nil, time.Now())
		return s
	}, 2, sandbox.Options{OrderDelay: time.Hour}},
}

// One table, two drivers: for each saved session, the headless run and the
// full-screen wizard resume it and send the same requests, in the same
// order: they share one engine, and neither decides anything itself.
func TestHeadlessAndWizardResumeAlike(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			headless := resumeHeadless(t, fx)
			screen := resumeWizard(t, fx)
			if strings.Join(headless, "\n") != strings.Join(screen, "\n") {
				t.Errorf("the drivers differ:\nheadless:\n  %s\nwizard:\n  %s", strings.Join(headless, "\n  "), strings.Join(screen, "\n  "))
			}
			if len(headless) != fx.want {
				t.Errorf("compared %d requests, want %d: %q", len(headless), fx.want, headless)
			}
		})
	}
}

// setup is a fresh sandbox behind a recorder, and the fixture's session
// saved where a driver resumes it.
func setup(t *testing.T, fx fixture) (*recorder, string, string) {
	t.Helper()
	sb := sandbox.New(fx.opts)
	rec := &recorder{h: sb}
	srv := httptest.NewServer(rec)
	t.Cleanup(func() { srv.Close(); sb.Close() })
	base := srv.URL + "/v1.0"
	c, err := api.New(base, api.Credentials{AccountKey: sandbox.DemoAccountKey, AccountSecret: sandbox.DemoAccountSecret}, api.WithRateLimit(100000))
	if err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(t.TempDir(), "session.json")
	if err := fx.make(t, c, base).Save(state, time.Now()); err != nil {
		t.Fatal(err)
	}
	rec.mu.Lock()
	rec.seen = nil // what the fixture sent is not the driver's
	rec.mu.Unlock()
	return rec, base, state
}

// first is the first n requests after step 1, once there are that many.
func first(t *testing.T, rec *recorder, n int, stop func()) []string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for len(rec.after()) < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d requests after step 1: %q", len(rec.after()), rec.after())
		}
		time.Sleep(5 * time.Millisecond) // polling interval, bounded by the deadline
	}
	stop()
	return rec.after()[:n]
}

func resumeHeadless(t *testing.T, fx fixture) []string {
	rec, base, state := setup(t, fx)
	d := flow.DemoDefaults("", "drivers")
	a := &flow.Answers{MessageRoute: &d.MessageRoute, Availability: &d.Availability,
		Subscriber: &flow.SubscriberAnswer{SubscriberRequest: d.Subscriber}, Provision: &d.Provision, Message: &d.Message}
	creds := api.Credentials{AccountKey: sandbox.DemoAccountKey, AccountSecret: sandbox.DemoAccountSecret}
	c, err := api.New(base, creds, api.WithRateLimit(100000))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = (&flow.Headless{Client: c, Credentials: creds, Session: flow.NewSession(base, sandbox.DemoAccountID, time.Now()),
			StatePath: state, Sandbox: true}).Run(ctx, a)
	}()
	got := first(t, rec, fx.want, cancel)
	<-done
	return got
}

func resumeWizard(t *testing.T, fx fixture) []string {
	rec, base, state := setup(t, fx)
	opts := wizard.Options{
		Sandbox:       true,
		StartSandbox:  func() (string, error) { return base, nil },
		Credentials:   api.Credentials{AccountKey: sandbox.DemoAccountKey, AccountSecret: sandbox.DemoAccountSecret},
		AccountID:     sandbox.DemoAccountID,
		ClientOptions: []api.Option{api.WithRateLimit(100000)},
		DemoSuffix:    "drivers",
		StatePath:     state,
	}
	m := wizard.New(opts)
	term := startTerminal(t, m, 100, 30)
	term.waitFor("Step 1 · Credentials")
	// A person pressing Enter on each field and question, as the headless
	// policy answers (resume, look it up), one key at a time and only when
	// the screen is ready for it, and typing the webhook passwords a saved
	// session never holds (the answers file has them).
	secrets := flow.DemoDefaults("", "drivers").MessageRoute
	typed := map[string]bool{}
	deadline := time.Now().Add(60 * time.Second)
	for len(rec.after()) < fx.want && time.Now().Before(deadline) {
		s := term.screen()
		pressed := true
		switch {
		case strings.Contains(s, "Resume the earlier session?"):
			term.key(char('r'))
		case strings.Contains(s, "Look it up"):
			term.key(char('l'))
		case ready(s) && strings.Contains(s, "┃ MessagePasswordToken") && !typed["m"]:
			typed["m"] = true
			term.retypeSecret(secrets.MessagePasswordToken)
		case ready(s) && strings.Contains(s, "┃ CallbackMessagePasswordToken") && !typed["c"]:
			typed["c"] = true
			term.retypeSecret(secrets.CallbackMessagePasswordToken)
		case ready(s):
			term.enter(1)
		default:
			pressed = false
		}
		if pressed {
			term.waitChange(s)
		} else {
			time.Sleep(5 * time.Millisecond) // polling interval, bounded by the deadline
		}
	}
	got := first(t, rec, fx.want, func() {})
	term.key(keyCtrlC)
	term.finalModel()
	m.Close() // a save in flight ends before the directory is removed
	return got
}
