package flow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/telegent/telegent-onboard/api"
)

// ExportFormats are the formats Export writes.
var ExportFormats = []string{"curl", "json", "env", "markdown"}

// Export writes the session in one of ExportFormats. No format ever holds a
// secret: every export starts from WithoutSecrets.
func Export(s *Session, format string) ([]byte, error) {
	switch strings.ToLower(format) {
	case "curl":
		return []byte(ExportCurl(s)), nil
	case "json":
		return ExportJSON(s)
	case "env":
		return []byte(ExportEnv(s)), nil
	case "markdown":
		return []byte(ExportMarkdown(s)), nil
	}
	return nil, fmt.Errorf("unknown export format %q (choose %s)", format, strings.Join(ExportFormats, ", "))
}

// The environment variables the curl script reads for what a session never
// keeps.
const (
	EnvBaseURL                      = "TELEGENT_BASE_URL"
	EnvAccountID                    = "TELEGENT_ACCOUNT_ID"
	EnvAccountKey                   = "TELEGENT_ACCOUNT_KEY"
	EnvAccountSecret                = "TELEGENT_ACCOUNT_SECRET"
	EnvMessagePasswordToken         = "TELEGENT_MESSAGE_PASSWORD_TOKEN"
	EnvCallbackMessagePasswordToken = "TELEGENT_CALLBACK_MESSAGE_PASSWORD_TOKEN"
	EnvVoicePasswordToken           = "TELEGENT_VOICE_PASSWORD_TOKEN"
	EnvSubscriberPassword           = "TELEGENT_SUBSCRIBER_PASSWORD"
	EnvSubscriberEmail              = "TELEGENT_SUBSCRIBER_EMAIL"
	EnvICCID                        = "TELEGENT_ICCID"
)

// shq quotes s for a POSIX shell: always one single-quoted word.
func shq(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// oneLine keeps a value that goes into a comment or a table cell on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)), " ")
}

// needsSecret reports whether an authentication type sends a password or
// token.
func needsSecret(authType string) bool {
	return strings.EqualFold(authType, api.AuthBasic) || strings.EqualFold(authType, api.AuthBearer)
}

// curlPrelude is the script's fixed part: tool checks and helpers. It runs
// under bash 3.2 (macOS) too: no ${x,,}, no associative arrays.
const curlPrelude = `for tool in curl jq; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "telegent: this script needs $tool; install it and run again." >&2
    exit 2
  fi
done

# default VAR VALUE: VAR keeps its value from the environment, else VALUE.
default() { if [ -z "${!1:-}" ]; then printf -v "$1" '%s' "$2"; fi; }

missing=0
# need VAR WHAT: VAR must be set; every missing one is named before stopping.
need() {
  if [ -z "${!1:-}" ]; then
    echo "telegent: set $1 ($2)." >&2
    missing=1
  fi
}

# api METHOD PATH [CURL ARGS...]: one call; prints the answer, or shows
# Telegent's error and stops.
api() {
  local method=$1 path=$2 out
  shift 2
  if ! out=$(curl -sS --fail-with-body -X "$method" "$TELEGENT_BASE_URL$path" "$@"); then
    echo "telegent: $method $path failed${out:+: $out}" >&2
    return 1
  fi
  printf '%s\n' "$out"
}
# The token goes in a header read from a file descriptor, never on a
# command line where other users could see it.
auth_header() { printf 'Authorization: Bearer %s\n' "$TOKEN"; }
# post PATH: POST the JSON read from stdin.
post() { api POST "$1" -H @<(auth_header) -H 'Content-Type: application/json' --data-binary @-; }
# get PATH KEY VALUE: GET with one query parameter.
get() { api GET "$1" -G --data-urlencode "$2=$3" -H @<(auth_header); }
# field KEY: KEY's value in the JSON object on stdin, whatever its
# capitalisation (the API's examples vary); stops when it is missing.
field() {
  local json value
  json=$(cat)
  value=$(jq -r --arg k "$1" 'if type == "object" then [to_entries[] | select((.key | ascii_downcase) == ($k | ascii_downcase)) | .value | select(. != null)][0] // empty else empty end' <<<"$json")
  if [ -z "$value" ]; then
    echo "telegent: the answer has no $1: $json" >&2
    return 1
  fi
  printf '%s\n' "$value"
}
`

