package main

// What build this is, for --version, `version`, the User-Agent and the
// debug trace's header. A bug report quoting it must identify the code, so
// it is never a bare "dev": the release stamps it, and any other build
// says what the Go toolchain recorded.

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// Stamped by the release build (.goreleaser.yaml):
//
//	-ldflags "-X main.version=1.2.0 -X main.commit=<sha> -X main.date=<RFC 3339>"
var version, commit, date string

// buildInfo is what is known about this binary.
type buildInfo struct {
	Version  string // "1.2.0", "v1.2.0", a pseudo-version, a revision, or "(devel)"
	Commit   string // the full revision, "-dirty" added when the tree was modified; "" if unknown
	Date     string // RFC 3339; "" if unknown
	DateKind string // "built" (the release's stamp) or "committed" (the VCS time)
	Go       string // the toolchain, e.g. go1.26.8
}

// currentBuild reads the stamps, or else the build information the Go
// toolchain embeds.
func currentBuild() buildInfo {
	info, _ := debug.ReadBuildInfo()
	return buildFrom(info, version, commit, date)
}

// buildFrom prefers the release's stamps; without them it takes the module
// version (set by `go install …@v1.2.0`, or a pseudo-version when `go build`
// saw a tagged repository), else the VCS revision, else says "(devel)". With
// -buildvcs=false or outside a repository there is no revision: the Go
// version is then the only clue, and it is always shown.
func buildFrom(info *debug.BuildInfo, stampVersion, stampCommit, stampDate string) buildInfo {
	b := buildInfo{Go: runtime.Version()}
	settings := map[string]string{}
	if info != nil {
		if info.GoVersion != "" {
			b.Go = info.GoVersion
		}
		for _, s := range info.Settings {
			settings[s.Key] = s.Value
		}
	}
	if stampVersion != "" {
		b.Version, b.Commit, b.Date = stampVersion, stampCommit, stampDate
		if b.Date != "" {
			b.DateKind = "built"
		}
		return b
	}
	if rev := settings["vcs.revision"]; rev != "" {
		b.Commit = rev
		if settings["vcs.modified"] == "true" {
			b.Commit += "-dirty"
		}
	}
	if t := settings["vcs.time"]; t != "" {
		b.Date, b.DateKind = t, "committed"
	}
	switch {
	case info != nil && info.Main.Version != "" && info.Main.Version != "(devel)":
		b.Version = info.Main.Version
	case b.Commit != "":
		b.Version = shortRevision(b.Commit)
	default:
		b.Version = "(devel)"
	}
	return b
}

// shortRevision is the first 12 characters of a revision, keeping -dirty.
func shortRevision(rev string) string {
	clean, dirty := strings.CutSuffix(rev, "-dirty")
	if len(clean) > 12 {
		clean = clean[:12]
	}
	if dirty {
		clean += "-dirty"
	}
	return clean
}

// String is the text of --version and `version`.
func (b buildInfo) String() string {
	var s strings.Builder
	fmt.Fprintf(&s, "telegent-onboard %s\n", b.Version)
	switch {
	case b.Commit != "":
		fmt.Fprintf(&s, "  commit   %s\n", b.Commit)
	case b.Version == "(devel)":
		s.WriteString("  commit   unknown: built without version control information (-buildvcs=false, or outside the repository)\n")
	default:
		s.WriteString("  commit   unknown\n")
	}
	if b.Date != "" {
		fmt.Fprintf(&s, "  %-8s %s\n", b.DateKind, b.Date)
	} else {
		s.WriteString("  built    unknown\n")
	}
	fmt.Fprintf(&s, "  go       %s %s/%s\n", b.Go, runtime.GOOS, runtime.GOARCH)
	return s.String()
}

// Token is the version as one word, for the User-Agent product token and
// the debug trace: "(devel)" has characters a token may not.
func (b buildInfo) Token() string {
	if b.Version == "(devel)" {
		return "devel"
	}
	return b.Version
}

func newVersionCmd(build func() buildInfo) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and build date",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprint(cmd.OutOrStdout(), build().String())
			return err
		},
	}
}
