package accessible

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/term"

	"github.com/telegent/telegent-onboard/wizard/flow"
)

// prompter asks one thing at a time. A line is read in a goroutine so that
// ctrl+c (a cancelled context) ends a prompt at once; a secret is read with
// echo off when the input is a terminal, and the terminal's state is put
// back however the prompt ends.
type prompter struct {
	in  *bufio.Reader
	fd  uintptr
	tty bool
	out io.Writer
}

func newPrompter(in io.Reader, out io.Writer) *prompter {
	p := &prompter{in: bufio.NewReader(in), out: out}
	if f, ok := in.(*os.File); ok && term.IsTerminal(f.Fd()) {
		p.fd, p.tty = f.Fd(), true
	}
	return p
}

type lineResult struct {
	line string
	err  error
}

// line reads one line; io.EOF (ctrl+d) and a cancelled context are both
// ErrInterrupted.
func (p *prompter) line(ctx context.Context) (string, error) {
	ch := make(chan lineResult, 1)
	go func() {
		s, err := p.in.ReadString('\n')
		ch <- lineResult{s, err}
	}()
	select {
	case <-ctx.Done():
		fmt.Fprintln(p.out)
		return "", ErrInterrupted
	case r := <-ch:
		if r.err != nil && r.line == "" {
			fmt.Fprintln(p.out)
			return "", ErrInterrupted
		}
		return strings.TrimRight(r.line, "\r\n"), nil
	}
}

// secret reads a line with echo off on a terminal (the input stays hidden
// and nothing is printed back), a plain line otherwise.
func (p *prompter) secret(ctx context.Context) (string, error) {
	if !p.tty {
		return p.line(ctx)
	}
	state, err := term.GetState(p.fd)
	if err != nil {
		return p.line(ctx)
	}
	ch := make(chan lineResult, 1)
	go func() {
		b, err := term.ReadPassword(p.fd)
		ch <- lineResult{string(b), err}
	}()
	select {
	case <-ctx.Done():
		_ = term.Restore(p.fd, state)
		fmt.Fprintln(p.out)
		return "", ErrInterrupted
	case r := <-ch:
		fmt.Fprintln(p.out) // echo was off: the newline was not shown either
		if r.err != nil {
			return "", ErrInterrupted
		}
		return r.line, nil
	}
}

// field asks one field and stores the answer in v; a value that breaks
// its rule is refused at the prompt with the rule's words, and asked again.
func (p *prompter) field(ctx context.Context, step flow.Step, f flow.Field, v flow.Values) error {
	switch f.Kind {
	case flow.NoteField:
		fmt.Fprintf(p.out, "%s: %s\n", f.Label(), strings.ReplaceAll(f.Description, "\n", "; "))
		return nil
	case flow.ChoiceField:
		labels := make([]string, len(f.Options))
		cur := 0
		for i, o := range f.Options {
			labels[i] = o.Label
			if o.Value == v[f.Name] {
				cur = i
			}
		}
		title := f.Label()
		if f.Description != "" {
			title += ". " + strings.TrimSuffix(f.Description, ".")
		}
		i, err := p.choose(ctx, title, labels, cur)
		if err != nil {
			return err
		}
		v[f.Name] = f.Options[i].Value
		return nil
	case flow.ToggleField:
		return p.toggle(ctx, f, v)
	}
	for {
		prompt := f.Label()
		if f.Description != "" {
			prompt += ". " + strings.TrimSuffix(f.Description, ".")
		}
		cur := v[f.Name]
		switch {
		case f.Kind == flow.SecretField && cur != "":
			prompt += ". Enter keeps the one given"
		case f.Kind == flow.SecretField:
		case cur != "":
			prompt += ". Enter keeps " + cur
		default:
			prompt += ". Enter leaves it blank"
		}
		fmt.Fprint(p.out, prompt+": ")
		var got string
		var err error
		if f.Kind == flow.SecretField {
			got, err = p.secret(ctx)
		} else {
			got, err = p.line(ctx)
		}
		if err != nil {
			return err
		}
		if got == "" {
			got = cur
		}
		if err := flow.CheckField(step, f.Name, got); err != nil {
			fmt.Fprintf(p.out, "✗ %v. Try again.\n", err)
			continue
		}
		v[f.Name] = got
		return nil
	}
}

func (p *prompter) toggle(ctx context.Context, f flow.Field, v flow.Values) error {
	for {
		prompt := f.Label()
		if f.Description != "" {
			prompt += ". " + strings.TrimSuffix(f.Description, ".")
		}
		cur := "no"
		if v.Bool(f.Name) {
			cur = "yes"
		}
		fmt.Fprintf(p.out, "%s. Yes or no; Enter keeps %s: ", prompt, cur)
		got, err := p.line(ctx)
		if err != nil {
			return err
		}
		switch strings.ToLower(strings.TrimSpace(got)) {
		case "":
			return nil
		case "y", "yes", "true":
			v.SetBool(f.Name, true)
			return nil
		case "n", "no", "false":
			v.SetBool(f.Name, false)
			return nil
		}
		fmt.Fprintln(p.out, "✗ Answer yes or no. Try again.")
	}
}

// choose lists numbered choices and takes a number (or the label itself).
func (p *prompter) choose(ctx context.Context, title string, labels []string, cur int) (int, error) {
	cur = min(max(cur, 0), len(labels)-1)
	fmt.Fprintln(p.out, title)
	for i, l := range labels {
		fmt.Fprintf(p.out, "  %d. %s\n", i+1, l)
	}
	for {
		fmt.Fprintf(p.out, "Enter a number between 1 and %d; Enter keeps %d (%s): ", len(labels), cur+1, labels[cur])
		got, err := p.line(ctx)
		if err != nil {
			return 0, err
		}
		got = strings.TrimSpace(got)
		if got == "" {
			return cur, nil
		}
		if n, err := strconv.Atoi(got); err == nil && n >= 1 && n <= len(labels) {
			return n - 1, nil
		}
		for i, l := range labels {
			if strings.EqualFold(l, got) {
				return i, nil
			}
		}
		fmt.Fprintf(p.out, "✗ %q is not one of the choices. Try again.\n", got)
	}
}
