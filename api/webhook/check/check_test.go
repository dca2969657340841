package check

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/telegent/telegent-onboard/api/webhook"
	"github.com/telegent/telegent-onboard/api/webhook/check/checktest"
)

const (
	host     = "hooks.example.test"
	publicIP = "203.0.113.10" // resolved to by the fake resolver only; the fake dialer sends it to loopback
	path     = "/telegent/messages"
)

var basic = webhook.Auth{Kind: "basic", User: "hooks", Pass: "s3cret-pass"}
var bearer = webhook.Auth{Kind: "bearer", Token: "tok-abcdef123456"}

// endpoint is a TLS server for host behind the fake network, serving h.
func endpoint(t *testing.T, h http.Handler) (url string, fn *fakeNet, ca *testCA) {
	t.Helper()
	ca = newCA(t)
	srv := tlsServer(t, h, ca.Valid(t, host))
	fn = newFakeNet(t)
	port := fn.route(host, publicIP, srv)
	return "https://" + host + ":" + port + path, fn, ca
}

func run(t *testing.T, url string, o Options) Report {
	t.Helper()
	rep, err := Run(context.Background(), url, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func wantStatuses(t *testing.T, rep Report, want string) {
	t.Helper()
	if got := statuses(rep); got != want {
		var b strings.Builder
		for _, r := range rep.Checks {
			b.WriteString("\n  " + r.Status.Mark() + " " + r.ID + ": " + r.Detail + " → " + r.Remedy)
		}
		t.Fatalf("checklist:\n got %s\nwant %s%s", got, want, b.String())
	}
	for _, r := range rep.Checks {
		if (r.Status == StatusFail || r.Status == StatusWarn) && r.Remedy == "" {
			t.Errorf("%s is %s without a remedy: %s", r.ID, r.Status, r.Detail)
		}
	}
}

const allPass = "url=pass dns=pass tcp=pass tls=pass event/inbound=pass event/delivery-report=pass refuse/inbound=pass refuse/delivery-report=pass"

// A good endpoint, with Basic over POST and Bearer over GET: every check
// passes, the receiver gets one test event of each kind with the fields
// sent, and the wrong credentials are among its refused calls.
func TestGoodEndpoint(t *testing.T) {
	for _, tc := range []struct {
		method string
		auth   webhook.Auth
	}{{"POST", basic}, {"GET", bearer}} {
		t.Run(tc.method+"-"+tc.auth.Kind, func(t *testing.T) {
			rec := webhook.NewReceiver(path, tc.auth)
			url, fn, ca := endpoint(t, rec)
			o := fn.opts(ca)
			o.Method, o.Auth = tc.method, tc.auth
			rep := run(t, url, o)
			wantStatuses(t, rep, allPass)
			if !rep.OK || rep.Passed != 8 || rep.Failed != 0 {
				t.Errorf("report: ok %v, passed %d, failed %d", rep.OK, rep.Passed, rep.Failed)
			}
			evs := rec.Events()
			var inbound, report, refused int
			for _, e := range evs {
				if e.Method != tc.method {
					t.Errorf("event sent with %s, want %s", e.Method, tc.method)
				}
				// The receiver keeps nothing of a call whose credentials it
				// refused; every accepted one carries the test ID and mark.
				if e.Authorized && (!strings.HasPrefix(e.MessageID, TestIDPrefix) || !strings.Contains(string(e.Raw), TestIDPrefix)) {
					t.Errorf("message ID %q, want %s…: %s", e.MessageID, TestIDPrefix, e.Raw)
				}
				if e.Authorized && (!strings.Contains(string(e.Raw), `Test`) || !strings.Contains(string(e.Raw), "true")) {
					t.Errorf("not marked as a test: %s", e.Raw)
				}
				switch e.Kind {
				case webhook.KindInbound:
					inbound++
					if e.From != DefaultPeer || e.To != DefaultNumber || e.Owner != DefaultNumber || e.Body != DefaultBody || e.Segments != 1 {
						t.Errorf("inbound event: %+v", e)
					}
				case webhook.KindDelivery:
					report++
					if e.Status != "Delivered" || e.To != DefaultPeer || e.From != DefaultNumber || e.Timestamp == "" {
						t.Errorf("delivery report: %+v", e)
					}
				case webhook.KindUnauthorized:
					refused++
				}
			}
			if inbound != 1 || report != 1 || refused != 2 {
				t.Errorf("received %d inbound, %d reports, %d refused; want 1, 1, 2", inbound, report, refused)
			}
			if ex := find(t, rep, "event/inbound").HTTP; ex == nil || ex.StatusCode != 200 || !strings.HasPrefix(ex.MessageID, TestIDPrefix) {
				t.Errorf("exchange: %+v", ex)
			}
			// Every connection went to the checked address, nothing elsewhere.
			for _, d := range fn.dialled() {
				if !strings.HasPrefix(d, publicIP+":") {
					t.Errorf("dialled %s", d)
				}
			}
		})
	}
}

func TestExpiredCertificateFails(t *testing.T) {
	ca := newCA(t)
	cert := ca.Expired(t, host)
	rec := webhook.NewReceiver(path, basic)
	srv := tlsServer(t, rec, cert)
	fn := newFakeNet(t)
	port := fn.route(host, publicIP, srv)
	o := fn.opts(ca)
	o.Auth = basic
	rep := run(t, "https://"+host+":"+port+path, o)
	wantStatuses(t, rep, "url=pass dns=pass tcp=pass tls=fail event/inbound=skip event/delivery-report=skip refuse/inbound=skip refuse/delivery-report=skip")
	if r := find(t, rep, "tls"); !strings.Contains(r.Detail, "expired on") || !strings.Contains(r.Remedy, "Renew") {
		t.Errorf("tls: %s / %s", r.Detail, r.Remedy)
	}
	if rep.OK || rec.Len() != 0 {
		t.Errorf("ok %v; %d events reached the endpoint", rep.OK, rec.Len())
	}
}

// The clock decides expiry: the same certificate passes, warns within 14
// days of its end, and fails after it.
func TestExpiryByTheInjectedClock(t *testing.T) {
	ca := newCA(t)
	start := time.Now().Add(-time.Hour)
	cert := ca.Leaf(t, []string{host}, start, start.Add(60*24*time.Hour))
	srv := tlsServer(t, webhook.NewReceiver(path, basic), cert)
	fn := newFakeNet(t)
	port := fn.route(host, publicIP, srv)
	url := "https://" + host + ":" + port + path
	for _, tc := range []struct {
		at     time.Duration
		status Status
		detail string
	}{
		{time.Hour, StatusPass, "days left"},
		{50 * 24 * time.Hour, StatusWarn, "days left"},
		{61 * 24 * time.Hour, StatusFail, "expired on"},
	} {
		o := fn.opts(ca)
		o.Auth, o.Kinds = basic, []Kind{KindInbound}
		o.Now = func() time.Time { return start.Add(tc.at) }
		rep := run(t, url, o)
		if r := find(t, rep, "tls"); r.Status != tc.status || !strings.Contains(r.Detail, tc.detail) {
			t.Errorf("at +%v: tls %s: %s", tc.at, r.Status, r.Detail)
		}
		if tc.status == StatusWarn && (!rep.OK || !strings.Contains(find(t, rep, "tls").Remedy, "Renew")) {
			t.Errorf("a warning must not fail the run: %s", statuses(rep))
		}
	}
}

func TestCertificateForAnotherNameFails(t *testing.T) {
	ca := newCA(t)
	srv := tlsServer(t, webhook.NewReceiver(path, basic), ca.Valid(t, "other.example.test"))
	fn := newFakeNet(t)
	port := fn.route(host, publicIP, srv)
	o := fn.opts(ca)
	o.Auth = basic
	rep := run(t, "https://"+host+":"+port+path, o)
	wantStatuses(t, rep, "url=pass dns=pass tcp=pass tls=fail event/inbound=skip event/delivery-report=skip refuse/inbound=skip refuse/delivery-report=skip")
	if r := find(t, rep, "tls"); !strings.Contains(r.Detail, "other.example.test") || !strings.Contains(r.Detail, "not "+host) {
		t.Errorf("tls: %s", r.Detail)
	}
}

func TestUnknownAuthorityFails(t *testing.T) {
	rec := webhook.NewReceiver(path, basic)
	url, fn, _ := endpoint(t, rec)
	o := fn.opts(newCA(t)) // another CA: the server's is not trusted
	o.Auth = basic
	rep := run(t, url, o)
	if r := find(t, rep, "tls"); r.Status != StatusFail || !strings.Contains(r.Detail, "unknown authority") || !strings.Contains(r.Remedy, "full chain") {
		t.Errorf("tls: %s %s / %s", r.Status, r.Detail, r.Remedy)
	}
}

func TestPlainHTTPOnAnHTTPSURLFails(t *testing.T) {
	srv := httptest.NewServer(webhook.NewReceiver(path, basic))
	t.Cleanup(srv.Close)
	fn := newFakeNet(t)
	port := fn.route(host, publicIP, srv)
	o := fn.opts(newCA(t))
	o.Auth = basic
	rep := run(t, "https://"+host+":"+port+path, o)
	if r := find(t, rep, "tls"); r.Status != StatusFail || !strings.Contains(r.Detail, "did not answer in TLS") {
		t.Errorf("tls: %s %s", r.Status, r.Detail)
	}
}

func TestOldTLSVersionFails(t *testing.T) {
	ca := newCA(t)
	srv := checktest.TLSServerConfig(t, webhook.NewReceiver(path, basic),
		&tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11, Certificates: []tls.Certificate{ca.Valid(t, host)}})
	fn := newFakeNet(t)
	port := fn.route(host, publicIP, srv)
	o := fn.opts(ca)
	o.Auth = basic
	rep := run(t, "https://"+host+":"+port+path, o)
	if r := find(t, rep, "tls"); r.Status != StatusFail || !strings.Contains(r.Detail, "TLS 1.1") || !strings.Contains(r.Remedy, "TLS 1.2") {
		t.Errorf("tls: %s %s / %s", r.Status, r.Detail, r.Remedy)
	}
}

func TestServerErrorFails(t *testing.T) {
	url, fn, ca := endpoint(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom \x1b[31mred\x1b[0m", http.StatusInternalServerError)
	}))
	o := fn.opts(ca)
	o.Auth = basic
	rep := run(t, url, o)
	wantStatuses(t, rep, "url=pass dns=pass tcp=pass tls=pass event/inbound=fail event/delivery-report=fail refuse/inbound=skip refuse/delivery-report=skip")
	r := find(t, rep, "event/inbound")
	if !strings.Contains(r.Detail, "500 Internal Server Error") || r.HTTP.StatusCode != 500 || !strings.Contains(r.Remedy, "logs") {
		t.Errorf("event: %s / %s / %+v", r.Detail, r.Remedy, r.HTTP)
	}
	if strings.Contains(r.HTTP.Body, "\x1b") || !strings.Contains(r.HTTP.Body, `boom \x1b[31mred`) {
		t.Errorf("the body's escape sequences must be shown, not sent to the terminal: %q", r.HTTP.Body)
	}
}

// A handler that never answers, and a 200 ms timeout: the check fails.
// Nothing here measures time; the handler blocks until the test ends, so
// only the timeout can end the exchange.
func TestSlowEndpointFails(t *testing.T) {
	ca := newCA(t)
	srv := checktest.Slow(t, ca.Valid(t, host))
	fn := newFakeNet(t)
	port := fn.route(host, publicIP, srv)
	o := fn.opts(ca)
	o.Auth, o.Timeout, o.Kinds = basic, 200*time.Millisecond, []Kind{KindInbound}
	rep := run(t, "https://"+host+":"+port+path, o)
	wantStatuses(t, rep, "url=pass dns=pass tcp=pass tls=pass event/inbound=fail refuse/inbound=skip")
	if r := find(t, rep, "event/inbound"); !strings.Contains(r.Detail, "no answer within 200ms") || !strings.Contains(r.Remedy, "background") {
		t.Errorf("event: %s / %s", r.Detail, r.Remedy)
	}
}

func TestRedirectIsReportedNotFollowed(t *testing.T) {
	var followed atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/v2"+path, http.StatusFound)
	})
	mux.HandleFunc("/v2"+path, func(w http.ResponseWriter, r *http.Request) { followed.Add(1) })
	url, fn, ca := endpoint(t, mux)
	o := fn.opts(ca)
	o.Auth, o.Kinds = bearer, []Kind{KindDeliveryReport}
	rep := run(t, url, o)
	wantStatuses(t, rep, "url=pass dns=pass tcp=pass tls=pass event/delivery-report=fail refuse/delivery-report=skip")
	r := find(t, rep, "event/delivery-report")
	target := strings.TrimSuffix(url, path) + "/v2" + path
	if !strings.Contains(r.Detail, "302") || !strings.Contains(r.Detail, target) || !strings.Contains(r.Remedy, target) || r.HTTP.Location != target {
		t.Errorf("redirect: %s / %s / %+v (want %s)", r.Detail, r.Remedy, r.HTTP, target)
	}
	if n := followed.Load(); n != 0 {
		t.Errorf("the redirect was followed %d times", n)
	}
}

