package flow

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/sandbox"
)

// lossy serves a sandbox and, on request, carries out one create and then
// drops its answer (the outcome-unknown case), or refuses one lookup.
type lossy struct {
	h        http.Handler
	mu       sync.Mutex
	loseNext map[string]int // POST path → answers to drop
	failNext map[string]int // GET path → lookups to refuse with 400
	onLose   func()         // runs after a create is carried out and before its answer is dropped
	lost     bool
	// gatewayNext: POST path → creates to carry out and then answer 504,
	// as a gateway that timed out waiting for the API would.
	gatewayNext map[string]int
	posts       map[string]int // POST path → requests received
}

func (l *lossy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	lose := r.Method == http.MethodPost && l.loseNext[r.URL.Path] > 0
	if lose {
		l.loseNext[r.URL.Path]--
	}
	// Look-ups fail only after an answer was lost: the check of the
	// AccountId at step 1 reads the same list.
	gateway := r.Method == http.MethodPost && l.gatewayNext[r.URL.Path] > 0
	fail := r.Method == http.MethodGet && l.failNext[r.URL.Path] > 0 && l.lost
	if lose || gateway {
		l.lost = true
	}
	if fail {
		l.failNext[r.URL.Path]--
	}
	if gateway {
		l.gatewayNext[r.URL.Path]--
	}
	if r.Method == http.MethodPost && l.posts != nil {
		l.posts[r.URL.Path]++
	}
	l.mu.Unlock()
	switch {
	case gateway:
		l.h.ServeHTTP(httptest.NewRecorder(), r) // carried out
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusGatewayTimeout)
		w.Write([]byte(`{"StatusCode": 504, "Message": "Gateway timeout: an upstream service did not respond in time. Retry with exponential backoff."}`))
	case fail:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"StatusCode": 400, "Message": "lookup refused by the test"}`))
	case lose:
		rec := httptest.NewRecorder()
		l.h.ServeHTTP(rec, r)
		if l.onLose != nil {
			l.onLose()
		}
		panic(http.ErrAbortHandler) // carried out; the answer is lost
	default:
		l.h.ServeHTTP(w, r)
	}
}

type rig struct {
	sb    *sandbox.Server
	lossy *lossy
	url   string
	state string
}

func newRig(t testing.TB, opts sandbox.Options) *rig {
	t.Helper()
	sb := sandbox.New(opts)
	l := &lossy{h: sb, loseNext: map[string]int{}, failNext: map[string]int{}, gatewayNext: map[string]int{}, posts: map[string]int{}}
	srv := httptest.NewServer(l)
	t.Cleanup(func() { srv.Close(); sb.Close() })
	return &rig{sb: sb, lossy: l, url: srv.URL + "/v1.0", state: filepath.Join(t.TempDir(), "state", "session.json")}
}

// run is one headless run, resuming the rig's state file like a new process.
func (r *rig) run(t testing.TB, a *Answers, opts ...api.Option) (*Session, string, error) {
	t.Helper()
	c, err := api.New(r.url, api.Credentials{AccountKey: sandbox.DemoAccountKey, AccountSecret: sandbox.DemoAccountSecret},
		append([]api.Option{api.WithRateLimit(6000), api.WithRetry(2, 10*time.Millisecond, 20*time.Millisecond)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	s, err := LoadSession(r.state)
	if errors.Is(err, ErrNoSession) {
		s = NewSession(r.url, sandbox.DemoAccountID, time.Now())
	} else if err != nil {
		t.Fatal(err)
	}
	var progress bytes.Buffer
	h := &Headless{Client: c, Session: s, StatePath: r.state, Progress: &progress,
		Credentials: api.Credentials{AccountKey: sandbox.DemoAccountKey, AccountSecret: sandbox.DemoAccountSecret},
		Order:       OrderSchedule{First: 5 * time.Millisecond, Max: 20 * time.Millisecond, Timeout: 5 * time.Second}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = h.Run(ctx, a)
	return s, progress.String(), err
}

// once asserts the sandbox holds exactly one of everything the run creates.
func (r *rig) once(t *testing.T, voice bool) sandbox.Resources {
	t.Helper()
	res := r.sb.Resources()
	wantVoice := 0
	if voice {
		wantVoice = 1
	}
	if len(res.MessageRoutes) != 1 || len(res.VoiceRoutes) != wantVoice || len(res.Subscribers) != 1 ||
		len(res.Numbers) != 1 || len(res.Messages) != 1 {
		t.Errorf("sandbox holds %d message routes, %d voice routes, %d subscribers, %d numbers, %d messages; want 1, %d, 1, 1, 1",
			len(res.MessageRoutes), len(res.VoiceRoutes), len(res.Subscribers), len(res.Numbers), len(res.Messages), wantVoice)
	}
	return res
}

func exampleAnswers(t testing.TB) *Answers {
	t.Helper()
	a, err := LoadAnswers("../../testdata/answers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func checkSummary(t *testing.T, s *Session, res sandbox.Resources) {
	t.Helper()
	sum := Summary(s)
	want := map[string]string{
		"MessageRouteId": res.MessageRoutes[0].MessageRouteId, "SubscriberId": res.Subscribers[0].SubscriberId,
		"PhoneNumber": res.Numbers[0].Number, "PhoneNumberId": res.Numbers[0].TNID, "OrderId": res.Numbers[0].OrderId,
		"MessageId": res.Messages[0].MessageId, "OrderStatus": "Complete",
	}
	got := map[string]string{"MessageRouteId": sum.MessageRouteId, "SubscriberId": sum.SubscriberId, "PhoneNumber": sum.PhoneNumber,
		"PhoneNumberId": sum.PhoneNumberId, "OrderId": sum.OrderId, "MessageId": sum.MessageId, "OrderStatus": sum.OrderStatus}
	for k, w := range want {
		if got[k] != w || w == "" {
			t.Errorf("summary %s = %q, want %q", k, got[k], w)
		}
	}
	if len(res.VoiceRoutes) == 1 && sum.VoiceRouteId != res.VoiceRoutes[0].CallRouteId {
		t.Errorf("summary VoiceRouteId = %q, want %q", sum.VoiceRouteId, res.VoiceRoutes[0].CallRouteId)
	}
}

func TestHeadlessRunsEveryStepAndResumesWithoutDuplicates(t *testing.T) {
	r := newRig(t, sandbox.Options{OrderDelay: 30 * time.Millisecond})
	a := exampleAnswers(t)
	s, progress, err := r.run(t, a)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, progress)
	}
	res := r.once(t, true)
	checkSummary(t, s, res)
	lines := strings.Split(strings.TrimSpace(progress), "\n")
	if len(lines) != NumSteps || !strings.HasPrefix(lines[1], "✓ message route  MRID-") || !strings.Contains(lines[5], "order JNUOID-") {
		t.Errorf("progress is not one line a step:\n%s", progress)
	}
	if res.Numbers[0].VoiceRouteId != s.IDs.VoiceRouteID || res.Numbers[0].AssignedSubscriberId != s.IDs.SubscriberID ||
		res.Numbers[0].MessageRouteId != s.IDs.MessageRouteID {
		t.Errorf("the number was not provisioned with the earlier IDs: %+v", res.Numbers[0])
	}

	// The state file: 0600, every ID, no secret.
	info, err := os.Stat(r.state)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v, want 0600", info.Mode().Perm())
	}
	data, _ := os.ReadFile(r.state)
	for _, secret := range []string{sandbox.DemoAccountSecret, "passwordORbearerToken", "1234567890"} {
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("the state file holds the secret %q", secret)
		}
	}
	for _, id := range []string{s.IDs.MessageRouteID, s.IDs.VoiceRouteID, s.IDs.SubscriberID, s.IDs.PhoneNumberID, s.IDs.OrderID, s.IDs.MessageID} {
		if !bytes.Contains(data, []byte(id)) {
			t.Errorf("the state file lacks %s", id)
		}
	}

	// A second run creates nothing.
	s2, progress, err := r.run(t, a)
	if err != nil {
		t.Fatalf("second run: %v\n%s", err, progress)
	}
	r.once(t, true)
	if !reflect.DeepEqual(s2.IDs, s.IDs) {
		t.Errorf("IDs changed on a re-run:\n%+v\n%+v", s2.IDs, s.IDs)
	}
	if !strings.Contains(progress, "(earlier run)") {
		t.Errorf("progress of a finished session:\n%s", progress)
	}
}

func TestHeadlessSkipsALeftOutVoiceRoute(t *testing.T) {
	r := newRig(t, sandbox.Options{})
	a := exampleAnswers(t)
	a.VoiceRoute = nil
	a.Provision.VoiceEnabled = false
	s, progress, err := r.run(t, a)
	if err != nil {
		t.Fatalf("%v\n%s", err, progress)
	}
	r.once(t, false)
	if s.Status(VoiceRoute) != Skipped || !strings.Contains(progress, "– voice route    skipped") {
		t.Errorf("voice route %v; progress:\n%s", s.Status(VoiceRoute), progress)
	}
	if b, _ := json.Marshal(Summary(s)); !bytes.Contains(b, []byte(`"voiceRoute":"skipped"`)) {
		t.Errorf("summary: %s", b)
	}
}

// A lost answer is looked up at once and adopted, never created twice; when
// the lookup fails too, the run stops with ExitUnknownOutcome and the next
// run adopts it.
func TestLostAnswersAreAdoptedNotCreatedTwice(t *testing.T) {
	for _, tc := range []struct {
		step         Step
		post, lookup string
	}{
		{MessageRoute, "/v1.0/message/routes", "/v1.0/account/message/routes"},
		{VoiceRoute, "/v1.0/voice/routes", "/v1.0/account/voice/routes"},
		{Provision, "/v1.0/numbers/provision", "/v1.0/numbers/inventory"},
		{TestMessage, "/v1.0/message/outbound", "/v1.0/message/search"},
	} {
		t.Run(stepName(tc.step)+"/same run", func(t *testing.T) {
			r := newRig(t, sandbox.Options{})
			r.lossy.loseNext[tc.post] = 1
			s, progress, err := r.run(t, exampleAnswers(t))
			if err != nil {
				t.Fatalf("%v\n%s", err, progress)
			}
			checkSummary(t, s, r.once(t, true))
			if !strings.Contains(progress, "adopted after a lost answer") {
				t.Errorf("progress:\n%s", progress)
			}
		})
		t.Run(stepName(tc.step)+"/on resume", func(t *testing.T) {
			r := newRig(t, sandbox.Options{})
			r.lossy.loseNext[tc.post] = 1
			r.lossy.failNext[tc.lookup] = 1
			_, progress, err := r.run(t, exampleAnswers(t))
			if why(err) != ReasonUnknown || !strings.Contains(err.Error(), stepName(tc.step)+":") {
				t.Fatalf("first run: reason %d, %v\n%s", why(err), err, progress)
			}
			if st, _ := LoadSession(r.state); st.Status(tc.step) != Unknown {
				t.Fatalf("state after a lost answer: %v", st.Status(tc.step))
			}
			s, progress, err := r.run(t, exampleAnswers(t))
			if err != nil {
				t.Fatalf("resume: %v\n%s", err, progress)
			}
			checkSummary(t, s, r.once(t, true))
			if !strings.Contains(progress, "adopted from an earlier run") {
				t.Errorf("progress:\n%s", progress)
			}
		})
	}
}

// A 504 after a create was carried out is an unknown outcome: the run
// sends the create once, looks it up, and adopts it; never a second number.
func TestGatewayTimeoutAfterACreateIsAdoptedNotResent(t *testing.T) {
	for _, tc := range []struct {
		step Step
		post string
	}{
		{MessageRoute, "/v1.0/message/routes"},
		{VoiceRoute, "/v1.0/voice/routes"},
		{Provision, "/v1.0/numbers/provision"},
		{TestMessage, "/v1.0/message/outbound"},
	} {
		t.Run(stepName(tc.step), func(t *testing.T) {
			r := newRig(t, sandbox.Options{})
			r.lossy.gatewayNext[tc.post] = 1
			s, progress, err := r.run(t, exampleAnswers(t))
			if err != nil {
				t.Fatalf("%v\n%s", err, progress)
			}
			checkSummary(t, s, r.once(t, true))
			r.lossy.mu.Lock()
			sent := r.lossy.posts[tc.post]
			r.lossy.mu.Unlock()
			if sent != 1 {
				t.Errorf("%s sent %d times, want exactly 1", tc.post, sent)
			}
			if !strings.Contains(progress, "adopted after a lost answer") {
				t.Errorf("progress:\n%s", progress)
			}
		})
	}
}

// A run killed with a step in flight (state written, request maybe sent)
// resumes: absent → created once; present → adopted.
func TestInFlightStepIsLookedUpBeforeCreating(t *testing.T) {
	r := newRig(t, sandbox.Options{})
	a := exampleAnswers(t)
	// Stop after the message route: the voice route's lookup is refused, so
	// the state shows exactly what a kill during its request leaves.
	r.lossy.loseNext["/v1.0/voice/routes"] = 1
	r.lossy.failNext["/v1.0/account/voice/routes"] = 1
	if _, _, err := r.run(t, a); why(err) != ReasonUnknown {
		t.Fatalf("got %v", err)
	}
	s, _ := LoadSession(r.state)
	s.Steps[VoiceRoute].Status = InFlight
	if err := s.Save(r.state, time.Now()); err != nil {
		t.Fatal(err)
	}
	s2, progress, err := r.run(t, a)
	if err != nil {
		t.Fatalf("%v\n%s", err, progress)
	}
	checkSummary(t, s2, r.once(t, true))

	// In flight but never sent: looked up, not found, created once.
	r2 := newRig(t, sandbox.Options{})
	s3 := NewSession(r2.url, sandbox.DemoAccountID, time.Now())
	req := s3.MessageRouteRequest(*a.MessageRoute)
	s3.Inputs.MessageRoute = &req
	s3.MarkInFlight(MessageRoute, time.Now())
	if err := s3.Save(r2.state, time.Now()); err != nil {
		t.Fatal(err)
	}
	s4, progress, err := r2.run(t, a)
	if err != nil {
		t.Fatalf("%v\n%s", err, progress)
	}
	checkSummary(t, s4, r2.once(t, true))
}

// The subscriber cannot be looked up: a re-create answered 409 means the
// first went through, and the run stops saying how to finish; naming
// Subscriber.SubscriberId finishes it.
func TestLostSubscriberStopsAndSaysHowToFinish(t *testing.T) {
	r := newRig(t, sandbox.Options{})
	r.lossy.loseNext["/v1.0/subscribers/create"] = 1
	a := exampleAnswers(t)
	_, progress, err := r.run(t, a)
	if why(err) != ReasonUnknown {
		t.Fatalf("reason %d: %v\n%s", why(err), err, progress)
	}
	for _, want := range []string{"subscriber:", "Subscriber.SubscriberId", "jerome4@example.com"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q:\n%v", want, err)
		}
	}
	// Running again without the ID stops the same way, creating nothing.
	if _, _, err := r.run(t, a); why(err) != ReasonUnknown {
		t.Fatalf("re-run: reason %d: %v", why(err), err)
	}
	res := r.sb.Resources()
	if len(res.Subscribers) != 1 || len(res.Numbers) != 0 {
		t.Fatalf("%d subscribers, %d numbers", len(res.Subscribers), len(res.Numbers))
	}
	a.Subscriber.SubscriberId = res.Subscribers[0].SubscriberId
	s, progress, err := r.run(t, a)
	if err != nil {
		t.Fatalf("%v\n%s", err, progress)
	}
	checkSummary(t, s, r.once(t, true))
}

func TestHeadlessExitCodes(t *testing.T) {
	t.Run("auth", func(t *testing.T) {
		r := newRig(t, sandbox.Options{})
		c, _ := api.New(r.url, api.Credentials{AccountKey: "wrong", AccountSecret: "wrong"})
		s := NewSession(r.url, sandbox.DemoAccountID, time.Now())
		err := (&Headless{Client: c, Session: s, StatePath: r.state}).Run(context.Background(), exampleAnswers(t))
		if why(err) != ReasonAuth || !strings.Contains(err.Error(), "credentials:") || !strings.Contains(err.Error(), "What to do: Check your AccountKey") {
			t.Errorf("reason %d: %v", why(err), err)
		}
	})
	t.Run("refused", func(t *testing.T) {
		r := newRig(t, sandbox.Options{})
		a := exampleAnswers(t)
		a.Subscriber.AccountId = "AID-00000000-0000-0000-0000-000000000000"
		_, _, err := r.run(t, a)
		if why(err) != ReasonRefused || !strings.Contains(err.Error(), "subscriber:") || !strings.Contains(err.Error(), "What to do: Make sure you're using the correct AccountId") {
			t.Errorf("reason %d: %v", why(err), err)
		}
	})
	t.Run("rate limit", func(t *testing.T) {
		r := newRig(t, sandbox.Options{RateLimit: 2})
		_, _, err := r.run(t, exampleAnswers(t), api.WithRetry(1, time.Millisecond, time.Millisecond))
		if why(err) != ReasonRateLimit || !strings.Contains(err.Error(), "rate limit") {
			t.Errorf("reason %d: %v", why(err), err)
		}
	})
	if r, ok := ReasonOf(nil); ok || r != ReasonFailure {
		t.Error("nil has a reason")
	}
	if r, _ := ReasonOf(errors.New("x")); r != ReasonFailure {
		t.Error("a plain error is not a failure")
	}
}

// Against the sandbox's own lost responses (every other create, seeded),
// runs repeated until done never create anything twice; a subscriber whose
// answer was lost is finished by naming its SubscriberId.
func TestSandboxLosingResponsesNeverDuplicates(t *testing.T) {
	for _, seed := range []int64{1, 2, 3, 4} {
		r := newRig(t, sandbox.Options{LoseResponses: 0.5, Seed: seed})
		a := exampleAnswers(t)
		var err error
		var s *Session
		var progress string
		for attempt := 0; attempt < 8; attempt++ {
			s, progress, err = r.run(t, a)
			if err == nil {
				t.Logf("seed %d: done after %d runs; last:\n%s", seed, attempt+1, progress)
				break
			}
			if why(err) != ReasonUnknown {
				t.Fatalf("seed %d: reason %d: %v\n%s", seed, why(err), err, progress)
			}
			var re *StepError
			if errors.As(err, &re) && re.Step == Subscriber {
				if subs := r.sb.Resources().Subscribers; len(subs) == 1 {
					a.Subscriber.SubscriberId = subs[0].SubscriberId
				}
			}
		}
		if err != nil {
			t.Fatalf("seed %d: not done after 8 runs: %v", seed, err)
		}
		checkSummary(t, s, r.once(t, true))
	}
}

// A re-run after cleanup does not carry dead IDs forward: the routes and
// the number cleanup removed are created again, once, and nothing says
// "(earlier run)" for them.
func TestHeadlessRerunAfterCleanupCreatesWhatWasRemoved(t *testing.T) {
	r := newRig(t, sandbox.Options{})
	a := exampleAnswers(t)
	s, progress, err := r.run(t, a)
	if err != nil {
		t.Fatalf("%v\n%s", err, progress)
	}
	oldRoute, oldVoice, oldNumber := s.IDs.MessageRouteID, s.IDs.VoiceRouteID, s.IDs.PhoneNumber
	c, err := api.New(r.url, api.Credentials{AccountKey: sandbox.DemoAccountKey, AccountSecret: sandbox.DemoAccountSecret}, api.WithRateLimit(6000))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Cleanup(context.Background(), c, s, true); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(r.state, time.Now()); err != nil {
		t.Fatal(err)
	}
	s2, progress, err := r.run(t, a)
	if err != nil {
		t.Fatalf("re-run: %v\n%s", err, progress)
	}
	if s2.IDs.MessageRouteID == oldRoute || s2.IDs.VoiceRouteID == oldVoice || s2.IDs.PhoneNumber == oldNumber {
		t.Errorf("a removed resource was carried forward: route %s, voice %s, number %s", s2.IDs.MessageRouteID, s2.IDs.VoiceRouteID, s2.IDs.PhoneNumber)
	}
	for _, line := range strings.Split(progress, "\n") {
		if (strings.Contains(line, "message route") || strings.Contains(line, "voice route") || strings.Contains(line, "provision")) &&
			strings.Contains(line, "earlier run") {
			t.Errorf("a removed resource is reported as kept: %s", line)
		}
	}
	if _, err := c.GetMessageRoute(context.Background(), s2.IDs.MessageRouteID); err != nil {
		t.Errorf("the new route does not exist: %v", err)
	}
}

// A wrong AccountId stops a run at step 1, with the quickstart's remedy,
// before anything is created.
func TestHeadlessRefusesAWrongAccountIdAtStep1(t *testing.T) {
	r := newRig(t, sandbox.Options{})
	c, _ := api.New(r.url, api.Credentials{AccountKey: sandbox.DemoAccountKey, AccountSecret: sandbox.DemoAccountSecret})
	s := NewSession(r.url, "AID-00000000-0000-0000-0000-000000000000", time.Now())
	err := (&Headless{Client: c, Session: s, StatePath: r.state,
		Credentials: api.Credentials{AccountKey: sandbox.DemoAccountKey, AccountSecret: sandbox.DemoAccountSecret}}).Run(context.Background(), exampleAnswers(t))
	var se *StepError
	if !errors.As(err, &se) || se.Step != Credentials || why(err) != ReasonRefused ||
		!strings.Contains(err.Error(), "Make sure you're using the correct AccountId") {
		t.Fatalf("got %v", err)
	}
	if res := r.sb.Resources(); len(res.MessageRoutes) != 0 {
		t.Errorf("%d routes created with a wrong AccountId", len(res.MessageRoutes))
	}
}

// Eight runs with the same answers at once, every route's answer lost:
// each looks its route up and adopts only one that did not exist before
// it sent its own; when more than one could be its own, it stops (exit 6)
// rather than guess. No two sessions hold the same route.
func TestConcurrentLostAnswersNeverAdoptSomeoneElsesRoute(t *testing.T) {
	const runs = 8
	r := newRig(t, sandbox.Options{})
	r.lossy.loseNext["/v1.0/message/routes"] = runs
	a := exampleAnswers(t)
	a.VoiceRoute = nil
	a.Provision.VoiceEnabled = false
	var wg sync.WaitGroup
	sessions := make([]*Session, runs)
	errs := make([]error, runs)
	for i := range runs {
		wg.Go(func() {
			mine := *a
			sub := *a.Subscriber
			sub.Email = fmt.Sprintf("run%d@example.com", i)
			mine.Subscriber = &sub
			rr := *r
			rr.state = filepath.Join(t.TempDir(), "session.json")
			sessions[i], _, errs[i] = rr.run(t, &mine)
		})
	}
	wg.Wait()
	held := map[string]int{}
	adopted := 0
	for i, s := range sessions {
		if s.Status(MessageRoute) == Done {
			held[s.IDs.MessageRouteID]++
			adopted++
			continue
		}
		if errs[i] == nil || why(errs[i]) != ReasonUnknown {
			t.Errorf("run %d: route %s, stopped with %v", i, s.Status(MessageRoute), errs[i])
		}
	}
	for id, n := range held {
		if n > 1 {
			t.Errorf("%d sessions hold the same route %s", n, id)
		}
	}
	t.Logf("%d of %d runs adopted their route; the others stopped to ask", adopted, runs)
}

// One run, its route's answer lost: a route of the same name made before
// it sent its own is never adopted, and one made by someone else while
// the answer was lost makes it ask (exit 6) instead of guessing.
func TestLostRouteAdoptsOnlyItsOwn(t *testing.T) {
	a := exampleAnswers(t)
	a.VoiceRoute = nil
	a.Provision.VoiceEnabled = false
	other := func(t *testing.T, r *rig) {
		c, err := api.New(r.url, api.Credentials{AccountKey: sandbox.DemoAccountKey, AccountSecret: sandbox.DemoAccountSecret}, api.WithRateLimit(6000))
		if err != nil {
			t.Fatal(err)
		}
		req := NewSession(r.url, sandbox.DemoAccountID, time.Now()).MessageRouteRequest(*a.MessageRoute)
		if _, err := c.CreateMessageRoute(context.Background(), req); err != nil {
			t.Fatal(err)
		}
	}

	r := newRig(t, sandbox.Options{})
	other(t, r) // an older route of the same name
	older := r.sb.Resources().MessageRoutes[0].MessageRouteId
	r.lossy.loseNext["/v1.0/message/routes"] = 1
	s, progress, err := r.run(t, a)
	if err != nil {
		t.Fatalf("%v\n%s", err, progress)
	}
	if s.IDs.MessageRouteID == older || s.IDs.MessageRouteID == "" {
		t.Errorf("adopted %q; the older route %s is not this session's", s.IDs.MessageRouteID, older)
	}

	r2 := newRig(t, sandbox.Options{})
	r2.lossy.loseNext["/v1.0/message/routes"] = 1
	r2.lossy.onLose = func() { other(t, r2) } // someone else's, while our answer is lost
	_, _, err = r2.run(t, a)
	if why(err) != ReasonUnknown || !strings.Contains(err.Error(), "several routes") {
		t.Fatalf("got %v, want a stop that asks", err)
	}
}

// BenchmarkHeadlessRunSaves is one whole headless run against a sandbox,
// reporting how often it writes the session file and how many of those
// writes it syncs to disk: once per state change the engine reports, and a
// sync only for a create's in-flight record. Run it with:
//
//	go test -run '^$' -bench HeadlessRunSaves -benchtime 5x ./wizard/flow/
func BenchmarkHeadlessRunSaves(b *testing.B) {
	a := exampleAnswers(b)
	var saves, syncs int64
	for b.Loop() {
		b.StopTimer()
		r := newRig(b, sandbox.Options{OrderDelay: 0})
		w0, f0 := writes.Load(), fsyncs.Load()
		b.StartTimer()
		if _, progress, err := r.run(b, a); err != nil {
			b.Fatalf("%v\n%s", err, progress)
		}
		saves += writes.Load() - w0
		syncs += fsyncs.Load() - f0
	}
	b.ReportMetric(float64(saves)/float64(b.N), "saves/run")
	b.ReportMetric(float64(syncs)/float64(b.N), "fsyncs/run")
}
