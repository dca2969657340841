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
			case ansi.StringWidth(word) > width && separable(word):
				// It will be broken at its separators anyway: its first
				// piece may as well finish this line.
				pieces := splitToken(word, width-ansi.StringWidth(line)-1, width)
				if pieces[0] != "" {
					line += " " + pieces[0]
				}
				out = append(out, line)
				out = append(out, pieces[1:len(pieces)-1]...)
				line = pieces[len(pieces)-1]
				continue
			default:
				out = append(out, line)
				line = word
			}
			if ansi.StringWidth(line) > width {
				pieces := splitToken(line, width, width)
				out = append(out, pieces[:len(pieces)-1]...)
				line = pieces[len(pieces)-1]
			}
		}
		out = append(out, line)
	}
	return out
}

// separator is where a token may be broken: after each "$" of an
// activation string (LPA:1$SMDP.…$MATCHING-ID), after each "/" of a path
// or URL; "" for an ID, which may not be broken at all.
func separator(tok string) string {
	switch {
	case strings.Contains(tok, "$"):
		return "$"
	case strings.Contains(tok, "/"):
		return "/"
	}
	return ""
}

func separable(tok string) bool { return separator(tok) != "" }

// splitToken breaks a token after its separators, the first piece at most
// first wide (it may be "": nothing fits there) and the others width, or
// cuts it with "…" when it has none.
func splitToken(tok string, first, width int) []string {
	sep := separator(tok)
	if sep == "" {
		return []string{truncate(tok, width)}
	}
	var out []string
	line, room := "", first
	for _, p := range strings.SplitAfter(tok, sep) {
		if p == "" {
			continue
		}
		if ansi.StringWidth(line)+ansi.StringWidth(p) > room && (line != "" || room < width) {
			out = append(out, line)
			line, room = "", width
		}
		line += p
		if ansi.StringWidth(line) > room {
			out = append(out, truncate(line, room))
			line, room = "", width
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
