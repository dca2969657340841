package webhook

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

func newServer(t *testing.T, auth Auth) (*Receiver, *httptest.Server) {
	t.Helper()
	rec := NewReceiver("/telegent/messages", auth)
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	return rec, srv
}

func do(t *testing.T, method, u, body string, header map[string]string) int {
	t.Helper()
	var rd *strings.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	var req *http.Request
	var err error
	if rd != nil {
		req, err = http.NewRequest(method, u, rd)
	} else {
		req, err = http.NewRequest(method, u, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestParseAuth(t *testing.T) {
	for in, want := range map[string]Auth{
		"":                   {Kind: "none"},
		"none":               {Kind: "none"},
		"basic:ann:s3:cr:et": {Kind: "basic", User: "ann", Pass: "s3:cr:et"},
		"Bearer:tok:en":      {Kind: "bearer", Token: "tok:en"},
	} {
		got, err := ParseAuth(in)
		if err != nil || got != want {
			t.Errorf("ParseAuth(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"basic", "basic:ann", "basic::pw", "basic:ann:", "bearer", "bearer:", "digest:x", "none:x"} {
		if _, err := ParseAuth(bad); err == nil {
			t.Errorf("ParseAuth(%q) accepted", bad)
		}
	}
}

const inbound = `{"Message_ID":"TMID-1","Owner":"+15550001111","To":"+15550001111","From":"+15550002222","Message_Body":"hello","Segment":1}`

func TestBasicAuth(t *testing.T) {
	rec, srv := newServer(t, Auth{Kind: "basic", User: "ann", Pass: "pw:1"})
	u := srv.URL + "/telegent/messages"
	ok := func(user, pass string) map[string]string {
		r, _ := http.NewRequest("GET", "/", nil)
		r.SetBasicAuth(user, pass)
		return map[string]string{"Authorization": r.Header.Get("Authorization"), "Content-Type": "application/json"}
	}
	if c := do(t, "POST", u, inbound, ok("ann", "pw:1")); c != 200 {
		t.Fatalf("good credentials: %d", c)
	}
	if c := do(t, "POST", u, inbound, ok("ann", "wrong")); c != 401 {
		t.Fatalf("bad password: %d", c)
	}
	if c := do(t, "POST", u, inbound, nil); c != 401 {
		t.Fatalf("no credentials: %d", c)
	}
	if c := do(t, "POST", u, inbound, map[string]string{"Authorization": "Bearer pw:1"}); c != 401 {
		t.Fatalf("wrong scheme: %d", c)
	}
	evs := rec.Events()
	if len(evs) != 4 {
		t.Fatalf("%d events, want 4 (refused attempts are recorded)", len(evs))
	}
	if e := evs[0]; !e.Authorized || e.Kind != KindInbound || e.MessageID != "TMID-1" || e.Body != "hello" ||
		e.From != "+15550002222" || e.To != "+15550001111" || e.Owner != "+15550001111" || e.Segments != 1 || e.Seq != 1 {
		t.Errorf("inbound decoded as %+v", e)
	}
	for _, e := range evs[1:] {
		// Refused credentials keep no body: a sender without them cannot
		// fill the receiver's memory.
		if e.Authorized || e.Kind != KindUnauthorized || len(e.Raw) != 0 || e.Body != "" {
			t.Errorf("refused attempt recorded as %+v", e)
		}
	}
	for _, e := range evs {
		for k, vs := range e.Header {
			for _, v := range vs {
				if strings.Contains(v, "pw:1") || (k == "Authorization" && !strings.Contains(v, "[redacted]")) {
					t.Errorf("header %s: %q leaks a secret", k, v)
				}
			}
		}
	}
}

func TestBearerAuth(t *testing.T) {
	rec, srv := newServer(t, Auth{Kind: "bearer", Token: "tok"})
	u := srv.URL + "/telegent/messages"
	if c := do(t, "POST", u, inbound, map[string]string{"Authorization": "Bearer tok"}); c != 200 {
		t.Fatalf("good token: %d", c)
	}
	if c := do(t, "POST", u, inbound, map[string]string{"Authorization": "bearer tok"}); c != 200 {
		t.Fatalf("good token, lower-case scheme: %d", c)
	}
	for _, h := range []string{"Bearer tok2", "Bearer ", "Basic dG9rOg==", ""} {
		if c := do(t, "POST", u, inbound, map[string]string{"Authorization": h}); c != 401 {
			t.Errorf("Authorization %q: %d, want 401", h, c)
		}
	}
	evs := rec.Events()
	if len(evs) != 6 || evs[2].Kind != KindUnauthorized {
		t.Fatalf("events: %+v", evs)
	}
}

func TestGetAndPostDeliveryReports(t *testing.T) {
	rec, srv := newServer(t, Auth{Kind: "none"})
	u := srv.URL + "/telegent/messages"
	q := url.Values{"Type": {"DeliveryReport"}, "MessageId": {"TMID-9"}, "To": {"+15550003333"},
		"From": {"+15550004444"}, "Status": {"Delivered"}, "Timestamp": {"2026-01-30T12:00:00Z"}}
	if c := do(t, "GET", u+"?"+q.Encode(), "", nil); c != 200 {
		t.Fatalf("GET: %d", c)
	}
	if c := do(t, "POST", u, `{"type":"DLR","messageID":"TMID-10","Recipient":"+1555","DeliveryStatus":"Failed"}`, nil); c != 200 {
		t.Fatalf("POST: %d", c)
	}
	if c := do(t, "POST", u, "id=TMID-11&Text=hi+there&From=%2B1555&Segments=2", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}); c != 200 {
		t.Fatalf("POST form: %d", c)
	}
	// curl -d sends JSON labelled as a form.
	if c := do(t, "POST", u, inbound, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}); c != 200 {
		t.Fatalf("POST JSON as form: %d", c)
	}
	evs := rec.Events()
	if len(evs) != 4 {
		t.Fatalf("%d events", len(evs))
	}
	if e := evs[3]; e.Kind != KindInbound || e.MessageID != "TMID-1" || e.DecodeError != "" {
		t.Errorf("JSON labelled as a form decoded as %+v", e)
	}
	g := evs[0]
	if g.Method != "GET" || g.Kind != KindDelivery || g.MessageID != "TMID-9" || g.Status != "Delivered" ||
		g.To != "+15550003333" || g.Timestamp == "" || string(g.Raw) != q.Encode() {
		t.Errorf("GET decoded as %+v", g)
	}
	p := evs[1]
	if p.Kind != KindDelivery || p.MessageID != "TMID-10" || p.To != "+1555" || p.Status != "Failed" {
		t.Errorf("POST decoded as %+v", p)
	}
	f := evs[2]
	if f.Kind != KindInbound || f.MessageID != "TMID-11" || f.Body != "hi there" || f.Segments != 2 {
		t.Errorf("form decoded as %+v", f)
	}
}

func TestMalformedBodies(t *testing.T) {
	rec, srv := newServer(t, Auth{Kind: "none"})
	u := srv.URL + "/telegent/messages"
	bodies := []string{`{"Message_ID":`, `[1,2,3]`, "\x00\xff binary", `{"Segment":{"x":1},"To":[{"Number":"+1555"}],"Message_Body":42}`}
	for _, b := range bodies {
		if c := do(t, "POST", u, b, map[string]string{"Content-Type": "application/json"}); c != 200 {
			t.Errorf("%q: %d", b, c)
		}
	}
	evs := rec.Events()
	if len(evs) != len(bodies) {
		t.Fatalf("%d events", len(evs))
	}
	for i, e := range evs[:3] {
		if string(e.Raw) != bodies[i] || e.DecodeError == "" || e.Kind != KindUnknown {
			t.Errorf("%q recorded as %+v", bodies[i], e)
		}
	}
	if e := evs[3]; e.DecodeError != "" || e.To != "+1555" || e.Body != "42" || e.Kind != KindInbound {
		t.Errorf("odd types decoded as %+v", e)
	}
	// Too large: kept (truncated), answered 413, no crash.
	big := strings.Repeat("x", MaxBody+10)
	if c := do(t, "POST", u, big, nil); c != http.StatusRequestEntityTooLarge {
		t.Errorf("large body: %d", c)
	}
	if e := rec.Events()[4]; e.DecodeError == "" || len(e.Raw) > MaxBody {
		t.Errorf("large body recorded with %d bytes, error %q", len(e.Raw), e.DecodeError)
	}
}

func TestPathsAndMethods(t *testing.T) {
	rec, srv := newServer(t, Auth{Kind: "none"})
	if c := do(t, "POST", srv.URL+"/other", inbound, nil); c != 404 {
		t.Errorf("other path: %d", c)
	}
	if c := do(t, "PUT", srv.URL+"/telegent/messages", inbound, nil); c != 405 {
		t.Errorf("PUT: %d", c)
	}
	if n := rec.Len(); n != 0 {
		t.Errorf("%d events recorded for refused paths/methods", n)
	}
}

func TestSubscribeNeverBlocksOrDropsWithinKeep(t *testing.T) {
	const n = 2000 // more than the channel's buffer; nobody reads yet
	rec := NewReceiver("/p", Auth{}, WithKeep(n))
	ch, cancel := rec.Subscribe()
	for i := range n {
		req := httptest.NewRequest("POST", "/p", strings.NewReader(fmt.Sprintf(`{"MessageId":"M%d","Status":"Delivered"}`, i)))
		rec.ServeHTTP(httptest.NewRecorder(), req)
	}
	for i := range n {
		select {
		case ev := <-ch:
			if ev.Seq != i+1 {
				t.Fatalf("got seq %d, want %d", ev.Seq, i+1)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("only %d events came through", i)
		}
	}
	cancel()
	cancel()
	for range ch { // closed after cancel
	}
}

// burst sends total events from workers goroutines, each with its own
// Message_ID, and returns the first error a sender met.
func burst(run *Running, total, workers int) error {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2 * workers}}
	defer client.CloseIdleConnections()
	var wg sync.WaitGroup
	errs := make(chan error, total)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < total; i += workers {
				body := fmt.Sprintf(`{"Message_ID":"TMID-%d","From":"+15550002222","To":"+15550001111","Message_Body":"burst %d","Segment":1}`, i, i)
				req, _ := http.NewRequest("POST", run.URL, strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer tok")
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					errs <- err
					continue
				}
				resp.Body.Close()
				if resp.StatusCode != 200 {
					errs <- fmt.Errorf("status %d", resp.StatusCode)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs // nil when the channel is empty
}

// A burst of 1,000 events from 8 goroutines: every one is answered 200 and
// kept exactly once, and a subscriber that reads slowly still gets them
// all. How fast is BenchmarkBurst's business: a timing on a shared machine
// is not a property of the code.
func TestBurst(t *testing.T) {
	run, err := Start("127.0.0.1:0", "/telegent/messages", Auth{Kind: "bearer", Token: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	ch, cancel := run.Receiver.Subscribe() // a subscriber that reads slowly must not slow the burst
	defer cancel()
	const total, workers = 1000, 8
	if err := burst(run, total, workers); err != nil {
		t.Fatal(err)
	}
	evs := run.Receiver.Events()
	if len(evs) != total {
		t.Fatalf("%d events, want %d", len(evs), total)
	}
	ids := map[string]bool{}
	for _, e := range evs {
		ids[e.MessageID] = true
	}
	if len(ids) != total {
		t.Fatalf("%d distinct MessageIds, want %d", len(ids), total)
	}
	got := 0
	deadline := time.After(30 * time.Second)
	for got < total {
		select {
		case <-ch:
			got++
		case <-deadline:
			t.Fatalf("subscriber got %d of %d", got, total)
		}
	}
}

// BenchmarkBurst measures one burst of 1,000 events from 8 goroutines into
// a fresh receiver: the figure behind CONTRIBUTING.md's "< 1 s" row. Run it
// with: go test -run '^$' -bench Burst -benchtime 5x ./api/webhook/
func BenchmarkBurst(b *testing.B) {
	const total, workers = 1000, 8
	for b.Loop() {
		b.StopTimer()
		run, err := Start("127.0.0.1:0", "/telegent/messages", Auth{Kind: "bearer", Token: "tok"})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := burst(run, total, workers); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if n := len(run.Receiver.Events()); n != total {
			b.Fatalf("%d events, want %d", n, total)
		}
		run.Close()
		b.StartTimer()
	}
}
