// Package termtest runs a Bubble Tea model as a real program (teatest) and
// feeds everything it draws into a terminal emulator, so tests wait for and
// read the screen a person would see, whatever the renderer's diffing does.
// The wizard's and listen's scenario tests share it.
package termtest

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/charmbracelet/x/vt"
)

// Terminal is a program under test and the screen it draws.
type Terminal struct {
	T    *testing.T
	TM   *teatest.TestModel
	mu   sync.Mutex
	emu  *vt.Emulator
	stop chan struct{}
	done chan struct{}
}

// Start runs m at width×height; the program is ended when the test ends.
func Start(t *testing.T, m tea.Model, width, height int) *Terminal {
	t.Helper()
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(width, height),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	term := &Terminal{T: t, TM: tm, emu: vt.NewEmulator(width, height), stop: make(chan struct{}), done: make(chan struct{})}
	go func() { _, _ = io.Copy(io.Discard, term.emu) }() // the emulator's answers to queries go nowhere
	go term.pump()
	t.Cleanup(func() {
		_ = tm.Quit()
		tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
		close(term.stop)
		<-term.done
		// Closing the emulator's input pipe ends the drain goroutine (Close
		// itself races with Read inside vt).
		_ = term.emu.InputPipe().(io.Closer).Close()
	})
	return term
}

func (term *Terminal) pump() {
	defer close(term.done)
	buf := make([]byte, 32<<10)
	out := term.TM.Output()
	for {
		n, _ := out.Read(buf)
		if n > 0 {
			// A real tty maps LF to CRLF on output (ONLCR); the emulator
			// gets what the tty driver would pass on.
			chunk := bytes.ReplaceAll(buf[:n], []byte("\n"), []byte("\r\n"))
			term.mu.Lock()
			_, _ = term.emu.Write(chunk)
			term.mu.Unlock()
			continue
		}
		select {
		case <-term.stop:
			return
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// Screen is the visible text.
func (term *Terminal) Screen() string {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.emu.String()
}

// WaitFor polls the screen until every fragment is on it.
func (term *Terminal) WaitFor(fragments ...string) {
	term.T.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		s := term.Screen()
		ok := true
		for _, f := range fragments {
			if !strings.Contains(s, f) {
				ok = false
				break
			}
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			term.T.Fatalf("screen never showed %q; it shows:\n%s", fragments, s)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Enter presses enter n times.
func (term *Terminal) Enter(n int) {
	for range n {
		term.TM.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	}
}

// Key presses one key.
func (term *Terminal) Key(k tea.KeyPressMsg) { term.TM.Send(k) }

// Retype clears the focused input and types s.
func (term *Terminal) Retype(s string) {
	term.TM.Send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	term.TM.Type(s)
}
