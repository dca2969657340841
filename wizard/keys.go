package wizard

import "charm.land/bubbles/v2/key"

// keyMap holds the wizard's own keys; the forms bring theirs (enter, tab,
// arrows). Printable keys are only taken when no text input has focus.
type keyMap struct {
	Next      key.Binding
	Back      key.Binding
	Inspector key.Binding
	Help      key.Binding
	Quit      key.Binding

	// Error panel
	Retry key.Binding
	Edit  key.Binding
	Leave key.Binding // back, from the error panel
	Exit  key.Binding // quit, from the error panel
	Left  key.Binding
	Right key.Binding

	// Tables and lists
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Search   key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Next:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next")),
		Back:      key.NewBinding(key.WithKeys("esc", "shift+tab"), key.WithHelp("esc", "back")),
		Inspector: key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "inspect HTTP")),
		Help:      key.NewBinding(key.WithKeys("?", "f1"), key.WithHelp("?", "help")),
		Quit:      key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),

		Retry: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry")),
		Edit:  key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit")),
		Leave: key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "back")),
		Exit:  key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		// No h/l here: in the panels, letters are the choices' shortcuts.
		Left:  key.NewBinding(key.WithKeys("left", "shift+tab"), key.WithHelp("←/→", "choose")),
		Right: key.NewBinding(key.WithKeys("right", "tab")),

		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "move")),
		Down:     key.NewBinding(key.WithKeys("down", "j")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "left"), key.WithHelp("←/→", "page")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "right")),
		Search:   key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "search again")),
	}
}
