//go:build !unix

package main

import "errors"

// Windows has neither named pipes in the file system nor /dev/zero, so the
// cases that need them are skipped there; the rest still run.
func mkfifo(string) error { return errors.ErrUnsupported }

const deviceFile = ""
