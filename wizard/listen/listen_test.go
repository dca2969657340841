package listen_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/telegent/telegent-onboard/api/webhook"
	"github.com/telegent/telegent-onboard/wizard/internal/termtest"
	"github.com/telegent/telegent-onboard/wizard/listen"
)

func post(t *testing.T, url, auth, body string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

func TestListenShowsEventsAndTheRawRequest(t *testing.T) {
	rec := webhook.NewReceiver("/telegent/messages", webhook.Auth{Kind: "bearer", Token: "s3cret-token"})
	srv := httptest.NewServer(rec)
	defer srv.Close()
	url := srv.URL + "/telegent/messages"

	// One event before the UI starts: it must be listed too.
	post(t, url, "Bearer s3cret-token", `{"Message_ID":"TMID-1","From":"+15550002222","To":"+15550001111","Message_Body":"hello there","Segment":1}`)
	m := listen.New(rec, url)
	defer m.Close()
	term := termtest.Start(t, m, 120, 30)
	term.WaitFor("Listening on "+url, "inbound", "+15550002222 → +15550001111", "hello there")

	post(t, url, "", `{"Message_ID":"TMID-2","Message_Body":"sneaky"}`)
	post(t, url, "Bearer s3cret-token", `{"Type":"DeliveryReport","MessageId":"TMID-1","To":"+15550001111","From":"+15550002222","Status":"Delivered"}`)
	post(t, url, "Bearer s3cret-token", `{"Message_Body": oops`)
	term.WaitFor("REFUSED 401", "delivery", "Delivered TMID-1", "(malformed)", "4 events")
	for i := range 40 { // more than a screen: the newest stays in view
		post(t, url, "Bearer s3cret-token", fmt.Sprintf(`{"Message_ID":"B%d","Message_Body":"burst %d"}`, i, i))
	}
	term.WaitFor("burst 39", "44 events")

	// Back up to the malformed one (the 4th event) and open it.
	for range 40 {
		term.Key(tea.KeyPressMsg{Code: tea.KeyUp})
	}
	term.WaitFor("▸", "(malformed)")
	term.Enter(1)
	term.WaitFor("Decode error", `{"Message_Body": oops`, "Authorization: Bearer [redacted]", "POST /telegent/messages")
	if s := term.Screen(); strings.Contains(s, "s3cret-token") {
		t.Fatalf("the token is on screen:\n%s", s)
	}
	term.Key(keyEsc)
	term.WaitFor("enter raw request")

	// The refused attempt (two up) is listed as such, and its detail says so.
	term.Key(tea.KeyPressMsg{Code: tea.KeyUp})
	term.Key(tea.KeyPressMsg{Code: tea.KeyUp})
	term.WaitFor("▸ ", "REFUSED 401  POST")
	term.Enter(1)
	term.WaitFor("REFUSED (answered 401)", "not kept: the credentials were refused")
	if s := term.Screen(); strings.Contains(s, "sneaky") {
		t.Errorf("a refused call's body is shown:\n%s", s)
	}
	term.Key(keyEsc)
	term.Key(char('q'))
	term.TM.WaitFinished(t)
}

var keyEsc = tea.KeyPressMsg{Code: tea.KeyEscape}

func char(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Text: string(r)} }
