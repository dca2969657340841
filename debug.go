package main

// --debug: the redacted HTTP trace for support tickets, on every command.

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/telegent/telegent-onboard/api"
	"github.com/telegent/telegent-onboard/api/webhook"
)

const envDebug = "TELEGENT_DEBUG"

// debugWanted is --debug, or TELEGENT_DEBUG set to anything but "", "0"
// or "false".
func (f *rootFlags) debugWanted() bool {
	if f.debug {
		return true
	}
	v := strings.ToLower(strings.TrimSpace(os.Getenv(envDebug)))
	return v != "" && v != "0" && v != "false"
}

// traceOptions adds the client's redacted trace (no secret, password or
// token: the same redaction as the wizard's inspector) when debugging.
func (f *rootFlags) traceOptions(w io.Writer) []api.Option {
	if !f.debugWanted() {
		return nil
	}
	return []api.Option{api.WithTrace(w)}
}

// debugFile opens the trace file of the full-screen wizard, which owns the
// terminal: --debug-file, else telegent-onboard-debug.log beside the session
// file (or in the config directory when there is none). It is 0600 and
// appended to, so a resumed session keeps one trace.
func (f *rootFlags) debugFile(statePath string) (*os.File, string, error) {
	path := f.debugPath
	if path == "" {
		dir := ""
		if statePath != "" {
			dir = filepath.Dir(statePath)
		} else if cfg, err := os.UserConfigDir(); err == nil {
			dir = filepath.Join(cfg, "telegent-onboard")
		} else {
			return nil, "", fmt.Errorf("no config directory for the debug trace (use --debug-file PATH): %w", err)
		}
		path = filepath.Join(dir, "telegent-onboard-debug.log")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, "", fmt.Errorf("the debug trace %s: %w", path, err)
	}
	file, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, "", fmt.Errorf("the debug trace: %w", err)
	}
	fmt.Fprintf(file, "=== telegent-onboard %s, %s\n", currentBuild().Token(), time.Now().UTC().Format(time.RFC3339))
	return file, path, nil
}

// traceWebhooks writes each call the receiver gets, headers redacted and
// the body as kept, until stop is called.
func traceWebhooks(r *webhook.Receiver, w io.Writer) (stop func()) {
	ch, cancel := r.Subscribe()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for e := range ch {
			var b strings.Builder
			target := e.Path
			if e.Query != "" {
				target += "?" + e.Query
			}
			fmt.Fprintf(&b, "<-- %s %s from %s (%s)\n", e.Method, target, e.RemoteAddr, e.Kind)
			for k, vs := range e.Header {
				for _, v := range vs {
					fmt.Fprintf(&b, "    %s: %s\n", k, v)
				}
			}
			if len(e.Raw) > 0 {
				b.Write(api.RedactJSON(e.Raw))
				if e.Truncated {
					fmt.Fprintf(&b, "\n    (the first %d of %d bytes)", len(e.Raw), e.Size)
				}
				b.WriteByte('\n')
			}
			io.WriteString(w, b.String())
		}
	}()
	return func() { cancel(); wg.Wait() }
}
