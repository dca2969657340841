// Command barehuh is the start-up yardstick: a bare huh form with the same
// three fields as the wizard's first screen. TestStartupFirstFrame times
// both in a pty.
package main

import (
	"fmt"
	"os"

	"charm.land/huh/v2"
)

func main() {
	var key, secret, account string
	err := huh.NewForm(huh.NewGroup(
		huh.NewInput().Title("AccountKey").Value(&key),
		huh.NewInput().Title("AccountSecret").EchoMode(huh.EchoModePassword).Value(&secret),
		huh.NewInput().Title("AccountId").Value(&account),
	)).Run()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
