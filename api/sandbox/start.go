package sandbox

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"
)

// Running is a sandbox served on a real listener.
type Running struct {
	URL    string // base URL including /v1.0, e.g. http://127.0.0.1:54321/v1.0
	Addr   string // the address actually listened on, e.g. 127.0.0.1:54321
	Server *Server

	http      *http.Server
	served    chan error
	closeOnce sync.Once
	closeErr  error
}

// Start listens on addr ("127.0.0.1:0" picks a free port) and serves a new
// sandbox in a goroutine until Close.
func Start(addr string, opts Options) (*Running, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := New(opts)
	run := &Running{
		URL:    "http://" + ln.Addr().String() + apiPrefix,
		Addr:   ln.Addr().String(),
		Server: s,
		http:   &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second},
		served: make(chan error, 1),
	}
	go func() { run.served <- run.http.Serve(ln) }()
	return run, nil
}

// Close stops accepting requests, waits up to 5 seconds for those in
// flight, and stops the sandbox's webhook deliveries. It is safe to call
// more than once.
func (r *Running) Close() error {
	r.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := r.http.Shutdown(ctx)
		if err != nil {
			err = errors.Join(err, r.http.Close())
		}
		if serveErr := <-r.served; !errors.Is(serveErr, http.ErrServerClosed) {
			err = errors.Join(err, serveErr)
		}
		r.Server.Close()
		r.closeErr = err
	})
	return r.closeErr
}
