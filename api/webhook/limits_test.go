package webhook

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func TestKeepHoldsTheLastNEvents(t *testing.T) {
	rec := NewReceiver("/p", Auth{}, WithKeep(10))
	for i := range 25 {
		req := httptest.NewRequest("POST", "/p", strings.NewReader(fmt.Sprintf(`{"MessageId":"M%d","Status":"Delivered"}`, i+1)))
		rec.ServeHTTP(httptest.NewRecorder(), req)
	}
	evs := rec.Events()
	if len(evs) != 10 || rec.Len() != 25 {
		t.Fatalf("%d events held, %d received; want 10 and 25", len(evs), rec.Len())
	}
	for i, e := range evs {
		if want := 16 + i; e.Seq != want || e.MessageID != fmt.Sprintf("M%d", want) {
			t.Errorf("event %d is seq %d %s, want %d", i, e.Seq, e.MessageID, want)
		}
	}
}

func TestMaxKeptBodyCutsAndMarks(t *testing.T) {
	rec := NewReceiver("/p", Auth{}, WithMaxKeptBody(100))
	long := strings.Repeat("é", 300) // 600 bytes, two per character
	body := `{"MessageId":"M1","Message_Body":"` + long + `","From":"+15550002222"}`
	w := httptest.NewRecorder()
	rec.ServeHTTP(w, httptest.NewRequest("POST", "/p", strings.NewReader(body)))
	if w.Code != 200 {
		t.Fatalf("answered %d", w.Code)
	}
	e := rec.Events()[0]
	if !e.Truncated || e.Size != len(body) || len(e.Raw) != 100 || !bytes.Equal(e.Raw, []byte(body[:100])) {
		t.Errorf("raw kept %d of %d bytes, truncated %v; want the first 100, marked", len(e.Raw), e.Size, e.Truncated)
	}
	// Decoding saw the whole body; the decoded body is cut on a character.
	if e.MessageID != "M1" || e.From != "+15550002222" || len(e.Body) != 100 || !strings.HasPrefix(long, e.Body) {
		t.Errorf("decoded %q from %q, body %d bytes", e.MessageID, e.From, len(e.Body))
	}
	short := NewReceiver("/p", Auth{}, WithMaxKeptBody(100))
	short.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/p", strings.NewReader(`{"MessageId":"M2"}`)))
	if e := short.Events()[0]; e.Truncated || string(e.Raw) != `{"MessageId":"M2"}` {
		t.Errorf("a short body: %+v", e)
	}
}

// A flood of 2 MB bodies, half of them without credentials, leaves the
// receiver's memory bounded: far below the 600 MB that arrived.
func TestFloodOfLargeBodiesKeepsMemoryBounded(t *testing.T) {
	run, err := Start("127.0.0.1:0", "/telegent/messages", Auth{Kind: "bearer", Token: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	const posts, size = 300, 2 << 20
	body := bytes.Repeat([]byte("x"), size)
	client := &http.Client{}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i := range posts {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			req, _ := http.NewRequest("POST", run.URL, bytes.NewReader(body))
			if i%2 == 0 {
				req.Header.Set("Authorization", "Bearer tok")
			}
			resp, err := client.Do(req)
			if err != nil {
				return // the server may close a connection mid-body; the count below tells
			}
			resp.Body.Close()
		}()
	}
	wg.Wait()
	if n := run.Receiver.Len(); n != posts {
		t.Fatalf("%d of %d posts recorded", n, posts)
	}
	retained := run.Receiver.RetainedBytes()
	if bound := DefaultKeep * (DefaultMaxKeptBody + maxHeaderBytes); retained > bound {
		t.Errorf("the receiver holds %d bytes, over its bound of %d", retained, bound)
	}
	for _, e := range run.Receiver.Events() {
		if !e.Authorized && len(e.Raw) != 0 {
			t.Fatalf("a refused call kept %d bytes of body", len(e.Raw))
		}
		if len(e.Raw) > DefaultMaxKeptBody {
			t.Fatalf("an event kept %d bytes", len(e.Raw))
		}
	}
	client.CloseIdleConnections()
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 100<<20 {
		t.Errorf("the heap grew by %d MB after %d posts of 2 MB, want under 100 MB", grew>>20, posts)
	}
	t.Logf("retained %d KB; heap grew %d KB", retained>>10, (int64(after.HeapAlloc)-int64(before.HeapAlloc))>>10)
}