// curlStep collects one request body rebuilt with jq: the recorded body
// (no secrets) plus the values that come from the environment or from
// earlier answers.
type curlStep struct {
	args  []string // jq --arg pairs, already quoted
	merge []string // jq object entries: Key: $var
}

func (c *curlStep) set(key, jqVar, shellExpr string) {
	c.args = append(c.args, "--arg "+jqVar+" "+shellExpr)
	c.merge = append(c.merge, key+": $"+jqVar)
}

// body is the jq command printing the body; it pipes into post.
func (c *curlStep) body(v any) string {
	data, _ := json.MarshalIndent(v, "", "  ")
	var b strings.Builder
	b.WriteString("jq -n --argjson body " + shq(string(data)))
	for _, a := range c.args {
		b.WriteString(" \\\n  " + a)
	}
	if len(c.merge) == 0 {
		b.WriteString(" \\\n  '$body'")
	} else {
		b.WriteString(" \\\n  '$body + {" + strings.Join(c.merge, ", ") + "}'")
	}
	return b.String()
}

// ExportCurl is the session as a bash script of curl calls that recreates
// it: every step the session completed, with the body it last sent, each ID
// taken from the previous answer. It holds no secret: the credentials and
// every password come from the environment, and it stops before sending
// anything when one it needs is missing.
func ExportCurl(sess *Session) string {
	s := sess.WithoutSecrets()
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	line := func(text string) { b.WriteString(text + "\n") }

	done := func(step Step) bool { return s.Steps[step].Status == Done }
	mr, vr, av, sub, prov, msg := s.Inputs.MessageRoute, s.Inputs.VoiceRoute, s.Inputs.Availability,
		s.Inputs.Subscriber, s.Inputs.Provision, s.Inputs.Message
	withMR := done(MessageRoute) && mr != nil
	withVR := done(VoiceRoute) && vr != nil
	withAv := av != nil
	withSub := done(Subscriber) && sub != nil
	withProv := done(Provision) && prov != nil
	withMsg := done(TestMessage) && msg != nil && withProv

	type need struct{ name, what string }
	needs := []need{
		{EnvAccountKey, "the AccountKey your Telegent representative gave you"},
		{EnvAccountSecret, "the AccountSecret that goes with it"},
	}
	if withMR && needsSecret(mr.MessageAuthenticationType) {
		needs = append(needs, need{EnvMessagePasswordToken, "the message route's " + mr.MessageAuthenticationType + " password or token"})
	}
	if withMR && needsSecret(mr.CallbackMessageAuthenticationType) {
		needs = append(needs, need{EnvCallbackMessagePasswordToken, "the delivery-report callback's " + mr.CallbackMessageAuthenticationType + " password or token"})
	}
	if withVR && needsSecret(vr.VoiceAuthenticationType) {
		needs = append(needs, need{EnvVoicePasswordToken, "the voice route's " + vr.VoiceAuthenticationType + " password or token"})
	}
	if withSub {
		needs = append(needs, need{EnvSubscriberPassword, "the new subscriber's password, 8 characters or more"})
	}

	line("#!/usr/bin/env bash")
	line("# Replays a telegent-onboard session with curl: each step it completed, with")
	line("# the body it last sent, every ID taken from the answer before.")
	p("# Session: AccountId %s at %s, started %s.\n", oneLine(s.AccountID), oneLine(s.BaseURL), fmtTime(s.StartedAt))
	line("# Written by: telegent-onboard export --format curl")
	line("#")
	line("# It holds no secret. From the environment:")
	p("#   %-41s API root (default: the session's)\n", EnvBaseURL)
	p("#   %-41s AccountId (default: the session's)\n", EnvAccountID)
	for _, n := range needs {
		p("#   %-41s required: %s\n", n.name, n.what)
	}
	if withSub {
		p("#   %-41s the subscriber's email (default: the session's)\n", EnvSubscriberEmail)
	}
	if withProv && prov.ICCID != "" {
		p("#   %-41s the SIM's ICCID (default: the session's)\n", EnvICCID)
	}
	line("# Needs bash, curl 7.76 or later, and jq.")
	line("set -euo pipefail")
	line("")
	b.WriteString(curlPrelude)
	line("")
	p("default %s %s\n", EnvBaseURL, shq(s.BaseURL))
	p("default %s %s\n", EnvAccountID, shq(s.AccountID))
	p("TELEGENT_BASE_URL=${%s%%/}\n", EnvBaseURL)
	if withSub {
		line("# A subscriber email can be used once on the whole platform: replaying")
		p("# against the platform that has the session's subscriber needs a new %s.\n", EnvSubscriberEmail)
		p("default %s %s\n", EnvSubscriberEmail, shq(sub.Email))
	}
	if withProv && prov.ICCID != "" {
		p("# A SIM can hold one number: replaying against the same platform needs another %s.\n", EnvICCID)
		p("default %s %s\n", EnvICCID, shq(prov.ICCID))
	}
	p("need %s 'the API root, like https://api.telegent.com/v1.0'\n", EnvBaseURL)
	p("need %s 'the AccountId your Telegent representative gave you'\n", EnvAccountID)
	for _, n := range needs {
		p("need %s %s\n", n.name, shq(n.what))
	}
	line(`if [ "$missing" = 1 ]; then`)
	line(`  echo "telegent: nothing was sent; set the variables above and run again." >&2`)
	line("  exit 2")
	line("fi")
	line("")

	line("# Step 1: a token")
	p("TOKEN=$(jq -n --arg key \"$%s\" --arg secret \"$%s\" '{AccountKey: $key, AccountSecret: $secret}' \\\n", EnvAccountKey, EnvAccountSecret)
	line("  | api POST /oauth2/tokens -H 'Content-Type: application/json' --data-binary @- | field token)")
	line(`echo "Authenticated as $TELEGENT_ACCOUNT_ID at $TELEGENT_BASE_URL"`)
	line("")

	haveMRID, haveCRID, haveTSUID := false, false, false
	acct := `"$TELEGENT_ACCOUNT_ID"`
	line("# Step 2: the message route (POST /message/routes)")
	switch {
	case withMR:
		c := &curlStep{}
		if mr.AccountId != "" {
			c.set("AccountId", "acct", acct)
		}
		if needsSecret(mr.MessageAuthenticationType) {
			c.set("MessagePasswordToken", "pw", `"$`+EnvMessagePasswordToken+`"`)
		}
		if needsSecret(mr.CallbackMessageAuthenticationType) {
			c.set("CallbackMessagePasswordToken", "cbpw", `"$`+EnvCallbackMessagePasswordToken+`"`)
		}
		body := *mr
		body.AccountId = ""
		line("MRID=$(" + c.body(body) + " \\\n  | post /message/routes | field MessageRouteId)")
		line(`echo "MessageRouteId (MRID): $MRID"`)
		haveMRID = true
	case done(MessageRoute) && s.IDs.MessageRouteID != "":
		line("# The session used an existing route; its body was not recorded.")
		p("MRID=%s\n", shq(s.IDs.MessageRouteID))
		haveMRID = true
	default:
		p("# Not done in this session (%s).\n", s.Steps[MessageRoute].Status)
	}
	line("")

	line("# Step 3: the voice route (POST /voice/routes; optional, MVNO only)")
	switch {
	case withVR:
		c := &curlStep{}
		if vr.AccountId != "" {
			c.set("AccountId", "acct", acct)
		}
		if needsSecret(vr.VoiceAuthenticationType) {
			c.set("VoicePasswordToken", "pw", `"$`+EnvVoicePasswordToken+`"`)
		}
		body := *vr
		body.AccountId = ""
		line("CRID=$(" + c.body(body) + " \\\n  | post /voice/routes | field CallRouteId)")
		line(`echo "CallRouteId (CRID): $CRID"`)
		haveCRID = true
	case s.Steps[VoiceRoute].Status == Skipped:
		line("# Skipped in this session (SMS only).")
	case done(VoiceRoute) && s.IDs.VoiceRouteID != "":
		line("# The session used an existing route; its body was not recorded.")
		p("CRID=%s\n", shq(s.IDs.VoiceRouteID))
		haveCRID = true
	default:
		p("# Not done in this session (%s).\n", s.Steps[VoiceRoute].Status)
	}
	line("")

	line("# Step 4: availability (POST /numbers/availability)")
	if withAv {
		line("AVAILABLE=$(" + (&curlStep{}).body(av) + " \\\n  | post /numbers/availability)")
		line(`echo "ResultsTotal: $(field ResultsTotal <<<"$AVAILABLE")"`)
	} else {
		line("# Not searched in this session.")
	}
	line("")

	line("# Step 5: the subscriber (POST /subscribers/create)")
	switch {
	case withSub:
		c := &curlStep{}
		c.set("Email", "email", `"$`+EnvSubscriberEmail+`"`)
		c.set("Password", "pw", `"$`+EnvSubscriberPassword+`"`)
		c.set("AccountId", "acct", acct)
		body := *sub
		body.Email, body.AccountId = "", ""
		line("TSUID=$(" + c.body(body) + " \\\n  | post /subscribers/create | field SubscriberId)")
		line(`echo "SubscriberId (TSUID): $TSUID"`)
		haveTSUID = true
	case done(Subscriber) && s.IDs.SubscriberID != "":
		line("# The session used an existing subscriber; its body was not recorded.")
		p("TSUID=%s\n", shq(s.IDs.SubscriberID))
		haveTSUID = true
	default:
		p("# Not done in this session (%s).\n", s.Steps[Subscriber].Status)
	}
	line("")

	line("# Step 6: provision the number, then follow its order until it is Complete")
	if withProv {
		c := &curlStep{}
		body := *prov
		if haveMRID && prov.MessageRouteId == s.IDs.MessageRouteID {
			c.set("MessageRouteId", "mrid", `"$MRID"`)
			body.MessageRouteId = ""
		}
		if haveCRID && prov.VoiceRouteId != "" && prov.VoiceRouteId == s.IDs.VoiceRouteID {
			c.set("VoiceRouteId", "crid", `"$CRID"`)
			body.VoiceRouteId = ""
		}
		if haveTSUID && prov.AssignedSubscriberId != "" && prov.AssignedSubscriberId == s.IDs.SubscriberID {
			c.set("AssignedSubscriberId", "tsuid", `"$TSUID"`)
			body.AssignedSubscriberId = ""
		}
		if prov.ICCID != "" {
			c.set("ICCID", "iccid", `"$`+EnvICCID+`"`)
			body.ICCID = ""
		}
		if prov.AccountId != "" {
			c.set("AccountId", "acct", acct)
			body.AccountId = ""
		}
		line("ORDER=$(" + c.body(body) + " \\\n  | post /numbers/provision)")
		line(`ORDER_ID=$(field OrderId <<<"$ORDER")`)
		line(`NUMBER=$(field PhoneNumberAssigned <<<"$ORDER")`)
		line(`NID=$(field PhoneNumberId <<<"$ORDER" 2>/dev/null || true)`)
		line(`echo "OrderId: $ORDER_ID"`)
		line(`echo "Number: $NUMBER"`)
		line(`echo "PhoneNumberId (NID): ${NID:-none given}"`)
		line(`STATUS=$(field OrderStatus <<<"$ORDER")`)
		line(`deadline=$((SECONDS + ${TELEGENT_ORDER_TIMEOUT:-600}))`)
		line(`while :; do`)
		line(`  case "$(printf '%s' "$STATUS" | tr '[:upper:]' '[:lower:]')" in`)
		line(`    complete|completed) break ;;`)
		line(`    error|rejected|cancelled|canceled|failed)`)
		line(`      echo "telegent: order $ORDER_ID ended $STATUS: $(get /numbers/order OrderId "$ORDER_ID")" >&2`)
		line(`      exit 1 ;;`)
		line(`  esac`)
		line(`  if [ "$SECONDS" -ge "$deadline" ]; then`)
		line(`    echo "telegent: order $ORDER_ID is still $STATUS; follow it with GET /numbers/order?OrderId=$ORDER_ID" >&2`)
		line(`    exit 1`)
		line(`  fi`)
		line(`  sleep 1`)
		line(`  STATUS=$(get /numbers/order OrderId "$ORDER_ID" | field OrderStatus)`)
		line(`done`)
		line(`echo "OrderStatus: $STATUS"`)
	} else {
		p("# Not done in this session (%s).\n", s.Steps[Provision].Status)
	}
	line("")

	line("# Step 7: the test message, from the new number (POST /message/outbound)")
	if withMsg {
		c := &curlStep{}
		body := *msg
		if msg.From == s.IDs.PhoneNumber {
			c.set("From", "from", `"$NUMBER"`)
			body.From = ""
		}
		if msg.Owner != "" && msg.Owner == s.IDs.PhoneNumber {
			c.set("Owner", "owner", `"$NUMBER"`)
			body.Owner = ""
		}
		line("MESSAGE_ID=$(" + c.body(body) + " \\\n  | post /message/outbound | field MessageId)")
		line(`echo "MessageId: $MESSAGE_ID"`)
	} else {
		p("# Not done in this session (%s).\n", s.Steps[TestMessage].Status)
	}
	line("")
	line(`echo "telegent: the session was replayed."`)
	return b.String()
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "at an unknown time"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// ExportJSON is the session's summary as JSON: the RunSummary shape that
// a headless run's --json prints too, indented, with "&" and "<" as
// written (no \u0026: URLs and messages stay readable), one object and a
// newline. It holds no secret.
func ExportJSON(s *Session) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(Summary(s)); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// envNames are the summary's IDs as environment variables.
var envNames = map[string]string{
	"MRID": "TELEGENT_MESSAGE_ROUTE_ID", "CRID": "TELEGENT_VOICE_ROUTE_ID", "TSUID": "TELEGENT_SUBSCRIBER_ID",
	"NID": "TELEGENT_PHONE_NUMBER_ID", "OrderId": "TELEGENT_ORDER_ID", "PhoneNumber": "TELEGENT_PHONE_NUMBER",
	"MessageId": "TELEGENT_MESSAGE_ID",
}

// ExportEnv is the session's IDs as an env file (shell-quoted values, so
// `source` or `set -a; . file` reads it); IDs the session lacks are left out.
func ExportEnv(s *Session) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# telegent-onboard session: AccountId %s at %s\n", oneLine(s.AccountID), oneLine(s.BaseURL))
	put := func(name, value string) {
		if value == "" {
			return
		}
		if s.Removed(value) {
			fmt.Fprintf(&b, "# removed by cleanup:\n")
		}
		fmt.Fprintf(&b, "%s=%s\n", name, shq(value))
	}
	put(EnvBaseURL, s.BaseURL)
	put(EnvAccountID, s.AccountID)
	for _, id := range SummaryIDs(s) {
		value := id.Value
		if id.Key == "CRID" {
			value = s.IDs.VoiceRouteID // created, even if voice was skipped afterwards
			if s.Status(VoiceRoute) == Skipped && value != "" {
				b.WriteString("# created, then voice was skipped: no number uses it\n")
			}
		}
		put(envNames[id.Key], value)
	}
	return b.String()
}