// An endpoint that checks nothing accepts the wrong credentials too: a
// failure, because anyone could post fake messages to it.
func TestAcceptingWrongCredentialsFails(t *testing.T) {
	for _, auth := range []webhook.Auth{basic, bearer} {
		rec := webhook.NewReceiver(path, webhook.Auth{Kind: "none"})
		url, fn, ca := endpoint(t, rec)
		o := fn.opts(ca)
		o.Auth = auth
		rep := run(t, url, o)
		wantStatuses(t, rep, "url=pass dns=pass tcp=pass tls=pass event/inbound=pass event/delivery-report=pass refuse/inbound=fail refuse/delivery-report=fail")
		if r := find(t, rep, "refuse/inbound"); !strings.Contains(r.Detail, "fake messages") || !strings.Contains(r.Remedy, "401") {
			t.Errorf("%s: %s / %s", auth.Kind, r.Detail, r.Remedy)
		}
		if rec.Len() != 4 {
			t.Errorf("%s: %d events, want 4", auth.Kind, rec.Len())
		}
	}
}

func TestRefusalWithAnotherStatusWarns(t *testing.T) {
	url, fn, ca := endpoint(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, _ := r.BasicAuth(); u != basic.User || p != basic.Pass {
			http.Error(w, "nope", http.StatusInternalServerError)
		}
	}))
	o := fn.opts(ca)
	o.Auth, o.Kinds = basic, []Kind{KindInbound}
	rep := run(t, url, o)
	wantStatuses(t, rep, "url=pass dns=pass tcp=pass tls=pass event/inbound=pass refuse/inbound=warn")
	if !rep.OK {
		t.Error("a warning failed the run")
	}
}

