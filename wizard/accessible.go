package wizard

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/telegent/telegent-onboard/wizard/flow"
)

// RunAccessible walks the same steps as the full-screen wizard with plain
// prompts instead (huh's accessible mode): no animation, no redrawing, one
// question per line, readable by screen readers. It drives the same model:
// each step's own form asks its fields (hidden groups skipped), and
// requests, saves and order checks run in place instead of in commands.
func RunAccessible(ctx context.Context, opts Options, in io.Reader, out io.Writer) (*Model, error) {
	m := New(opts)
	sh := m.sh
	sh.sync, sh.ctx = true, ctx
	sh.dispatch = func(msg tea.Msg) { m.Update(msg) }
	sh.say = func(s string) { fmt.Fprintln(out, s) }
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
	// One line per read: huh starts a new scanner for every prompt, which
	// would swallow lines buffered by the one before.
	in = &lineReader{r: bufio.NewReader(in)}

	if opts.Sandbox {
		m.Update(startReceiver())
	}
	if opts.Sandbox && opts.StartSandbox != nil {
		u, err := opts.StartSandbox()
		m.Update(sandboxReadyMsg{baseURL: u, err: err})
		if err == nil {
			fmt.Fprintf(out, "SANDBOX at %s: demo data, nothing is bought.\n", u)
		}
	} else {
		fmt.Fprintf(out, "LIVE: %s\n", sh.baseURL)
	}
	m.enter(m.current)
	for !m.quitting && ctx.Err() == nil {
		if err := m.accessibleTurn(ctx, in, out); err != nil {
			return m, err
		}
	}
	return m, ctx.Err()
}

// accessibleTurn asks the one thing the wizard is waiting for.
func (m *Model) accessibleTurn(ctx context.Context, in io.Reader, out io.Writer) error {
	sh := m.sh
	switch {
	case m.failure != nil:
		f := m.failure
		fmt.Fprintln(out, plainText(f.view(sh)))
		labels := make([]string, len(f.choices))
		for i, c := range f.choices {
			labels[i] = choiceLabels[c]
		}
		i, err := ask(ctx, in, out, "What next?", labels, f.cursor)
		if err != nil {
			return err
		}
		f.cursor = i
		m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	case sh.question != nil:
		q := sh.question
		fmt.Fprintln(out, q.title)
		fmt.Fprintln(out, q.text)
		labels := make([]string, len(q.answers))
		for i, a := range q.answers {
			labels[i] = a.label
		}
		i, err := ask(ctx, in, out, "Your choice:", labels, q.cursor)
		if err != nil {
			return err
		}
		sh.question = nil
		if cmd := q.answers[i].cmd; cmd != nil {
			if _, quit := cmd().(tea.QuitMsg); quit {
				m.quitting = true
				return nil
			}
			m.Update(cmd())
		}
	case m.current == summaryStep:
		fmt.Fprintln(out, "All seven steps are done; the summary follows.")
		m.quitting = true
	default:
		return m.accessibleScreen(ctx, in, out)
	}
	return nil
}

func (m *Model) accessibleScreen(ctx context.Context, in io.Reader, out io.Writer) error {
	sh := m.sh
	scr := m.screens[m.current]
	if a, ok := scr.(*availabilityScreen); ok && a.showTable {
		fmt.Fprintln(out, plainText(scr.View()))
		if len(a.allRows) == 0 {
			m.Update(tea.KeyPressMsg{Code: 's', Text: "s"})
			return nil
		}
		labels := []string{"Search again"}
		for _, r := range a.allRows {
			labels = append(labels, fmt.Sprintf("area code %s, zip %s (%s)", r[1], r[2], r[0]))
		}
		i, err := ask(ctx, in, out, "Where should the number come from?", labels, 1)
		if err != nil {
			return err
		}
		if i == 0 {
			m.Update(tea.KeyPressMsg{Code: 's', Text: "s"})
			return nil
		}
		sh.session.PickArea(sh.session.Areas[i-1], sh.now())
		sh.save(true)
		m.Update(nil) // let the root move on
		return nil
	}
	f := formOf(scr)
	if f == nil || f.form == nil || f.form.State != huh.StateNormal {
		// A result screen (the number, the message sent): read it out, go on.
		fmt.Fprintln(out, plainText(scr.View()))
		if _, err := ask(ctx, in, out, "Continue?", []string{"Continue"}, 0); err != nil {
			return err
		}
		m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
		return nil
	}
	fmt.Fprintf(out, "\n== Step %d of %d: %s (%s)\n", m.current+1, flow.NumSteps, m.current.Title(), m.current.Endpoint())
	for _, g := range f.groups {
		if hide := f.hidden[g]; hide != nil && hide() {
			continue
		}
		err := huh.NewForm(g).WithAccessible(true).WithInput(in).WithOutput(out).RunWithContext(ctx)
		if err != nil {
			return err
		}
	}
	f.form.State = huh.StateCompleted
	m.Update(formDoneMsg{})
	return nil
}

// formOf is a screen's form, if it has one.
func formOf(s screen) *formScreen {
	switch s := s.(type) {
	case *credentialsScreen:
		return &s.formScreen
	case *messageRouteScreen:
		return &s.formScreen
	case *voiceRouteScreen:
		return &s.formScreen
	case *availabilityScreen:
		if s.showTable {
			return nil
		}
		return &s.formScreen
	case *subscriberScreen:
		return &s.formScreen
	case *provisionScreen:
		if s.showResult {
			return nil
		}
		return &s.formScreen
	case *testMessageScreen:
		if s.showResult {
			return nil
		}
		return &s.formScreen
	}
	return nil
}

// ask offers numbered choices with huh's accessible select.
func ask(ctx context.Context, in io.Reader, out io.Writer, title string, labels []string, preselect int) (int, error) {
	choice := min(max(preselect, 0), len(labels)-1)
	opts := make([]huh.Option[int], len(labels))
	for i, l := range labels {
		opts[i] = huh.NewOption(l, i)
	}
	err := huh.NewForm(huh.NewGroup(huh.NewSelect[int]().Title(title).Options(opts...).Value(&choice))).
		WithAccessible(true).WithInput(in).WithOutput(out).RunWithContext(ctx)
	return choice, err
}

// plainText strips styles and the panels' borders for a line-by-line reader.
func plainText(s string) string {
	lines := strings.Split(ansi.Strip(s), "\n")
	out := lines[:0]
	for _, l := range lines {
		l = strings.Trim(l, " │╭╮╰╯─")
		if l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// lineReader hands out one line per Read.
type lineReader struct{ r *bufio.Reader }

func (l *lineReader) Read(p []byte) (int, error) {
	line, err := l.r.ReadSlice('\n')
	n := copy(p, line)
	if n < len(line) {
		return n, bufio.ErrBufferFull
	}
	if len(line) > 0 && err == io.EOF {
		err = nil
	}
	return n, err
}
