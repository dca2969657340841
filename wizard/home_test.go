package wizard

import (
	"testing"

	"github.com/telegent/telegent-onboard/wizard/flow/flowtest"
)

// Scenario tests that run without --state save into the default session
// directory: a temporary home keeps them off the user's.
func TestMain(m *testing.M) { flowtest.Main(m) }
