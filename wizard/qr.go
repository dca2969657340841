package wizard

import (
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// renderQR draws text as a QR code with half-block characters: two modules a
// row of text, so an eSIM code fits beside its details at 80×24. The quiet
// zone is one module (the library's is four, too tall for a terminal);
// phone scanners read that in practice. On a dark background the light
// modules are drawn, so the code is dark-on-light either way.
func renderQR(text string, darkBackground bool) (string, error) {
	q, err := qrcode.New(text, qrcode.Low)
	if err != nil {
		return "", err
	}
	q.DisableBorder = true
	bits := q.Bitmap()
	n := len(bits) + 2 // one quiet module each side
	dark := func(y, x int) bool {
		y, x = y-1, x-1
		if y < 0 || x < 0 || y >= len(bits) || x >= len(bits) {
			return false
		}
		return bits[y][x]
	}
	// ink reports whether a cell is drawn: the dark modules on a light
	// terminal, the light ones (quiet zone included) on a dark terminal.
	ink := func(y, x int) bool { return dark(y, x) != darkBackground }
	var b strings.Builder
	for y := 0; y < n; y += 2 {
		for x := range n {
			top, bottom := ink(y, x), y+1 < n && ink(y+1, x)
			switch {
			case top && bottom:
				b.WriteRune('█')
			case top:
				b.WriteRune('▀')
			case bottom:
				b.WriteRune('▄')
			default:
				b.WriteRune(' ')
			}
		}
		b.WriteByte('\n')
	}
	return strings.TrimRight(b.String(), "\n"), nil
}
