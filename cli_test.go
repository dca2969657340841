package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"sigs.k8s.io/yaml"

	"github.com/telegent/telegent-onboard/wizard/flow"
)

// runCLI runs the command line as main does (through fang) and returns
// stdout, stderr and the exit status main would use.
func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr syncBuffer
	root := newRootCmd(&stdout, &stderr)
	root.SetArgs(args)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := execute(ctx, root)
	return stdout.String(), stderr.String(), exitCode(err)
}

// A mistyped command exits 2 with a suggestion, at the top and under
// help; a word no command is close to still exits 2, naming where to look.
func TestUnknownCommandIsAUsageErrorWithASuggestion(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		suggest string
	}{
		{[]string{"sandbx"}, `did you mean "sandbox"?`},
		{[]string{"exprt", "--format", "json"}, `did you mean "export"?`},
		{[]string{"help", "envirnment"}, `did you mean "environment"?`},
		{[]string{"help", "exit-code"}, `did you mean "exit-codes"?`},
		{[]string{"listen", "now"}, ""},
		{[]string{"frobnicate"}, ""},
	} {
		stdout, stderr, code := runCLI(t, tc.args...)
		if code != exitUsage {
			t.Errorf("%q: exit %d, want %d\n%s", tc.args, code, exitUsage, stderr)
		}
		if !strings.HasPrefix(stderr, "Error: unknown command ") || !strings.Contains(stderr, "--help") {
			t.Errorf("%q: stderr %q", tc.args, stderr)
		}
		if !strings.Contains(stderr, tc.suggest) || (tc.suggest == "" && strings.Contains(stderr, "did you mean")) {
			t.Errorf("%q: stderr %q, want the suggestion %q", tc.args, stderr, tc.suggest)
		}
		if stdout != "" {
			t.Errorf("%q: printed on stdout: %q", tc.args, stdout)
		}
	}
	// Flag errors keep their status through fang too.
	if _, stderr, code := runCLI(t, "sandbox", "--latency", "soon"); code != exitUsage || !strings.Contains(stderr, "invalid argument") {
		t.Errorf("a bad flag value: exit %d, %s", code, stderr)
	}
}

// --version and `version` print the same text, with the version, commit
// and date lines, and never a bare "dev".
func TestVersionCommandAndFlag(t *testing.T) {
	flag, _, code := runCLI(t, "--version")
	if code != 0 {
		t.Fatalf("--version: exit %d", code)
	}
	sub, _, code := runCLI(t, "version")
	if code != 0 || sub != flag {
		t.Errorf("version (exit %d):\n%s\n--version:\n%s", code, sub, flag)
	}
	if want := currentBuild().String(); flag != want {
		t.Errorf("--version:\n%s\nwant:\n%s", flag, want)
	}
	first, _, _ := strings.Cut(flag, "\n")
	if first == "telegent-onboard dev" || !strings.HasPrefix(first, "telegent-onboard ") {
		t.Errorf("first line %q", first)
	}
	for _, label := range []string{"\n  commit ", "\n  go       " + runtime.Version()} {
		if !strings.Contains(flag, label) {
			t.Errorf("--version lacks %q:\n%s", label, flag)
		}
	}
	if _, stderr, code := runCLI(t, "version", "extra"); code != exitUsage {
		t.Errorf("version extra: exit %d %s", code, stderr)
	}
}