// mdCell makes a value safe inside a Markdown table cell.
func mdCell(s string) string {
	return strings.ReplaceAll(oneLine(s), "|", `\|`)
}

// mdCode is a value as inline code (or a dash when empty).
func mdCode(s string) string {
	if s == "" {
		return "–"
	}
	return "`" + strings.ReplaceAll(mdCell(s), "`", "'") + "`"
}

var statusWords = map[Status]string{
	Pending: "○ pending", InFlight: "… sent, no answer recorded", Done: "✓ done",
	Skipped: "– skipped", Failed: "✗ failed", Unknown: "? outcome unknown",
}

// ExportMarkdown is a hand-off note for a ticket: where the session ran,
// each step's status and ID, the quickstart's checkmarks, and what remains.
func ExportMarkdown(s *Session) string {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p("# Telegent onboarding hand-off\n\n")
	p("| | |\n|---|---|\n")
	p("| Account | %s |\n", mdCode(s.AccountID))
	p("| Base URL | %s |\n", mdCode(s.BaseURL))
	p("| Started | %s |\n", fmtTime(s.StartedAt))
	p("| Last change | %s |\n", fmtTime(lastChange(s)))
	p("\n## Steps\n\n| # | Step | Status | ID |\n|---|---|---|---|\n")
	for step := Credentials; step < NumSteps; step++ {
		st := s.Steps[step]
		word := statusWords[st.Status]
		if word == "" {
			word = string(st.Status)
		}
		id := s.ID(step)
		cell := mdCode(id)
		if id == "skipped" {
			cell = "–"
		}
		p("| %d | %s | %s | %s |\n", int(step)+1, step.Title(), word, cell)
	}
	p("\n## IDs\n\n| Name | Value |\n|---|---|\n")
	for _, id := range SummaryIDs(s) {
		if id.Value != "" && id.Value != "skipped" {
			p("| %s | %s |\n", id.Long, mdCode(id.Value))
		}
		if id.Key == "OrderId" && s.IDs.OrderStatus != "" {
			p("| OrderStatus | %s |\n", mdCode(s.IDs.OrderStatus))
		}
	}
	p("\n## Quickstart checklist\n\n")
	for _, c := range Checks(s) {
		mark := " "
		if c.OK {
			mark = "x"
		}
		p("- [%s] %s\n", mark, c.Label)
	}
	p("\n## What remains\n\n")
	remains := remaining(s)
	if len(remains) == 0 {
		remains = []string{"Nothing: every step is done. Point the message route's MessageUrl at your own service when ready."}
	}
	for _, r := range remains {
		p("- %s\n", r)
	}
	p("\n_No secrets are included: passwords, tokens and the AccountSecret are never stored or exported._\n")
	return b.String()
}

