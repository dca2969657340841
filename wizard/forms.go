package wizard

import (
	"errors"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/telegent/telegent-onboard/api/validate"
)

// formScreen is the part every form-based screen shares: a huh form built
// afresh on entry, its first field (for shift+tab), and its size.
type formScreen struct {
	sh     *shared
	form   *huh.Form
	first  huh.Field
	last   string // the form as last drawn: a completed huh form draws nothing
	groups []*huh.Group
	hidden map[*huh.Group]func() bool
}

// hideWhen hides a group while hide says so, and remembers the rule: huh's
// accessible mode asks every group's fields, so the accessible run skips
// hidden groups itself.
func (f *formScreen) hideWhen(g *huh.Group, hide func() bool) *huh.Group {
	if f.hidden == nil {
		f.hidden = map[*huh.Group]func() bool{}
	}
	f.hidden[g] = hide
	return g.WithHideFunc(hide)
}

// build makes a new form whose submission arrives as formDoneMsg.
func (f *formScreen) build(groups ...*huh.Group) tea.Cmd {
	f.groups = groups
	f.form = huh.NewForm(groups...).
		WithTheme(f.sh.theme).
		WithKeyMap(f.sh.formKeys).
		WithShowHelp(false).
		WithWidth(f.sh.width).
		WithHeight(f.sh.height - 3)
	f.form.SubmitCmd = formDone
	f.first = f.form.GetFocusedField()
	return f.form.Init()
}

// update passes a message to the form (huh returns its own model type).
func (f *formScreen) update(msg tea.Msg) tea.Cmd {
	if f.form == nil {
		return nil
	}
	m, cmd := f.form.Update(msg)
	if form, ok := m.(*huh.Form); ok {
		f.form = form
	}
	return cmd
}

// formOrResult routes a message to the form, or, while the step's result is
// on screen instead, waits for enter to move on.
func (f *formScreen) formOrResult(showResult bool, msg tea.Msg) tea.Cmd {
	if !showResult {
		return f.update(msg)
	}
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "enter" {
		return f.sh.advance()
	}
	return nil
}

func (f *formScreen) view() string {
	if f.form == nil {
		return ""
	}
	if f.form.State != huh.StateNormal {
		return f.last // until the submission is handled, keep the form on screen
	}
	f.last = f.form.View()
	return f.last
}

func (f *formScreen) resize(width, height int) {
	if f.form != nil {
		f.form.WithWidth(width).WithHeight(height - 3)
		// A group redraws its cached view only when updated.
		f.update(tea.WindowSizeMsg{Width: width, Height: height - 3})
	}
}

func (f *formScreen) atStart() bool {
	return f.form == nil || f.form.State != huh.StateNormal || f.form.GetFocusedField() == f.first
}

func (f *formScreen) typing() bool {
	if f.form == nil || f.form.State != huh.StateNormal {
		return false
	}
	_, ok := f.form.GetFocusedField().(*huh.Input)
	return ok
}

// keep adapts a field check to huh's accessible mode, which validates what
// was typed before it falls back to the field's value: there an empty
// answer keeps the value shown, so that value is what gets checked.
func (sh *shared) keep(value *string, rule func(string) error) func(string) error {
	return func(s string) error {
		if sh.sync && s == "" {
			s = *value
		}
		return rule(s)
	}
}

// Field checks for huh's Validate, with messages that say what is expected.

func required(what string) func(string) error {
	return func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New(what + " is required")
		}
		return nil
	}
}

// check requires a value and applies a validate rule to it.
func check(what string, rule func(string) error) func(string) error {
	return func(s string) error {
		s = strings.TrimSpace(s)
		if s == "" {
			return errors.New(what + " is required")
		}
		if err := rule(s); err != nil {
			return errors.New(what + " " + err.Error())
		}
		return nil
	}
}

// optional applies a rule only when something was typed.
func optional(what string, rule func(string) error) func(string) error {
	return func(s string) error {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		return check(what, rule)(s)
	}
}

// list applies a rule to each comma-separated entry.
func list(what string, rule func(string) error, needOne bool) func(string) error {
	return func(s string) error {
		entries := splitList(s)
		if len(entries) == 0 && needOne {
			return errors.New(what + ": enter at least one")
		}
		for _, e := range entries {
			if err := rule(e); err != nil {
				return errors.New(what + ": " + strconv.Quote(e) + " " + err.Error())
			}
		}
		return nil
	}
}

func splitList(s string) []string {
	var out []string
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func minLength(n int) func(string) error {
	return func(s string) error {
		if len([]rune(s)) < n {
			return errors.New("must be at least " + strconv.Itoa(n) + " characters")
		}
		return nil
	}
}

// integer accepts a whole number in [lo, hi].
func integer(lo, hi int) func(string) error {
	return func(s string) error {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < lo || n > hi {
			return errors.New("must be a whole number from " + strconv.Itoa(lo) + " to " + strconv.Itoa(hi))
		}
		return nil
	}
}

var (
	isURL    = validate.URL
	isE164   = validate.E164
	isEmail  = validate.Email
	isIP     = validate.IP
	isPort   = validate.Port
	isArea   = validate.AreaCode
	isZip    = validate.ZipCode
	isICCID  = validate.ICCID
	isWSS    = validate.WebSocketURL
	isMethod = func(s string) error { return nil }
)

func options(values ...string) []huh.Option[string] { return huh.NewOptions(values...) }