func TestRefusedCredentialsFailTheEvent(t *testing.T) {
	rec := webhook.NewReceiver(path, bearer)
	url, fn, ca := endpoint(t, rec)
	o := fn.opts(ca)
	o.Auth, o.Kinds = basic, []Kind{KindInbound} // the endpoint wants the bearer token
	rep := run(t, url, o)
	wantStatuses(t, rep, "url=pass dns=pass tcp=pass tls=pass event/inbound=fail refuse/inbound=skip")
	if r := find(t, rep, "event/inbound"); !strings.Contains(r.Detail, "401") || !strings.Contains(r.Remedy, "Basic") {
		t.Errorf("event: %s / %s", r.Detail, r.Remedy)
	}
}

func TestNoAuthWarnsTheRouteIsOpen(t *testing.T) {
	rec := webhook.NewReceiver(path, webhook.Auth{Kind: "none"})
	url, fn, ca := endpoint(t, rec)
	rep := run(t, url, fn.opts(ca))
	wantStatuses(t, rep, "url=pass dns=pass tcp=pass tls=pass event/inbound=pass event/delivery-report=pass refuse/inbound=warn refuse/delivery-report=warn")
	if r := find(t, rep, "refuse/inbound"); !strings.Contains(r.Detail, "skipped") || !strings.Contains(r.Detail, "anyone") {
		t.Errorf("refuse: %s", r.Detail)
	}
	if !rep.OK || rep.Warnings != 2 || rec.Len() != 2 {
		t.Errorf("ok %v, %d warnings, %d events", rep.OK, rep.Warnings, rec.Len())
	}
}

