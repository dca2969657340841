package main

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestListenJSONPrintsOneLinePerEvent(t *testing.T) {
	var stdout, stderr syncBuffer
	cmd := newRootCmd(&stdout, &stderr)
	cmd.SetArgs([]string{"listen", "--addr", "127.0.0.1:0", "--auth", "bearer:tok", "--json"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("listen: %v", err)
		}
	}()

	re := regexp.MustCompile(`Listening on (http://127\.0\.0\.1:\d+/telegent/messages)`)
	var url string
	for deadline := time.Now().Add(10 * time.Second); url == ""; {
		if m := re.FindStringSubmatch(stderr.String()); m != nil {
			url = m[1]
			break
		}
		select {
		case err := <-done:
			t.Fatalf("listen ended early: %v\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("listen never printed its URL:\n%s", stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if s := stderr.String(); !strings.Contains(s, "MessageUrl") || !strings.Contains(s, "Bearer") || strings.Contains(s, "tok\n") || strings.Contains(s, "Warning") {
		t.Errorf("stderr:\n%s", s)
	}

	req, _ := http.NewRequest("POST", url, strings.NewReader(`{"Message_ID":"TMID-1","From":"+15550002222","To":"+15550001111","Message_Body":"hi","Segment":1}`))
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}

	var line string
	for deadline := time.Now().Add(10 * time.Second); ; {
		if out := stdout.String(); strings.HasSuffix(out, "\n") {
			line = out
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no JSON line on stdout; stdout %q", stdout.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if n := strings.Count(line, "\n"); n != 1 {
		t.Fatalf("%d lines, want 1:\n%s", n, line)
	}
	var ev map[string]any
	if err := json.Unmarshal([]byte(line), &ev); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, line)
	}
	if ev["kind"] != "inbound" || ev["messageId"] != "TMID-1" || ev["body"] != "hi" || ev["authorized"] != true {
		t.Errorf("event: %s", line)
	}
	if strings.Contains(line, "Bearer tok") {
		t.Errorf("the token leaked into the output: %s", line)
	}
}

func TestListenBadFlagsAreUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"listen", "--auth", "basic:onlyuser"},
		{"listen", "--auth", "digest:x"},
		{"listen", "--addr", "nohostport"},
		{"listen", "--path", "relative"},
		{"listen", "--keep", "0"},
		{"listen", "--max-body", "-1"},
		{"listen", "--max-body", "2000000"},
	} {
		_, _, code, err := runHeadlessCmd(t, args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d (%v), want %d", args, code, err, exitUsage)
		}
	}
}

func TestListenWarnsOffLoopback(t *testing.T) {
	var stdout, stderr syncBuffer
	cmd := newRootCmd(&stdout, &stderr)
	cmd.SetArgs([]string{"listen", "--addr", "0.0.0.0:0", "--json"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(stderr.String(), "Listening on"); {
		if time.Now().After(deadline) {
			t.Fatalf("never listened:\n%s", stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if s := stderr.String(); !strings.Contains(s, "Warning") || !strings.Contains(s, "https") || !strings.Contains(s, "TLS") {
		t.Errorf("no TLS warning:\n%s", s)
	}
}

// --max-body keeps the start of each body and marks the cut in the JSON.
func TestListenMaxBodyCutsAndMarks(t *testing.T) {
	var stdout, stderr syncBuffer
	cmd := newRootCmd(&stdout, &stderr)
	cmd.SetArgs([]string{"listen", "--addr", "127.0.0.1:0", "--json", "--max-body", "16", "--keep", "5"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("listen: %v", err)
		}
	}()
	re := regexp.MustCompile(`Listening on (http://127\.0\.0\.1:\d+/telegent/messages)`)
	var url string
	for deadline := time.Now().Add(10 * time.Second); url == ""; time.Sleep(5 * time.Millisecond) {
		if m := re.FindStringSubmatch(stderr.String()); m != nil {
			url = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("listen never printed its URL:\n%s", stderr.String())
		}
	}
	body := `{"Message_ID":"TMID-1","Message_Body":"` + strings.Repeat("a", 100) + `"}`
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for deadline := time.Now().Add(10 * time.Second); !strings.HasSuffix(stdout.String(), "\n"); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no JSON line on stdout; stdout %q", stdout.String())
		}
	}
	var ev map[string]any
	if err := json.Unmarshal([]byte(stdout.String()), &ev); err != nil {
		t.Fatal(err)
	}
	if ev["raw"] != body[:16] || ev["truncated"] != true || ev["size"] != float64(len(body)) || ev["messageId"] != "TMID-1" {
		t.Errorf("event: %v", ev)
	}
}
