// Package styles holds every colour and border the program draws with, in
// one place, for light and dark terminals. Colours are downsampled by Bubble
// Tea to what the terminal supports, which also honours NO_COLOR.
package styles

import (
	"image/color"

	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
)

// Styles groups the styles by the part of the screen they draw.
type Styles struct {
	IsDark bool

	// Frame
	Banner        lipgloss.Style // LIVE: host and account
	SandboxBanner lipgloss.Style // SANDBOX
	Title         lipgloss.Style // a screen's heading
	Text          lipgloss.Style
	Muted         lipgloss.Style
	Key           lipgloss.Style // a label before a value
	Value         lipgloss.Style // an ID or a value worth copying
	Success       lipgloss.Style
	Warning       lipgloss.Style
	Error         lipgloss.Style

	// Stepper
	StepDone    lipgloss.Style
	StepCurrent lipgloss.Style
	StepPending lipgloss.Style
	StepSkipped lipgloss.Style
	StepFailed  lipgloss.Style
	StepID      lipgloss.Style
	Stepper     lipgloss.Style // the stepper's column

	// Panels
	ErrorPanel lipgloss.Style
	Inspector  lipgloss.Style
	Box        lipgloss.Style // a framed result (a QR code, a confirmation)
	Choice     lipgloss.Style // an unselected choice in a panel
	Chosen     lipgloss.Style // the selected one

	// Table
	TableHeader   lipgloss.Style
	TableCell     lipgloss.Style
	TableSelected lipgloss.Style

	// Help line
	HelpKey  lipgloss.Style
	HelpDesc lipgloss.Style
	HelpSep  lipgloss.Style

	Spinner lipgloss.Style

	palette palette
}

type palette struct {
	accent, accentSoft, text, muted, subtle, green, amber, red, onAccent color.Color
}

// New builds the styles for a dark or light background.
func New(isDark bool) Styles {
	ld := lipgloss.LightDark(isDark)
	p := palette{
		accent:     ld(lipgloss.Color("#5A56E0"), lipgloss.Color("#7571F9")),
		accentSoft: ld(lipgloss.Color("#8E8BEA"), lipgloss.Color("#A5A2FB")),
		text:       ld(lipgloss.Color("#1F1F24"), lipgloss.Color("#E8E8EE")),
		muted:      ld(lipgloss.Color("#6B6B78"), lipgloss.Color("#8E8E9C")),
		subtle:     ld(lipgloss.Color("#C9C9D4"), lipgloss.Color("#3C3C48")),
		green:      ld(lipgloss.Color("#008A5E"), lipgloss.Color("#02BF87")),
		amber:      ld(lipgloss.Color("#A15C00"), lipgloss.Color("#F5B041")),
		red:        ld(lipgloss.Color("#C4163E"), lipgloss.Color("#ED567A")),
		onAccent:   lipgloss.Color("#FFFDF5"),
	}
	base := lipgloss.NewStyle().Foreground(p.text)
	s := Styles{IsDark: isDark, palette: p}

	s.Banner = lipgloss.NewStyle().Bold(true).Foreground(p.onAccent).Background(p.red).Padding(0, 1)
	s.SandboxBanner = s.Banner.Background(p.green)
	s.Title = lipgloss.NewStyle().Bold(true).Foreground(p.accent)
	s.Text = base
	s.Muted = lipgloss.NewStyle().Foreground(p.muted)
	s.Key = s.Muted
	s.Value = lipgloss.NewStyle().Bold(true).Foreground(p.text)
	s.Success = lipgloss.NewStyle().Foreground(p.green)
	s.Warning = lipgloss.NewStyle().Foreground(p.amber)
	s.Error = lipgloss.NewStyle().Foreground(p.red)

	s.StepDone = s.Success
	s.StepCurrent = lipgloss.NewStyle().Bold(true).Foreground(p.accent)
	s.StepPending = s.Muted
	s.StepSkipped = s.Muted.Italic(true)
	s.StepFailed = s.Error
	s.StepID = lipgloss.NewStyle().Foreground(p.accentSoft)
	s.Stepper = lipgloss.NewStyle().Border(lipgloss.NormalBorder(), false, true, false, false).
		BorderForeground(p.subtle).PaddingRight(1).MarginRight(1)

	s.ErrorPanel = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(p.red).Padding(0, 1)
	s.Inspector = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(p.accentSoft).Padding(0, 1)
	s.Box = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(p.subtle).Padding(0, 1)
	s.Choice = lipgloss.NewStyle().Foreground(p.text).Padding(0, 1)
	// Brackets in place of the padding: the chosen one stays visible
	// without colour (NO_COLOR, a monochrome terminal) and nothing moves.
	s.Chosen = bracketed(lipgloss.NewStyle().Foreground(p.onAccent).Background(p.accent))

	s.TableHeader = lipgloss.NewStyle().Bold(true).Foreground(p.accent).Padding(0, 1).
		Border(lipgloss.NormalBorder(), false, false, true, false).BorderForeground(p.subtle)
	s.TableCell = lipgloss.NewStyle().Padding(0, 1)
	s.TableSelected = lipgloss.NewStyle().Bold(true).Foreground(p.onAccent).Background(p.accent)

	s.HelpKey = lipgloss.NewStyle().Foreground(p.muted).Bold(true)
	s.HelpDesc = lipgloss.NewStyle().Foreground(p.muted)
	s.HelpSep = lipgloss.NewStyle().Foreground(p.subtle)

	s.Spinner = lipgloss.NewStyle().Foreground(p.accent)
	return s
}

// FormStyles are the huh styles matching these styles, for this
// background. The wizard builds them once per background it meets and hands
// huh a theme that returns them (huh asks its theme on every field it
// draws, and its own idea of the background reaches only the group in
// focus, so the wizard, which knows the background, decides).
func (s Styles) FormStyles() *huh.Styles { return s.formStyles(s.IsDark) }

func (s Styles) formStyles(isDark bool) *huh.Styles {
	p := s.palette
	t := huh.ThemeCharm(isDark)
	t.Focused.Title = t.Focused.Title.Foreground(p.accent)
	t.Focused.ErrorIndicator = t.Focused.ErrorIndicator.Foreground(p.red)
	t.Focused.ErrorMessage = t.Focused.ErrorMessage.Foreground(p.red)
	t.Focused.Description = t.Focused.Description.Foreground(p.muted)
	t.Blurred.Title = t.Blurred.Title.Foreground(p.muted)
	t.Blurred.Description = t.Blurred.Description.Foreground(p.muted)
	t.Group.Title = t.Focused.Title
	// A yes/no field's chosen button is marked in text as well as in
	// colour, as the panels' choices are: "[Yes]  No" reads without
	// colour. The padding gives way to the brackets, so nothing moves.
	for _, fs := range []*huh.FieldStyles{&t.Focused, &t.Blurred} {
		fs.FocusedButton = bracketed(fs.FocusedButton.PaddingLeft(1).PaddingRight(1))
	}
	return t
}

// bracketed draws a style's text as "[text]": the mark of the chosen
// choice that survives the loss of colour.
func bracketed(s lipgloss.Style) lipgloss.Style {
	return s.Transform(func(text string) string { return "[" + text + "]" })
}
