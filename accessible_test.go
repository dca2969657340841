package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"
)

// --accessible walks the whole sandbox flow with plain prompts in a real
// terminal: each prompt is answered as a person would, typing the masked
// fields and pressing Enter on the rest.
func TestAccessibleModeWalksTheFlowWithPlainPrompts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := binary(t, ".")
	cmd := exec.Command(bin, "--accessible", "--sandbox")
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "TERM=dumb")
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := make(chan []byte, 256)
	go func() {
		for {
			buf := make([]byte, 8192)
			n, err := f.Read(buf)
			if n > 0 {
				out <- buf[:n]
			}
			if err != nil {
				close(out)
				return
			}
		}
	}()
	var all bytes.Buffer
	answered := 0
	deadline := time.After(60 * time.Second)
	for {
		select {
		case chunk, ok := <-out:
			if !ok {
				goto done
			}
			all.Write(chunk)
			text := ansi.Strip(all.String())
			// A prompt is output that stops without a newline.
			if strings.HasSuffix(text, "\n") || strings.HasSuffix(text, "\r") || len(text) <= answered {
				continue
			}
			last := text[strings.LastIndexAny(text, "\r\n")+1:]
			answer := "\r"
			switch {
			case strings.Contains(last, "AccountSecret"):
				answer = "sandbox-secret\r"
			case strings.Contains(last, "PasswordToken"):
				answer = "demo-webhook-password\r"
			case strings.Contains(last, "Password"):
				answer = "demo-password-123\r"
			}
			answered = len(text)
			if _, err := f.Write([]byte(answer)); err != nil {
				t.Fatal(err)
			}
		case <-deadline:
			t.Fatalf("the accessible run did not finish; output:\n%s", ansi.Strip(all.String()))
		}
	}
done:
	_ = cmd.Wait()
	text := ansi.Strip(all.String())
	for _, want := range []string{"SANDBOX at http://127.0.0.1:", "Step 2 of 7: Message route", "RouteName", "Enter a number between",
		"Creating the message route…", "Provisioning the number…", "eSIM activation", "Delivery confirmed", "Reply from", "All seven steps are done",
		"MessageRouteId (MRID)", "MessageId", "TMID-"} {
		if !strings.Contains(text, want) {
			t.Errorf("the accessible run never showed %q", want)
		}
	}
	if strings.Contains(text, "\x1b[?1049h") || strings.Contains(all.String(), "\x1b[?1049h") {
		t.Error("accessible mode switched to the alternate screen")
	}
	for _, secret := range []string{"sandbox-secret", "demo-webhook-password", "demo-password-123"} {
		if strings.Contains(text, secret) {
			t.Errorf("a typed secret was echoed: %q", secret)
		}
	}
	if t.Failed() {
		t.Logf("output:\n%s", text)
	}
}
