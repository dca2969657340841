//go:build !linux

package main

import (
	"errors"
	"os"
)

type termState struct{ echo bool }

func getTermios(*os.File) (termState, error) {
	return termState{}, errors.New("reading a pty's settings is only written for Linux")
}