func TestPrivateAddressWarnsForTheLiveAPI(t *testing.T) {
	ca := newCA(t)
	srv := tlsServer(t, webhook.NewReceiver(path, basic), ca.Valid(t, host))
	for _, addr := range []string{"10.1.2.3", "127.0.0.1", "169.254.10.10", "fd00::1", "100.64.1.1"} {
		fn := newFakeNet(t)
		port := fn.route(host, addr, srv)
		o := fn.opts(ca)
		o.Auth, o.Kinds = basic, []Kind{KindInbound}
		rep := run(t, "https://"+host+":"+port+path, o)
		wantStatuses(t, rep, "url=pass dns=warn tcp=pass tls=pass event/inbound=pass refuse/inbound=pass")
		if r := find(t, rep, "dns"); !strings.Contains(r.Detail, "cannot reach") && !strings.Contains(r.Detail, "Telegent calls from the internet") {
			t.Errorf("%s: %s", addr, r.Detail)
		}
	}
}

// In sandbox mode the project's own receiver, as `listen` runs it (plain
// http on loopback), passes every check that applies to it; TLS does not.
func TestSandboxModeWithTheListenReceiver(t *testing.T) {
	run1, err := webhook.Start("127.0.0.1:0", path, basic)
	if err != nil {
		t.Fatal(err)
	}
	defer run1.Close()
	fn := newFakeNet(t) // the URL is an IP literal: nothing may be looked up
	rep := run(t, run1.URL, Options{Auth: basic, Sandbox: true, Resolver: fn})
	wantStatuses(t, rep, "url=pass dns=pass tcp=pass tls=skip event/inbound=pass event/delivery-report=pass refuse/inbound=pass refuse/delivery-report=pass")
	if len(fn.lookups()) != 0 {
		t.Errorf("looked up %v", fn.lookups())
	}
	// Live, the same loopback URL warns: Telegent cannot reach it.
	rep = run(t, run1.URL, Options{Auth: basic, Resolver: fn})
	if r := find(t, rep, "dns"); r.Status != StatusWarn || !strings.Contains(r.Detail, "loopback") {
		t.Errorf("live dns: %s %s", r.Status, r.Detail)
	}
	// And a public host in sandbox mode warns: the sandbox will not call it.
	rec := webhook.NewReceiver(path, basic)
	url, fn2, ca := endpoint(t, rec)
	o := fn2.opts(ca)
	o.Auth, o.Sandbox = basic, true
	rep = run(t, url, o)
	if r := find(t, rep, "dns"); r.Status != StatusWarn || !strings.Contains(r.Remedy, "listen") {
		t.Errorf("sandbox, public host: %s %s", r.Status, r.Detail)
	}
}

