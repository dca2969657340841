package flow

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/telegent/telegent-onboard/api"
)

// The questions the engine asks before anything that costs something or
// cannot be undone. Every driver answers them: the wizard in a panel, the
// accessible mode at a prompt, a headless run by its policy ((*Headless).answer).
// The safe answer comes first in Choices only where it is also the default.

// QuestionID names a question, for a driver's policy.
type QuestionID int

const (
	QResume          QuestionID = iota // an earlier session was found
	QUnknownOutcome                    // the step's last request may have created something
	QNotFoundYet                       // a lost answer's resource is not listed (yet)
	QSecondResource                    // the step already created one; the input changed
	QBuy                               // a live purchase
	QSubscriberLost                    // a subscriber's answer was lost; no look-up by email
	QSubscriberTaken                   // sent again: the email is taken, so the first went through
	QWhichRoute                        // a lost answer's look-up found several candidates
	QCreateAnyway                      // the route's webhook failed a check
)

// Choice values, as Answer takes them.
const (
	ChoiceResume    = "resume"
	ChoiceStartOver = "start-over"
	ChoiceQuit      = "quit"
	ChoiceLookup    = "lookup"
	ChoiceSend      = "send"
	ChoiceBack      = "back"
	ChoiceCreate    = "create"
	ChoiceKeep      = "keep"
	ChoiceBuy       = "buy"
	ChoiceEdit      = "edit"
	ChoiceAdopt     = "adopt"
	ChoiceSkip      = "skip"
)

// Question is a decision for the person.
type Question struct {
	ID      QuestionID
	Step    Step
	Title   string
	Text    string
	Choices []QuestionChoice
	Default int // the index preselected: the safe answer
}

// QuestionChoice is one answer: its value, what a person reads, and a key.
type QuestionChoice struct {
	Value, Label, Key string
}

func unknownQuestion(step Step) *Question {
	return &Question{ID: QUnknownOutcome, Step: step, Title: step.Title() + ": the outcome is unknown",
		Text: "A request for this step was sent, but its answer never arrived, so it may have been carried out. " +
			"Look it up first: if it exists it is adopted, and nothing is created twice.",
		Choices: []QuestionChoice{{ChoiceLookup, "Look it up", "l"}, {ChoiceSend, "Send it again", "s"}, {ChoiceBack, "Back", "b"}}}
}

func notFoundQuestion(step Step) *Question {
	return &Question{ID: QNotFoundYet, Step: step, Title: step.Title() + ": not found yet",
		Text: "The answer to this request was lost, and the look-up does not find what it would have created. " +
			"It may not be listed yet: look again in a moment, or send it again if you are sure it was not created.",
		Choices: []QuestionChoice{{ChoiceLookup, "Look again", "l"}, {ChoiceSend, "Send it again", "s"}, {ChoiceBack, "Back", "b"}}}
}

func secondQuestion(step Step, id string) *Question {
	what := strings.ToLower(step.Title())
	return &Question{ID: QSecondResource, Step: step, Title: "A " + what + " already exists", Default: 1,
		Text: "This session already created " + id + ". Create another " + what +
			" with the changed settings? The existing one stays on the account.",
		Choices: []QuestionChoice{{ChoiceCreate, "Create another", "y"}, {ChoiceKeep, "Keep " + id, "n"}}}
}

// withArticle puts "a" or "an" before a word as it is said: "an mvno"
// and "an iot" (spelt out or said with a vowel), "a mobile", "a voip".
func withArticle(word string) string {
	switch strings.ToLower(word) {
	case "mvno", "sms", "mms", "iot", "esim":
		return "an " + word
	}
	if word != "" && strings.ContainsRune("aeiouAEIOU", rune(word[0])) {
		return "an " + word
	}
	return "a " + word
}

func buyQuestion(req api.ProvisionRequest, account string) *Question {
	where := "any area"
	if req.AreaCode != "" || req.ZipCode != "" {
		where = strings.Trim(req.AreaCode+" / "+req.ZipCode, " /")
	}
	return &Question{ID: QBuy, Step: Provision, Title: "Buy a number?", Default: 1,
		Text: fmt.Sprintf("This purchases %s number (%s, %s) on account %s, and it is billed like any other.",
			withArticle(req.NumberType), req.ProductType, where, account),
		Choices: []QuestionChoice{{ChoiceBuy, "Buy the number", "y"}, {ChoiceEdit, "Not now", "n"}}}
}

func subscriberLostQuestion(s *Session) *Question {
	return &Question{ID: QSubscriberLost, Step: Subscriber, Title: "Was the subscriber created?",
		Text: "The API cannot look a subscriber up by email. Send it again: if the email is taken, the first attempt " +
			"succeeded and you will be asked for its SubscriberId (TSUID). Or go on without assigning a subscriber.",
		Choices: []QuestionChoice{{ChoiceSend, "Send it again", "s"}, {ChoiceAdopt, "Enter its TSUID", "t"}, {ChoiceSkip, "Go on without one", "g"}}}
}

func subscriberTakenQuestion(s *Session) *Question {
	email := ""
	if in := s.Inputs.Subscriber; in != nil {
		email = in.Email
	}
	return &Question{ID: QSubscriberTaken, Step: Subscriber, Title: "The earlier attempt created the subscriber",
		Text: "Telegent says " + email + " is taken: the first attempt succeeded. Enter its SubscriberId (TSUID) to use it, " +
			"or go on without assigning a subscriber.",
		Choices: []QuestionChoice{{ChoiceAdopt, "Enter its TSUID", "t"}, {ChoiceSkip, "Go on without one", "g"}}}
}

