package main

import (
	"testing"

	"github.com/telegent/telegent-onboard/wizard/flow/flowtest"
)

// The commands' tests, and the binaries they start, never see the user's
// home: session files and debug traces land in a temporary one.
func TestMain(m *testing.M) { flowtest.Main(m) }