// A URL that fails its check sends nothing anywhere.
func TestBadURLsFailFirstAndTouchNothing(t *testing.T) {
	for url, want := range map[string]string{
		"http://hooks.example.test/x":            "https",
		"ftp://hooks.example.test/x":             "https",
		"hooks.example.test/x":                   "full URL",
		"https://user:pw@hooks.example.test/x":   "--auth",
		"https://hooks.example.test:99999/x":     "full URL",
		"https://" + strings.Repeat("a", 3000):   "shorter",
		"http://192.168.1.10:8080/telegent/hook": "https",
	} {
		fn := newFakeNet(t)
		o := fn.opts(nil)
		o.Auth = basic
		rep := run(t, url, o)
		wantStatuses(t, rep, "url=fail dns=skip tcp=skip tls=skip event/inbound=skip event/delivery-report=skip refuse/inbound=skip refuse/delivery-report=skip")
		if r := find(t, rep, "url"); !strings.Contains(r.Remedy, want) {
			t.Errorf("%.60s: remedy %q lacks %q", url, r.Remedy, want)
		}
		if len(fn.lookups())+len(fn.dialled()) != 0 {
			t.Errorf("%.60s: looked up %v, dialled %v", url, fn.lookups(), fn.dialled())
		}
		if strings.Contains(rep.URL, "pw") || len(rep.URL) > MaxURL+20 {
			t.Errorf("report URL %.80q", rep.URL)
		}
	}
}