// Each source of the version, as the toolchain records it.
func TestVersionSources(t *testing.T) {
	vcs := func(rev, modified, at string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev},
			{Key: "vcs.time", Value: at}, {Key: "vcs.modified", Value: modified}}
	}
	const rev = "0123456789abcdef0123456789abcdef01234567"
	for _, tc := range []struct {
		name                  string
		info                  *debug.BuildInfo
		stampV, stampC, stamp string
		want                  []string
	}{
		{"release stamps win", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "true", "2026-01-01T00:00:00Z")},
			"1.2.0", rev, "2026-11-20T10:00:00Z",
			[]string{"telegent-onboard 1.2.0\n", "  commit   " + rev + "\n", "  built    2026-11-20T10:00:00Z\n", "  go       go1.26.8 "}},
		{"go install @version", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0", Sum: "h1:x"}}, "", "", "",
			[]string{"telegent-onboard v1.2.0\n", "  commit   unknown\n", "  built    unknown\n"}},
		{"a modified checkout", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "true", "2026-01-02T03:04:05Z")},
			"", "", "",
			[]string{"telegent-onboard 0123456789ab-dirty\n", "  commit   " + rev + "-dirty\n", "  committed 2026-01-02T03:04:05Z\n"}},
		{"a clean tagged checkout", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.3.0"}, Settings: vcs(rev, "false", "2026-01-02T03:04:05Z")},
			"", "", "",
			[]string{"telegent-onboard v1.3.0\n", "  commit   " + rev + "\n"}},
		{"no VCS information (-buildvcs=false)", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}, "", "", "",
			[]string{"telegent-onboard (devel)\n", "  commit   unknown: built without version control information", "  go       go1.26.8 "}},
		{"no build information at all", nil, "", "", "",
			[]string{"telegent-onboard (devel)\n", "  go       " + runtime.Version()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := buildFrom(tc.info, tc.stampV, tc.stampC, tc.stamp)
			text := b.String()
			for _, want := range tc.want {
				if !strings.Contains(text, want) {
					t.Errorf("lacks %q:\n%s", want, text)
				}
			}
			if strings.Contains(text, " dev\n") || strings.ContainsAny(b.Token(), " ()") {
				t.Errorf("token %q, text:\n%s", b.Token(), text)
			}
		})
	}
}

// The release build's -ldflags reach --version, and an unstamped build of
// the same code says what it knows: run as real binaries.
func TestVersionOfBuiltBinaries(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	out, err := exec.Command(binary(t, "."), "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if first, _, _ := strings.Cut(string(out), "\n"); first == "telegent-onboard dev" || first == "telegent-onboard " {
		t.Errorf("unstamped --version: %s", out)
	}
	stamped := filepath.Join(t.TempDir(), "telegent-onboard")
	ld := strings.NewReplacer("{{.Version}}", "9.8.7", "{{.FullCommit}}", "abcdef1234567890",
		"{{.Date}}", "2026-11-20T10:00:00Z").Replace(releaseLdflags(t))
	if strings.Contains(ld, "{{") {
		t.Fatalf("a template this test does not fill: %s", ld)
	}
	if b, err := exec.Command("go", "build", "-ldflags", ld, "-o", stamped, ".").CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	out, err = exec.Command(stamped, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"telegent-onboard 9.8.7\n", "commit   abcdef1234567890\n", "built    2026-11-20T10:00:00Z\n"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("stamped version lacks %q:\n%s", want, out)
		}
	}
}

