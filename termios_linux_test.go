package main

import (
	"os"

	"golang.org/x/sys/unix"
)

type termState struct{ echo bool }

// getTermios reads the terminal settings of a pty through its master side
// (on Linux the pair shares one termios).
func getTermios(f *os.File) (termState, error) {
	t, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	if err != nil {
		return termState{}, err
	}
	return termState{echo: t.Lflag&unix.ECHO != 0}, nil
}