func TestUnresolvableHostFails(t *testing.T) {
	fn := newFakeNet(t)
	rep := run(t, "https://nowhere.example.test/x", fn.opts(nil))
	wantStatuses(t, rep, "url=pass dns=fail tcp=skip tls=skip event/inbound=skip event/delivery-report=skip refuse/inbound=skip refuse/delivery-report=skip")
	if r := find(t, rep, "dns"); !strings.Contains(r.Detail, "no such host") || !strings.Contains(r.Remedy, "DNS record") {
		t.Errorf("dns: %s / %s", r.Detail, r.Remedy)
	}
}

func TestRefusedConnectionFails(t *testing.T) {
	fn := newFakeNet(t)
	fn.names[host] = append(fn.names[host], netip.MustParseAddr(publicIP))
	fn.errs[publicIP+":443"] = &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	rep := run(t, "https://"+host+path, fn.opts(nil))
	wantStatuses(t, rep, "url=pass dns=pass tcp=fail tls=skip event/inbound=skip event/delivery-report=skip refuse/inbound=skip refuse/delivery-report=skip")
	if r := find(t, rep, "tcp"); !strings.Contains(r.Detail, "refused") || !strings.Contains(r.Remedy, "port 443") {
		t.Errorf("tcp: %s / %s", r.Detail, r.Remedy)
	}
}

// The report never carries a secret, even when the endpoint echoes the
// Authorization header back.
func TestSecretsNeverInTheReport(t *testing.T) {
	for _, auth := range []webhook.Auth{basic, bearer} {
		url, fn, ca := endpoint(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			u, p, _ := r.BasicAuth()
			w.WriteHeader(http.StatusTeapot)
			w.Write([]byte("you sent " + r.Header.Get("Authorization") + " user " + u + " pass " + p))
		}))
		o := fn.opts(ca)
		o.Auth = auth
		rep := run(t, url, o)
		b, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{basic.Pass, bearer.Token, "aG9va3M6czNjcmV0LXBhc3M="} {
			if strings.Contains(string(b), secret) {
				t.Errorf("%s: the report holds %q:\n%s", auth.Kind, secret, b)
			}
		}
		if !strings.Contains(string(b), "****") {
			t.Errorf("%s: the echoed secret was not masked:\n%s", auth.Kind, b)
		}
	}
}

// One check at a time, as a Bubble Tea command would drive it.
func TestNextOneAtATime(t *testing.T) {
	rec := webhook.NewReceiver(path, bearer)
	url, fn, ca := endpoint(t, rec)
	o := fn.opts(ca)
	o.Auth, o.Kinds = bearer, []Kind{KindInbound}
	c, err := New(url, o)
	if err != nil {
		t.Fatal(err)
	}
	plan := c.Plan()
	if len(plan) != 6 {
		t.Fatalf("plan: %+v", plan)
	}
	for _, r := range plan {
		if r.Status != StatusPending || r.Name == "" {
			t.Errorf("planned: %+v", r)
		}
	}
	for i := range plan {
		r, ok := c.Next(context.Background())
		if !ok || r.Index != i || r.ID != plan[i].ID || r.Status != StatusPass {
			t.Fatalf("check %d: %+v, %v", i, r, ok)
		}
		if got := c.Plan()[i]; got.Status != StatusPass {
			t.Errorf("plan after check %d: %+v", i, got)
		}
		if i < len(plan)-1 && (c.Done() || c.Report().OK) {
			t.Errorf("done or OK before the last check")
		}
	}
	if _, ok := c.Next(context.Background()); ok || !c.Done() || !c.Report().OK {
		t.Error("more after the last check, or not OK")
	}
}