func ambiguousQuestion(step Step, ids []string) *Question {
	q := &Question{ID: QWhichRoute, Step: step, Title: step.Title() + ": which one is yours?",
		Text: "The answer to the create was lost, and the look-up finds " + itoa(len(ids)) + " " + strings.ToLower(step.Title()) +
			"s of that name made since it was sent (another run with the same answers, perhaps). Adopting one would be a guess: " +
			"pick the one this session created if you know it (the Telegent portal shows when each was made), or look again."}
	for i, id := range ids {
		if i == 5 {
			break
		}
		q.Choices = append(q.Choices, QuestionChoice{Value: ChoiceAdopt + ":" + id, Label: id})
	}
	q.Choices = append(q.Choices, QuestionChoice{ChoiceLookup, "Look again", "l"}, QuestionChoice{ChoiceBack, "Back", "b"})
	q.Default = len(q.Choices) - 2
	return q
}

func resumeQuestion(path string, old *Session) *Question {
	var lines []string
	for step := MessageRoute; step < NumSteps; step++ {
		st := old.Status(step)
		if st == Pending {
			continue
		}
		line := fmt.Sprintf("%s: %s", step.Title(), st)
		if id := old.ID(step); id != "" && st != Skipped {
			line += " " + id
		}
		lines = append(lines, line)
	}
	where := old.BaseURL
	if u, err := url.Parse(where); err == nil && u.Host != "" {
		where = u.Host
	}
	return &Question{ID: QResume, Title: "Resume the earlier session?",
		Text:    fmt.Sprintf("%s holds a session for %s · %s:\n%s", path, where, old.AccountID, strings.Join(lines, "\n")),
		Choices: []QuestionChoice{{ChoiceResume, "Resume", "r"}, {ChoiceStartOver, "Start over", "s"}, {ChoiceQuit, "Quit", "q"}}}
}

// subscriberHint is what finishes a run whose subscriber may exist.
const subscriberHint = "the API cannot look a subscriber up by email: find its SubscriberId (TSUID-…) in the Telegent portal, " +
	"put it in the answers file as Subscriber.SubscriberId (or enter it in the wizard), and run again; " +
	"or use another Subscriber.Email to create a new subscriber"

// Answer takes a person's (or a policy's) answer to q. value is one of
// q's Choices; for ChoiceAdopt the driver then asks for the TSUID and calls
// AdoptSubscriber.
func (e *Engine) Answer(q *Question, value string) Next {
	s := e.Session
	step := q.Step
	switch value {
	case ChoiceQuit:
		return Next{Kind: Quit, Step: step}
	case ChoiceBack:
		return Next{Kind: Back, Step: step}
	case ChoiceResume:
		return e.resume()
	case ChoiceStartOver:
		e.old = nil
		return Next{Kind: Advance, Step: Credentials, Save: true, BackupFirst: true, Note: "started over"}
	case ChoiceLookup:
		return e.Lookup(step)
	case ChoiceSend:
		// On the person's word: the step is open again, its form shows
		// what was sent.
		if step == Subscriber && (q.ID == QSubscriberLost) {
			e.resent = true
			if in := s.Inputs.Subscriber; in != nil && in.Password != "" {
				s.mark(step, Pending, nil, e.now())
				return e.create(step, *in)
			}
		}
		s.mark(step, Pending, nil, e.now())
		return Next{Kind: Input, Step: step, Save: true}
	case ChoiceCreate:
		p := e.pending
		e.pending = nil
		if p == nil {
			return Next{Kind: Input, Step: step}
		}
		if q.ID == QCreateAnyway {
			e.webhook.accept = true // on the person's word; the rest of the step's rules still apply
			return e.Submit(p.step, p.input)
		}
		return e.confirmAndCreate(p.step, p.input)
	case ChoiceKeep:
		e.pending = nil
		return Next{Kind: Advance, Step: step, Note: s.ID(step) + " kept"}
	case ChoiceBuy:
		p := e.pending
		e.pending = nil
		if p == nil {
			return Next{Kind: Input, Step: step}
		}
		return e.create(p.step, p.input)
	case ChoiceEdit:
		// Back to the form as it was submitted, to change it.
		e.pending = nil
		n := Next{Kind: Input, Step: step, Note: "edit"}
		if q.ID == QCreateAnyway {
			field := "MessageUrl"
			if len(e.webhook.failed) > 0 && strings.HasPrefix(e.webhook.failed[0], "CallbackMessageUrl") {
				field = "CallbackMessageUrl"
			}
			n.Err = &StepError{Step: step, Reason: ReasonRefused, Field: field,
				Err: fmt.Errorf("the webhook failed %s: %s", plural(len(e.webhook.failed), "check"), strings.Join(e.webhook.failed, "; "))}
		}
		return n
	case ChoiceAdopt:
		return Next{Kind: Input, Step: Subscriber, Note: "adopt"}
	}
	if id, ok := strings.CutPrefix(value, ChoiceAdopt+":"); ok && q.ID == QWhichRoute {
		// The person named the route this session created.
		return Next{Kind: Send, Step: step, Call: &Call{Step: step, Kind: CallLookup, Label: "Adopting " + id + "…",
			session: e.Session.snapshot(), id: id}}
	}
	switch value {
	case ChoiceSkip:
		s.mark(Subscriber, Skipped, nil, e.now())
		e.lost[Subscriber] = false
		return Next{Kind: Advance, Step: Subscriber, Save: true, Note: "skipped: no subscriber is assigned"}
	}
	return Next{Kind: Ask, Step: step, Question: q}
}
