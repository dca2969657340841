package wizard

import (
	"slices"

	"strings"

	"charm.land/huh/v2"

	"github.com/telegent/telegent-onboard/api"

	"github.com/telegent/telegent-onboard/wizard/flow"
)

// Presenter mode hides what a shared screen must not show: the AccountKey,
// the AccountId, subscriber emails and phone numbers. Every known value is
// replaced in the finished frame, so no screen, panel, error message or the
// inspector can leak one; the fields that take them echo masks while typed.
// Files and exports are not masked: they are not on the screen.

// presenterEcho is the echo mode of a field that takes a masked value.
func (sh *shared) presenterEcho() huh.EchoMode {
	if sh.opts.Presenter {
		return huh.EchoModePassword
	}
	return huh.EchoModeNormal
}

// sensitive lists the values to hide, longest first so that a number is not
// half-masked by a shorter one inside it.
func (sh *shared) sensitive(typed ...string) []string {
	s := sh.session
	vals := []string{sh.opts.Credentials.AccountKey, sh.opts.AccountID, s.AccountID, s.IDs.PhoneNumber}
	if sub := s.Inputs.Subscriber; sub != nil {
		vals = append(vals, sub.Email)
	}
	if msg := s.Inputs.Message; msg != nil {
		vals = append(vals, msg.From)
		for _, r := range msg.To {
			vals = append(vals, r.Number)
		}
	}
	for _, r := range s.IDs.Recipients {
		vals = append(vals, r.Number)
	}
	if sh.opts.Presenter && !sh.revealESIM {
		// The activation string activates the line: hidden until shown
		// with v, wherever it appears (the result, the inspector's JSON).
		if code := api.ActivationCode(s.IDs.QRCode); code != "" {
			vals = append(vals, s.IDs.QRCode, code)
		}
	}
	vals = append(vals, typed...)
	out := vals[:0]
	for _, v := range vals {
		if len(v) >= 4 && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// mask keeps a value's shape (and width, so the layout does not move) and
// little else: the first characters of an ID, the country and area code of
// a number, the first letter of an email.
func mask(v string) string {
	r := []rune(v)
	keep := 0
	switch {
	case strings.HasPrefix(strings.ToUpper(v), "LPA:"):
		keep = strings.Index(v, "$") + 1 // LPA:1$
	case strings.Contains(v, "://"):
		keep = strings.Index(v, "?") + 1 // a QR code URL: the host and path
	case strings.HasPrefix(v, "+"):
		keep = min(5, len(r)) // +1 and the area code
	case strings.Contains(v, "@"):
		keep = 1
	case strings.Contains(v, "-"):
		keep = strings.Index(v, "-") + 1 // the ID's prefix, e.g. AID-
	}
	for i := keep; i < len(r); i++ {
		if r[i] != '@' && r[i] != '.' {
			r[i] = '•'
		}
	}
	return string(r)
}

// presenterCache is the replacer for the values on screen now.
type presenterCache struct {
	key      string
	replacer *strings.Replacer
}

// typedSensitive are the sensitive values typed in the forms but maybe not
// sent yet: they are on screen too (in a field, a question, an error).
func (m *Model) typedSensitive() []string {
	var out []string
	for _, scr := range m.screens {
		type former interface{ formOf() *formScreen }
		fs, ok := scr.(former)
		if !ok {
			continue
		}
		f := fs.formOf()
		if f == nil {
			continue
		}
		for _, g := range f.groups {
			for _, fd := range g.Fields {
				if p := f.strs[fd.Name]; fd.Sensitive && p != nil {
					out = append(out, flow.SplitList(*p)...)
				}
			}
		}
	}
	return out
}

// presenterReplacer is rebuilt only when the set of values changes.
func (m *Model) presenterReplacer() *strings.Replacer {
	vals := m.sh.sensitive(m.typedSensitive()...)
	key := strings.Join(vals, "\x00")
	if m.presenter.replacer == nil || m.presenter.key != key {
		pairs := make([]string, 0, 2*len(vals))
		for _, v := range vals {
			pairs = append(pairs, v, mask(v))
		}
		m.presenter.key, m.presenter.replacer = key, strings.NewReplacer(pairs...)
	}
	return m.presenter.replacer
}

// maskText hides the sensitive values in text in presenter mode, before
// the text is laid out; the identity otherwise.
func (m *Model) maskText(text string) string {
	if !m.sh.opts.Presenter {
		return text
	}
	return m.presenterReplacer().Replace(text)
}

// Summary is the text printed when the wizard closes: masked in presenter
// mode, since it lands on the shared screen.
func (m *Model) Summary() string {
	text := flow.PlainSummary(m.sh.session)
	if m.sh.opts.Presenter {
		text = m.presenterReplacer().Replace(text)
	}
	return text
}