// releaseLdflags are the -ldflags of .goreleaser.yaml's one build, which
// must stamp the variables version.go reads, on every platform asked for.
func releaseLdflags(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(".goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Version int `json:"version"`
		Builds  []struct {
			Goos    []string `json:"goos"`
			Goarch  []string `json:"goarch"`
			Ldflags []string `json:"ldflags"`
		} `json:"builds"`
		Archives []struct {
			Formats []string `json:"formats"`
		} `json:"archives"`
		Checksum struct {
			NameTemplate string `json:"name_template"`
		} `json:"checksum"`
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil { // the fields this test reads; goreleaser checks the rest
		t.Fatal(err)
	}
	if cfg.Version != 2 || len(cfg.Builds) != 1 || len(cfg.Archives) == 0 || cfg.Checksum.NameTemplate == "" {
		t.Fatalf(".goreleaser.yaml: %+v", cfg)
	}
	b := cfg.Builds[0]
	if strings.Join(b.Goos, ",") != "linux,darwin,windows" || strings.Join(b.Goarch, ",") != "amd64,arm64" {
		t.Errorf("release platforms %v × %v", b.Goos, b.Goarch)
	}
	ld := strings.Join(b.Ldflags, " ")
	for _, v := range []string{"main.version=", "main.commit=", "main.date="} {
		if !strings.Contains(ld, "-X "+v) {
			t.Errorf("the release ldflags do not stamp %s: %s", v, ld)
		}
	}
	return ld
}

// helpOf is `PATH --help` as fang renders it (plain: the buffer is no
// terminal).
func helpOf(t *testing.T, path ...string) string {
	t.Helper()
	stdout, stderr, code := runCLI(t, append(path, "--help")...)
	if code != 0 {
		t.Fatalf("%v --help: exit %d\n%s", path, code, stderr)
	}
	return stdout
}

// flagLines are the flag names in a help text's FLAGS section.
func flagLines(help string) map[string]bool {
	_, flags, _ := strings.Cut(help, "FLAGS")
	names := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\s+(?:-\w )?--([\w-]+)`).FindAllStringSubmatch(flags, -1) {
		names[m[1]] = true
	}
	return names
}

// A flag is offered only on the commands where it does something: --state
// where a session file is read or written, --debug where requests are
// made or received, --debug-file where a full screen owns the terminal.
// Elsewhere it is not shown and is refused as unknown.
func TestFlagsShownOnlyWhereTheyApply(t *testing.T) {
	for _, tc := range []struct {
		path       []string
		with, w_o  []string
		refusedArg []string
	}{
		{nil, []string{"state", "debug", "debug-file", "sandbox", "json"}, nil, nil},
		{[]string{"export"}, []string{"state", "format"}, []string{"debug", "debug-file"}, []string{"--debug"}},
		{[]string{"cleanup"}, []string{"state", "debug"}, []string{"debug-file"}, []string{"--debug-file", "x"}},
		{[]string{"listen"}, []string{"debug", "debug-file"}, []string{"state"}, []string{"--state", "x"}},
		{[]string{"sandbox"}, []string{"addr"}, []string{"state", "debug", "debug-file"}, []string{"--state", "x"}},
		{[]string{"webhook", "test"}, []string{"auth"}, []string{"state", "debug"}, []string{"--debug"}},
		{[]string{"webhook", "send"}, []string{"kind"}, []string{"state", "debug"}, []string{"--state", "x"}},
	} {
		shown := flagLines(helpOf(t, tc.path...))
		for _, f := range tc.with {
			if !shown[f] {
				t.Errorf("%v --help lacks --%s (shows %v)", tc.path, f, shown)
			}
		}
		for _, f := range tc.w_o {
			if shown[f] {
				t.Errorf("%v --help shows --%s, which does nothing there", tc.path, f)
			}
		}
		if tc.refusedArg != nil {
			args := append(append([]string{}, tc.path...), tc.refusedArg...)
			if _, stderr, code := runCLI(t, args...); code != exitUsage || !strings.Contains(stderr, "unknown flag") {
				t.Errorf("%q: exit %d, %s", args, code, stderr)
			}
		}
	}
}

// fang capitalises the first word of each description, and lower-cases
// the rest of that word: "API" would read "Api", "AccountKey"
// "Accountkey". Every flag and command description must come out of it
// with its words intact, only the first letter raised.
func TestHelpKeepsDescriptionsIntact(t *testing.T) {
	root := newRootCmd(io.Discard, io.Discard)
	var visit func(c *cobra.Command)
	visit = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "completion" { // cobra's own wording
			return
		}
		var path []string
		for p := c; p.HasParent(); p = p.Parent() {
			path = append([]string{p.Name()}, path...)
		}
		help := helpOf(t, path...)
		raised := func(s string) string {
			r, n := utf8.DecodeRuneInString(s)
			return string(unicode.ToUpper(r)) + s[n:]
		}
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			first, _, _ := strings.Cut(f.Usage, "\n")
			if !f.Hidden && !strings.Contains(help, raised(first)) {
				t.Errorf("%v --help spoils --%s: %q", path, f.Name, first)
			}
		})
		for _, sub := range c.Commands() {
			if !sub.Hidden && sub.Name() != "completion" && !strings.Contains(help, raised(sub.Short)) {
				t.Errorf("%v --help spoils %s: %q", path, sub.Name(), sub.Short)
			}
			visit(sub)
		}
	}
	visit(root)
}

// `help environment` names every environment variable the program reads:
// each os.Getenv in the module's code (constants resolved), and what the
// exported curl script reads.
func TestHelpEnvironmentNamesEveryVariable(t *testing.T) {
	topic, stderr, code := runCLI(t, "help", "environment")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if direct, _, _ := runCLI(t, "environment"); direct != topic {
		t.Errorf("`environment` and `help environment` differ")
	}
	read := getenvNames(t)
	for _, name := range []string{envBaseURL, envAccountKey, envDebug, "ACCESSIBLE", "TERM"} {
		if !read[name] {
			t.Fatalf("the source scan missed %s: found %v", name, read)
		}
	}
	read["NO_COLOR"] = true // read by lipgloss and colorprofile, not by our code
	for _, name := range []string{flow.EnvMessagePasswordToken, flow.EnvCallbackMessagePasswordToken, flow.EnvVoicePasswordToken,
		flow.EnvSubscriberPassword, flow.EnvSubscriberEmail, flow.EnvICCID, "TELEGENT_ORDER_TIMEOUT"} {
		read[name] = true // the curl script's
	}
	for name := range read {
		if name == "HOME" || name == "XDG_CONFIG_HOME" {
			continue
		}
		if !regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + `\b`).MatchString(topic) {
			t.Errorf("help environment does not mention %s", name)
		}
	}
	if !strings.Contains(topic, "TERM=dumb") {
		t.Error("help environment does not say what TERM=dumb does")
	}
}

// getenvNames are the names passed to os.Getenv or os.LookupEnv in the
// module's non-test code, string constants resolved within each package.
func getenvNames(t *testing.T) map[string]bool {
	t.Helper()
	names := map[string]bool{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if path != "." && strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || strings.HasSuffix(path, "flowtest") {
			return filepath.SkipDir
		}
		fset := token.NewFileSet()
		pkgs, err := parser.ParseDir(fset, path, func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
		if err != nil {
			return err
		}
		for _, pkg := range pkgs {
			consts := map[string]string{}
			var calls []ast.Expr
			for _, f := range pkg.Files {
				ast.Inspect(f, func(n ast.Node) bool {
					switch n := n.(type) {
					case *ast.ValueSpec:
						for i, id := range n.Names {
							if i < len(n.Values) {
								if lit, ok := n.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
									consts[id.Name], _ = strconv.Unquote(lit.Value)
								}
							}
						}
					case *ast.CallExpr:
						if sel, ok := n.Fun.(*ast.SelectorExpr); ok && len(n.Args) == 1 {
							if x, ok := sel.X.(*ast.Ident); ok && x.Name == "os" && (sel.Sel.Name == "Getenv" || sel.Sel.Name == "LookupEnv") {
								calls = append(calls, n.Args[0])
							}
						}
					}
					return true
				})
			}
			for _, arg := range calls {
				switch a := arg.(type) {
				case *ast.BasicLit:
					v, _ := strconv.Unquote(a.Value)
					names[v] = true
				case *ast.Ident:
					if v, ok := consts[a.Name]; ok {
						names[v] = true
					} else {
						t.Errorf("%s: os.Getenv(%s): not a constant this test can resolve", path, a.Name)
					}
				default:
					t.Errorf("%s: os.Getenv of an expression this test cannot resolve", fset.Position(arg.Pos()))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// `help exit-codes` and the README's exit-code table say the same, and
// cover every status exitCode can return.
func TestExitCodesTopicMatchesReadme(t *testing.T) {
	topic, _, code := runCLI(t, "help", "exit-codes")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(readme), "| Exit code | Meaning |")
	if !ok {
		t.Fatal("README.md has no exit-code table")
	}
	rows := map[int]string{}
	sc := bufio.NewScanner(strings.NewReader(table))
	sc.Scan() // the rest of the header line
	sc.Scan() // | --- | --- |
	for sc.Scan() {
		m := regexp.MustCompile(`^\| (\d+) \| (.*) \|$`).FindStringSubmatch(sc.Text())
		if m == nil {
			break
		}
		n, _ := strconv.Atoi(m[1])
		rows[n] = m[2]
	}
	if len(rows) != len(exitCodeTable) {
		t.Errorf("the README lists %d exit codes, help exit-codes %d", len(rows), len(exitCodeTable))
	}
	for _, row := range exitCodeTable {
		if rows[row.code] != row.meaning {
			t.Errorf("exit %d: README says %q, help says %q", row.code, rows[row.code], row.meaning)
		}
		if flat := strings.Join(strings.Fields(topic), " "); !strings.Contains(flat, fmt.Sprintf("%d %s", row.code, strings.Join(strings.Fields(row.meaning), " "))) {
			t.Errorf("help exit-codes lacks %d", row.code)
		}
	}
	for _, code := range append([]int{exitOK, exitUsage, exitInterrupted, exitTerminated, exitCode(errors.New("x"))}, valuesOf(reasonCodes)...) {
		if _, ok := rows[code]; !ok {
			t.Errorf("exit %d is not documented", code)
		}
	}
}

func valuesOf[K comparable](m map[K]int) []int {
	var out []int
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// `man` writes a roff man page of the whole tree, and completion scripts
// come out for the usual shells.
func TestManPageAndCompletions(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	out, err := exec.Command(binary(t, "."), "man").Output() // fang writes it to the process's stdout
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{".TH ", "TELEGENT-ONBOARD", "sandbox", "--non-interactive"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the man page lacks %q", want)
		}
	}
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		stdout, stderr, code := runCLI(t, "completion", shell)
		if code != 0 || !strings.Contains(stdout, "telegent-onboard") {
			t.Errorf("completion %s: exit %d %s", shell, code, stderr)
		}
	}
}

// ctrl+c in the full-screen wizard exits 130 through fang, without an
// "Error:" line: the wizard's own summary says where it stopped.
func TestWizardCtrlCExits130(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if runtime.GOOS == "windows" {
		t.Skip("needs a pty")
	}
	cmd := exec.Command(binary(t, "."), "--sandbox")
	cmd.Env = append(os.Environ(), "TERM=xterm-256color", "NO_COLOR=1", "ACCESSIBLE=")
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 80})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	emu := vt.NewEmulator(80, 24)
	go func() { _, _ = io.Copy(io.Discard, emu) }() // its answers to queries go nowhere
	defer func() { _ = emu.InputPipe().(io.Closer).Close() }()
	chunks := make(chan []byte, 64)
	go func() {
		defer close(chunks)
		for {
			buf := make([]byte, 16<<10)
			n, err := f.Read(buf)
			if n > 0 {
				chunks <- buf[:n]
			}
			if err != nil {
				return
			}
		}
	}()
	var out strings.Builder
	read := func(until func() bool, what string) {
		t.Helper()
		deadline := time.After(30 * time.Second)
		for !until() {
			select {
			case chunk, ok := <-chunks:
				if !ok {
					return
				}
				out.Write(chunk)
				_, _ = emu.Write(chunk)
			case <-deadline:
				_ = cmd.Process.Kill()
				t.Fatalf("%s; output:\n%s", what, out.String())
			}
		}
	}
	read(func() bool { return strings.Contains(emu.String(), "Step 1 · Credentials") }, "no first screen")
	if _, err := f.Write([]byte{3}); err != nil { // ctrl+c
		t.Fatal(err)
	}
	// The pty's output ends when the process has exited; a wizard that
	// ignores ctrl+c is killed after a generous deadline and fails below.
	hung := time.AfterFunc(30*time.Second, func() { _ = cmd.Process.Kill() })
	var after strings.Builder
	for chunk := range chunks {
		out.Write(chunk)
		after.Write(chunk)
	}
	err = cmd.Wait()
	if !hung.Stop() {
		t.Fatalf("still running 30 s after ctrl+c:\n%s", out.String())
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted {
		t.Errorf("exit %v, want %d", err, exitInterrupted)
	}
	// Nor does it ask the terminal anything on the way out (fang's error
	// styles query the background colour and wait up to 2 s for an
	// answer some terminals never give).
	if strings.Contains(after.String(), "\x1b]11;?") {
		t.Errorf("the terminal was queried after ctrl+c: %q", after.String())
	}
	if strings.Contains(out.String(), "Error:") || strings.Contains(out.String(), "ERROR") {
		t.Errorf("an error was printed after ctrl+c:\n%s", out.String())
	}
}

// readmeSection is the README's text from heading to the next heading of
// the same level.
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("README.md has no %q", heading)
	}
	level := heading[:strings.Index(heading, " ")+1]
	if i := strings.Index(rest, "\n"+level); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// jsonKeys are the JSON names of a struct's fields.
func jsonKeys(v any) []string {
	var keys []string
	typ := reflect.TypeOf(v)
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		keys = append(keys, name)
	}
	return keys
}

// The README documents every key of the JSON summary and of a listen
// --json event, each in its table as `key`.
func TestReadmeDocumentsEveryJSONKey(t *testing.T) {
	doc := readmeSection(t, "## JSON output")
	summary, events, ok := strings.Cut(doc, "`listen --json`")
	if !ok {
		t.Fatal("the JSON output section does not describe listen --json")
	}
	for name, c := range map[string]struct {
		text string
		keys []string
	}{
		"summary":      {summary, append(jsonKeys(flow.RunSummary{}), jsonKeys(flow.SummaryRecipient{})...)},
		"listen event": {events, jsonKeys(eventLine{})},
	} {
		for _, k := range c.keys {
			if !strings.Contains(c.text, "`"+k+"`") {
				t.Errorf("the README's %s table lacks `%s`", name, k)
			}
		}
	}
	for _, k := range checkKeysOf(t) {
		if !strings.Contains(summary, `"`+k+`"`) {
			t.Errorf("the README's summary example lacks the check %q", k)
		}
	}
}

// checkKeysOf are the check keys a summary carries.
func checkKeysOf(t *testing.T) []string {
	t.Helper()
	var keys []string
	for k := range flow.Summary(flow.NewSession("http://127.0.0.1:1/v1.0", "", time.Now())).Checks {
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		t.Fatal("a summary with no checks")
	}
	return keys
}

// At 80 columns nothing in help is wrapped a second time: fang indents a
// command's description and examples by 2 and its own wrapping would
// break lines that are longer (examples it cuts with "…"), and a help
// topic is printed as written.
func TestHelpFitsEightyColumns(t *testing.T) {
	var visit func(c *cobra.Command)
	visit = func(c *cobra.Command) {
		limit := 76
		if c.GroupID == topicGroup {
			limit = topicWidth
		}
		for _, line := range strings.Split(c.Long+"\n"+c.Example, "\n") {
			if n := utf8.RuneCountInString(line); n > limit {
				t.Errorf("%s: a line of %d characters (at most %d): %q", c.CommandPath(), n, limit, line)
			}
		}
		for _, sub := range c.Commands() {
			visit(sub)
		}
	}
	visit(newRootCmd(io.Discard, io.Discard))
}
