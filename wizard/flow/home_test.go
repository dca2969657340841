package flow

import (
	"testing"

	"github.com/telegent/telegent-onboard/wizard/flow/flowtest"
)

// DefaultStatePath refuses a real home while testing; this gives every
// test in the package a temporary one.
func TestMain(m *testing.M) { flowtest.Main(m) }

// why is the reason a run or a check stopped.
func why(err error) Reason {
	r, _ := ReasonOf(err)
	return r
}
