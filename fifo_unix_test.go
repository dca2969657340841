//go:build unix

package main

import "syscall"

// mkfifo makes a named pipe: the answers-file test proves a FIFO without a
// writer is refused rather than blocking the run.
func mkfifo(path string) error { return syscall.Mkfifo(path, 0o600) }

// deviceFile is a character device that never ends when read.
const deviceFile = "/dev/zero"