func lastChange(s *Session) time.Time {
	t := s.StartedAt
	for _, st := range s.Steps {
		if st.UpdatedAt.After(t) {
			t = st.UpdatedAt
		}
	}
	for _, c := range s.Cleanup {
		if c.At.After(t) {
			t = c.At
		}
	}
	return t
}

// remaining lists, in plain sentences, what the session has not finished.
func remaining(s *Session) []string {
	var out []string
	for step := Credentials; step < NumSteps; step++ {
		st := s.Steps[step]
		n := fmt.Sprintf("Step %d (%s)", int(step)+1, step.Title())
		switch st.Status {
		case Pending:
			out = append(out, n+": not done yet.")
		case Failed:
			out = append(out, n+": failed"+errSuffix(st.Error)+"; nothing was created.")
		case Unknown, InFlight:
			out = append(out, n+": the request was sent but its answer was lost"+errSuffix(st.Error)+"; it may exist, so look it up before retrying.")
		}
	}
	if s.IDs.OrderID != "" && s.Status(Provision) == Done && s.OrderPhase() != api.OrderSucceeded {
		out = append(out, fmt.Sprintf("Order %s is %s: follow it with `GET /numbers/order?OrderId=%s`.",
			mdCode(s.IDs.OrderID), mdCell(orNone(s.IDs.OrderStatus)), mdCell(s.IDs.OrderID)))
	}
	var removed []string
	for _, c := range s.Cleanup {
		removed = append(removed, fmt.Sprintf("%s %s %s %s", c.Kind, mdCode(c.ID), mdCell(c.Action), fmtTime(c.At)))
	}
	sort.Strings(removed)
	for _, r := range removed {
		out = append(out, "Removed by cleanup: "+r+".")
	}
	return out
}

func errSuffix(e string) string {
	if e == "" {
		return ""
	}
	return " (" + mdCell(e) + ")"
}
