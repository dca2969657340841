package sandbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// provisionAll fires n provisions at once and returns each status and body.
func provisionAll(t *testing.T, e *env, n int, body map[string]any) []resp {
	t.Helper()
	out := make([]resp, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out[i] = e.try("POST", "/v1.0/numbers/provision", e.token, body)
		}()
	}
	close(start)
	wg.Wait()
	return out
}

func TestConcurrentProvisionOfTheLastNumber(t *testing.T) {
	e := newEnv(t, Options{RateLimit: -1}).login()
	mrid := e.must("POST", "/v1.0/message/routes", qsMessageRoute)["MessageRouteId"].(string)
	results := provisionAll(t, e, 20, provisionBody(mrid, OneNumberArea))
	won := 0
	for _, r := range results {
		msg, _ := r.body["Message"].(string)
		switch r.status {
		case 200:
			won++
			if r.body["PhoneNumberAssigned"] != "+19075550100" {
				t.Errorf("winner got %v", r.body["PhoneNumberAssigned"])
			}
		case 409:
			if msg != "Conflict: the number +19075550100 was claimed by another user. Check availability again and select a different number." {
				t.Errorf("409 message %q", msg)
			}
		case 404:
			if !strings.Contains(msg, `no numbers available in AreaCode "907"`) {
				t.Errorf("404 message %q", msg)
			}
		default:
			t.Errorf("unexpected %d %v", r.status, r.body)
		}
	}
	if won != 1 {
		t.Errorf("%d provisions got the one number, want exactly 1", won)
	}
	if n := len(e.resources()["Numbers"]); n != 1 {
		t.Errorf("%d numbers exist, want 1", n)
	}
}

func TestConcurrentProvisionsNeverShareANumber(t *testing.T) {
	e := newEnv(t, Options{RateLimit: -1}).login()
	mrid := e.must("POST", "/v1.0/message/routes", qsMessageRoute)["MessageRouteId"].(string)
	got := map[string]bool{}
	for round := range 3 { // a few rounds, so that some requests do get distinct numbers
		for _, r := range provisionAll(t, e, 30, provisionBody(mrid, "801")) {
			switch r.status {
			case 200:
				n := r.body["PhoneNumberAssigned"].(string)
				if got[n] {
					t.Errorf("round %d: %s was given twice", round, n)
				}
				got[n] = true
			case 409:
			default:
				t.Errorf("unexpected %d %v", r.status, r.body)
			}
		}
	}
	res := e.resources()
	if len(res["Numbers"]) != len(got) || len(got) == 0 {
		t.Errorf("%d numbers in resources, %d distinct successes", len(res["Numbers"]), len(got))
	}
	av := e.must("POST", "/v1.0/numbers/availability", with(obj(t, qsAvailability), "AreaCode", "801"))
	if av["ResultsTotal"] != float64(60-len(got)) {
		t.Errorf("801 availability %v, want %d", av["ResultsTotal"], 60-len(got))
	}
}

func TestFaultsAreSeeded(t *testing.T) {
	sequence := func(seed int64, rate float64) []int {
		e := newEnv(t, Options{FaultRate: rate, Seed: seed, RateLimit: -1})
		var codes []int
		for i := range 40 {
			var r resp
			if i%2 == 0 {
				r = e.try("POST", "/v1.0/oauth2/tokens", "", map[string]any{"AccountKey": DemoAccountKey, "AccountSecret": DemoAccountSecret})
			} else {
				r = e.try("GET", "/v1.0/numbers/order?OrderId=x", "no-token", nil)
			}
			if sc, _ := r.body["StatusCode"].(float64); r.status != 200 && int(sc) != r.status {
				t.Errorf("StatusCode %v for status %d", r.body["StatusCode"], r.status)
			}
			if r.status == 429 && r.header.Get("Retry-After") == "" {
				t.Errorf("an injected 429 has no Retry-After")
			}
			codes = append(codes, r.status)
		}
		return codes
	}
	all := sequence(7, 1.0)
	seen := map[int]int{}
	for _, c := range all {
		seen[c]++
	}
	if len(seen) != 3 || seen[500] == 0 || seen[503] == 0 || seen[429] == 0 {
		t.Errorf("FaultRate 1 gave %v, want only (and each of) 500, 503, 429", seen)
	}
	if again := sequence(7, 1.0); fmt.Sprint(again) != fmt.Sprint(all) {
		t.Errorf("same seed, different faults:\n%v\n%v", all, again)
	}
	half := sequence(9, 0.5)
	if again := sequence(9, 0.5); fmt.Sprint(again) != fmt.Sprint(half) {
		t.Errorf("same seed, different faults:\n%v\n%v", half, again)
	}
	// With half the requests faulty, the rest get their real answers.
	real := 0
	for _, c := range half {
		if c == 200 || c == 401 {
			real++
		}
	}
	if real == 0 || real == len(half) {
		t.Errorf("FaultRate 0.5 gave %v", half)
	}
}

func TestLatencyAbandonedRequestLeavesNothing(t *testing.T) {
	abandoned := make(chan string, 10)
	e := newEnv(t, Options{RateLimit: -1, Latency: time.Second, Logf: func(format string, args ...any) {
		if line := fmt.Sprintf(format, args...); strings.Contains(line, "abandoned") {
			abandoned <- line
		}
	}}).login() // the token request itself waits the second out

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", e.srv.URL+"/v1.0/message/routes", strings.NewReader(qsMessageRoute))
	req.Header.Set("Authorization", "Bearer "+e.token)
	if res, err := e.srv.Client().Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("the request finished (%d) despite its context ending first", res.StatusCode)
	}
	select {
	case line := <-abandoned:
		if !strings.Contains(line, "/v1.0/message/routes") {
			t.Errorf("abandoned the wrong request: %s", line)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the sandbox never abandoned the request")
	}
	if n := len(e.resources()["MessageRoutes"]); n != 0 {
		t.Errorf("%d message routes exist after an abandoned create", n)
	}
}

func TestLostResponsesAreCarriedOut(t *testing.T) {
	lost := make(chan string, 10)
	e := newEnv(t, Options{RateLimit: -1, LoseResponses: 1, Logf: func(format string, args ...any) {
		if line := fmt.Sprintf(format, args...); strings.Contains(line, "lost") {
			lost <- line
		}
	}}).login()
	req, _ := http.NewRequest("POST", e.srv.URL+"/v1.0/message/routes", bytes.NewReader([]byte(qsMessageRoute)))
	req.Header.Set("Authorization", "Bearer "+e.token)
	res, err := e.srv.Client().Do(req)
	if err == nil {
		res.Body.Close()
		t.Fatalf("got an answer (%d) to a create whose response should be lost", res.StatusCode)
	}
	if !errors.Is(err, io.EOF) && !strings.Contains(err.Error(), "EOF") && !strings.Contains(err.Error(), "connection reset") {
		t.Errorf("want a broken connection, got %v", err)
	}
	if n := len(e.resources()["MessageRoutes"]); n != 1 {
		t.Errorf("%d message routes exist, want the 1 carried out", n)
	}
	if len(lost) != 1 {
		t.Errorf("%d lost responses logged, want 1", len(lost))
	}
	// Reads and refused creates are answered normally.
	if st, body := e.do("GET", "/v1.0/account/message/routes?AccountId="+DemoAccountID, nil); st != 200 || body["TotalRoutes"] != 1.0 {
		t.Errorf("list: %d %v", st, body)
	}
	st, body := e.do("POST", "/v1.0/message/routes", "{}")
	wantError(t, "a refused create", st, body, 400, "RouteName")
}
