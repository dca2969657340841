package wizard

import (
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Text a person may copy (an ID, a phone number, an email, a URL, a file
// path, the eSIM activation string) is never broken inside a token and
// never shortened without a mark. Prose wraps at spaces only; a token too
// long for the line gets a line of its own; one too long for any line is
// broken only after its separators ("/" in a path or URL, "$" in an
// activation string), and an ID, which has none that may be broken, is cut
// with "…" where the line ends.

// wrapWords wraps plain text (no escape sequences) to width columns at
// spaces only; paragraphs ("\n") are kept.
func wrapWords(text string, width int) []string {
	width = max(width, 1)
	var out []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			switch {
			case line == "":
				line = word
			case ansi.StringWidth(line)+1+ansi.StringWidth(word) <= width:
				line += " " + word
				continue
			default:
				out = append(out, line)
				line = word
			}
			if ansi.StringWidth(line) > width {
				pieces := splitToken(line, width)
				out = append(out, pieces[:len(pieces)-1]...)
				line = pieces[len(pieces)-1]
			}
		}
		out = append(out, line)
	}
	return out
}

// splitToken breaks a token wider than width after its separators, or
// cuts it with "…" when it has none.
func splitToken(tok string, width int) []string {
	sep := ""
	switch {
	case strings.Contains(tok, "$"):
		sep = "$" // LPA:1$SMDP.…$MATCHING-ID
	case strings.Contains(tok, "/"):
		sep = "/" // a path or a URL
	}
	if sep == "" {
		return []string{truncate(tok, width)}
	}
	parts := strings.SplitAfter(tok, sep)
	var out []string
	line := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if line != "" && ansi.StringWidth(line)+ansi.StringWidth(p) > width {
			out = append(out, line)
			line = ""
		}
		line += p
		if ansi.StringWidth(line) > width {
			out = append(out, truncate(line, width))
			line = ""
		}
	}
	if line != "" || len(out) == 0 {
		out = append(out, line)
	}
	return out
}

// wrapStyled wraps text as wrapWords does and styles each line, so the
// style's escape sequences never count toward the width.
func wrapStyled(style lipgloss.Style, text string, width int) string {
	lines := wrapWords(text, width)
	for i, l := range lines {
		lines[i] = style.Render(l)
	}
	return strings.Join(lines, "\n")
}

// keyValue is a label and a value on one line when both fit, else the
// label above the value; the value is never broken inside a token.
func keyValue(key, value lipgloss.Style, k, v string, keyWidth, width int) string {
	if keyWidth+ansi.StringWidth(v) <= width {
		return key.Render(k+strings.Repeat(" ", max(keyWidth-ansi.StringWidth(k), 1))) + value.Render(v)
	}
	return key.Render(k) + "\n" + wrapStyled(value, v, width)
}

// count is n and a noun, singular or plural: "1 number", "20 numbers".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
