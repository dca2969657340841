package wizard

import (
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/telegent/telegent-onboard/wizard/flow"
)

// formScreen is the part every form-based screen shares: a huh form built
// on entry from the step's form in flow (the same fields, in the same
// order, that the accessible prompts ask), with every value checked by the
// shared field rules.
type formScreen struct {
	sh     *shared
	step   flow.Step
	form   *huh.Form
	first  huh.Field
	last   string // the form as last drawn: a completed huh form draws nothing
	groups []flow.Group
	strs   map[string]*string
	bools  map[string]*bool
	// problem is what the engine refused on the last submission, shown
	// above the form until the next one.
	problem string
}

// values are the form's answers as the engine takes them.
func (f *formScreen) values() flow.Values {
	v := make(flow.Values, len(f.strs)+len(f.bools))
	for k, p := range f.strs {
		v[k] = *p
	}
	for k, p := range f.bools {
		v.SetBool(k, *p)
	}
	return v
}

// build makes a new huh form of groups, filled from v; its submission
// arrives as formDoneMsg.
func (f *formScreen) build(step flow.Step, groups []flow.Group, v flow.Values) tea.Cmd {
	f.step, f.groups = step, groups
	f.strs, f.bools = map[string]*string{}, map[string]*bool{}
	hg := make([]*huh.Group, 0, len(groups))
	for _, g := range groups {
		fields := make([]huh.Field, 0, len(g.Fields))
		for _, fd := range g.Fields {
			fields = append(fields, f.prepared(f.field(step, fd, v)))
		}
		group := huh.NewGroup(fields...).Title(g.Title)
		if g.Description != "" {
			group = group.Description(g.Description)
		}
		if hide := g.Hide; hide != nil {
			group = group.WithHideFunc(func() bool { return hide(f.values()) })
		}
		hg = append(hg, group)
	}
	f.form = huh.NewForm(hg...).
		WithTheme(f.sh.theme).
		WithKeyMap(f.sh.formKeys).
		WithShowHelp(false).
		WithWidth(f.sh.width).
		WithHeight(f.sh.height - 3)
	f.form.SubmitCmd = formDone
	f.first = f.form.GetFocusedField()
	return f.form.Init()
}

// prepared gives a field the theme, keys and width before huh's group
// measures it. huh draws every field of a group when the group is made
// (to learn its height), and a field without a theme draws with a
// freshly built default theme each time; themed first, building a screen
// costs a fraction of that.
func (f *formScreen) prepared(fd huh.Field) huh.Field {
	fd.WithTheme(f.sh.theme)
	fd.WithKeyMap(f.sh.formKeys)
	fd.WithWidth(f.sh.width)
	return fd
}

// field is one flow field as a huh field, bound to the form's values.
func (f *formScreen) field(step flow.Step, fd flow.Field, v flow.Values) huh.Field {
	name := fd.Name
	switch fd.Kind {
	case flow.NoteField:
		return huh.NewNote().Title(fd.Label()).Description(fd.Description)
	case flow.ToggleField:
		b := v.Bool(name)
		if p, ok := f.bools[name]; ok {
			b = *p
		}
		f.bools[name] = &b
		c := huh.NewConfirm().Key(name).Title(fd.Label()).Value(f.bools[name])
		if fd.Description != "" {
			c = c.Description(fd.Description)
		}
		return c
	}
	p, ok := f.strs[name]
	if !ok {
		s := v[name]
		p = &s
		f.strs[name] = p // a field asked in two groups (one per auth type) shares its value
	}
	if fd.Kind == flow.ChoiceField {
		opts := make([]huh.Option[string], len(fd.Options))
		for i, o := range fd.Options {
			opts[i] = huh.NewOption(o.Label, o.Value)
		}
		sel := huh.NewSelect[string]()
		f.prepared(sel) // before Options: a select measures its options as they are set
		sel = sel.Key(name).Title(fd.Label()).Options(opts...).Value(p)
		if fd.Description != "" {
			sel = sel.Description(fd.Description)
		}
		return sel
	}
	in := huh.NewInput().Key(name).Title(fd.Label()).Value(p).
		Validate(func(s string) error { return flow.CheckField(step, name, s) })
	if fd.Description != "" {
		in = in.Description(fd.Description)
	}
	if lim := flow.RuleOf(step, name).Max; lim > 0 {
		in = in.CharLimit(lim)
	}
	switch {
	case fd.Kind == flow.SecretField:
		in = in.EchoMode(huh.EchoModePassword)
	case fd.Sensitive && f.sh.opts.Presenter:
		in = in.EchoMode(huh.EchoModePassword)
	}
	return in
}

// focus moves the form to the named field (an error named it), so Edit
// lands where the fix is typed. Groups and fields are stepped through as
// huh does on tab, synchronously.
func (f *formScreen) focus(name string) tea.Cmd {
	if f.form == nil || name == "" {
		return nil
	}
	target := -1
	for i, g := range f.groups {
		for _, fd := range g.Fields {
			if fd.Name == name {
				target = i
			}
		}
		if target >= 0 {
			break
		}
	}
	if target < 0 {
		return nil
	}
	var cmds []tea.Cmd
	for i := 0; i < target; i++ {
		cmds = append(cmds, f.form.NextGroup())
	}
	for i := 0; i < 16; i++ {
		if fld := f.form.GetFocusedField(); fld == nil || fld.GetKey() == name {
			break
		}
		cmds = append(cmds, f.form.NextField())
	}
	return tea.Batch(cmds...)
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

func (f *formScreen) view() string {
	if f.form == nil {
		return ""
	}
	if f.form.State != huh.StateNormal {
		return f.last // until the submission is handled, keep the form on screen
	}
	f.last = f.form.View()
	if f.problem != "" {
		f.last = f.sh.para(f.sh.styles.Error, "✗ "+f.problem) + "\n" + f.last
	}
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

// submitted reports a completed form: its values go to the engine.
func (f *formScreen) submitted(msg tea.Msg) bool {
	_, ok := msg.(formDoneMsg)
	return ok && f.form != nil
}

// refused shows what the engine refused and puts the focus on the field.
func (f *formScreen) refused(n flow.Next, rebuild func() tea.Cmd) tea.Cmd {
	cmd := rebuild()
	if n.Err != nil {
		f.problem = n.Err.Err.Error()
		return tea.Batch(cmd, f.focus(n.Err.Field))
	}
	return cmd
}