func TestCancelSkipsTheRest(t *testing.T) {
	rec := webhook.NewReceiver(path, bearer)
	url, fn, ca := endpoint(t, rec)
	o := fn.opts(ca)
	o.Auth = bearer
	ctx, cancel := context.WithCancel(context.Background())
	var n int
	rep, err := Run(ctx, url, o, func(r Result) {
		if n++; n == 2 {
			cancel()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	wantStatuses(t, rep, "url=pass dns=pass tcp=skip tls=skip event/inbound=skip event/delivery-report=skip refuse/inbound=skip refuse/delivery-report=skip")
	if rec.Len() != 0 {
		t.Errorf("%d events sent after cancel", rec.Len())
	}
}

func TestBadOptions(t *testing.T) {
	for _, o := range []Options{
		{Method: "PUT"},
		{Auth: webhook.Auth{Kind: "basic", User: "u"}},
		{Auth: webhook.Auth{Kind: "bearer"}},
		{Auth: webhook.Auth{Kind: "digest"}},
		{Kinds: []Kind{"voice"}},
		{Timeout: -time.Second},
	} {
		if _, err := New("https://x.example.test", o); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}

func TestSendToTheReceiver(t *testing.T) {
	for _, method := range []string{"POST", "GET"} {
		rec := webhook.NewReceiver(path, basic)
		url, fn, ca := endpoint(t, rec)
		o := fn.opts(ca)
		o.Auth, o.Method = basic, method
		ev := Event{Kind: KindDeliveryReport, MessageID: "TMID-mine", From: "+15550001111", To: "+15550002222", Status: "Failed", Time: time.Date(2026, 1, 30, 12, 0, 0, 0, time.UTC)}
		ans, err := Send(context.Background(), url, ev, o)
		if err != nil {
			t.Fatal(err)
		}
		if ans.StatusCode != 200 || !strings.Contains(string(ans.Body), `"ok":true`) || ans.Method != method {
			t.Errorf("%s: answer %+v", method, ans)
		}
		evs := rec.Events()
		if len(evs) != 1 {
			t.Fatalf("%s: %d events", method, len(evs))
		}
		e := evs[0]
		if e.Kind != webhook.KindDelivery || e.MessageID != "TMID-mine" || e.Status != "Failed" || e.From != "+15550001111" ||
			e.To != "+15550002222" || e.Timestamp != "2026-01-30T12:00:00Z" || e.Method != method {
			t.Errorf("%s: received %+v", method, e)
		}
	}
}

func TestSendReadsABoundedAnswer(t *testing.T) {
	url, fn, ca := endpoint(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := []byte(strings.Repeat("x", 1<<10))
		for range 1 << 10 { // 1 MiB, or until the client hangs up
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	ans, err := Send(context.Background(), url, NewEvent(KindInbound, time.Now()), fn.opts(ca))
	if err != nil {
		t.Fatal(err)
	}
	if len(ans.Body) != MaxAnswerBody || !ans.Truncated {
		t.Errorf("read %d bytes, truncated %v; want %d, true", len(ans.Body), ans.Truncated, MaxAnswerBody)
	}
}

func TestSendRefusesBadURLsAndTimesOut(t *testing.T) {
	fn := newFakeNet(t)
	if _, err := Send(context.Background(), "http://hooks.example.test/x", NewEvent(KindInbound, time.Now()), fn.opts(nil)); err == nil || !strings.Contains(err.Error(), "https") {
		t.Errorf("http to a remote host: %v", err)
	}
	if len(fn.dialled()) != 0 {
		t.Errorf("dialled %v", fn.dialled())
	}
	ca := newCA(t)
	srv := checktest.Slow(t, ca.Valid(t, host))
	port := fn.route(host, publicIP, srv)
	o := fn.opts(ca)
	o.Timeout = 200 * time.Millisecond
	_, err := Send(context.Background(), "https://"+host+":"+port+path, NewEvent(KindInbound, time.Now()), o)
	if !isTimeout(err) {
		t.Errorf("slow endpoint: %v, want a timeout", err)
	}
}

func TestSegments(t *testing.T) {
	for body, want := range map[string]int{
		"":                                1,
		strings.Repeat("a", 160):          1,
		strings.Repeat("a", 161):          2,
		strings.Repeat("a", 306):          2,
		strings.Repeat("a", 307):          3,
		strings.Repeat("é", 70):           1,
		strings.Repeat("é", 71):           2,
		"hi 👋 " + strings.Repeat("a", 70): 2,
	} {
		if got := Segments(body); got != want {
			t.Errorf("Segments(%d chars) = %d, want %d", len([]rune(body)), got, want)
		}
	}
}

func TestPrintable(t *testing.T) {
	got := printable("ok\x1b]0;pwned\x07 \u202e evil\xff"+strings.Repeat("z", 100), 30)
	if strings.ContainsAny(got, "\x1b\x07\u202e") || !strings.Contains(got, `\x1b`) || !strings.HasSuffix(got, "…") {
		t.Errorf("printable: %q", got)
	}
}

func TestParseKindsAndMaskAuth(t *testing.T) {
	for in, want := range map[string]int{"inbound": 1, "delivery-report": 1, "both": 2} {
		if k, err := ParseKinds(in); err != nil || len(k) != want {
			t.Errorf("ParseKinds(%q) = %v, %v", in, k, err)
		}
	}
	if _, err := ParseKinds("voice"); err == nil {
		t.Error("voice accepted")
	}
	if got := MaskAuth(basic); got != "basic:hooks:****" {
		t.Errorf("MaskAuth = %q", got)
	}
	if got := MaskAuth(bearer); got != "bearer:****" {
		t.Errorf("MaskAuth = %q", got)
	}
}

// Cancelled while the endpoint keeps the wrong-credentials call waiting:
// the check says it was cancelled (not that the endpoint misbehaved), and
// the rest are skipped.
func TestCancelDuringACheck(t *testing.T) {
	waiting := make(chan struct{}, 1)
	release := make(chan struct{})
	url, fn, ca := endpoint(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, _ := r.BasicAuth(); u == basic.User && p == basic.Pass {
			return // 200
		}
		select {
		case waiting <- struct{}{}:
		default:
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release) }) // before the server's Close, which waits for handlers
	o := fn.opts(ca)
	o.Auth, o.Timeout = basic, time.Minute // only the cancel can end the wait
	c, err := New(url, o)
	if err != nil {
		t.Fatal(err)
	}
	for range 6 { // url, dns, tcp, tls, both events
		if r, _ := c.Next(context.Background()); r.Status != StatusPass {
			t.Fatalf("%s: %s %s", r.ID, r.Status, r.Detail)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select { // cancel once the call is waiting at the endpoint
		case <-waiting:
		case <-time.After(30 * time.Second):
		}
		cancel()
	}()
	r, _ := c.Next(ctx)
	if r.ID != "refuse/inbound" || r.Status != StatusFail || !strings.Contains(r.Detail, "cancelled") {
		t.Errorf("%s: %s %s", r.ID, r.Status, r.Detail)
	}
	for {
		r, ok := c.Next(ctx)
		if !ok {
			break
		}
		if r.Status != StatusSkip {
			t.Errorf("%s after cancel: %s", r.ID, r.Status)
		}
	}
}
