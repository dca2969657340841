package wizard

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/telegent/telegent-onboard/wizard/flow"
)

// After authenticating, the wizard knows the API and the account, so it can
// look for a session file to resume. Reading it is I/O: it runs in a command.

type stateLoadedMsg struct {
	path    string
	session *flow.Session
	err     error
}

type resumeMsg struct{ session *flow.Session }

type startOverMsg struct {
	backup string
	err    error
}

// openSession settles where the session is saved and looks for an earlier
// one there.
func (sh *shared) openSession() tea.Cmd {
	path := sh.opts.StatePath
	if path == "" && !sh.opts.Sandbox {
		p, err := flow.DefaultStatePath(sh.baseURL, sh.session.AccountID)
		if err != nil {
			return sh.advance() // nowhere to save: go on, the summary is still printed
		}
		path = p
	}
	sh.statePath = path
	if path == "" {
		return sh.advance()
	}
	sh.loading = true
	load := func() tea.Msg {
		s, err := flow.LoadSession(path)
		return stateLoadedMsg{path: path, session: s, err: err}
	}
	if sh.sync {
		sh.dispatch(load())
		return nil
	}
	return load
}

// offerResume asks what to do with an earlier session: resume it (the safe
// choice: nothing is created twice), start over (the old file is kept as a
// backup), or quit.
func (m *Model) offerResume(msg stateLoadedMsg) tea.Cmd {
	sh := m.sh
	sh.loading = false
	switch {
	case errors.Is(msg.err, flow.ErrNoSession), msg.err == nil && !msg.session.HasProgress():
		return sh.save(true)
	case msg.err != nil:
		m.failure = newFailure(flow.Credentials, nil, fmt.Errorf("%w; move the file aside or pass --state to use another", msg.err))
		return nil
	}
	old := msg.session
	var lines []string
	for step := flow.MessageRoute; step < flow.NumSteps; step++ {
		st := old.Status(step)
		if st == flow.Pending {
			continue
		}
		line := fmt.Sprintf("%s: %s", step.Title(), st)
		if id := old.ID(step); id != "" && st != flow.Skipped {
			line += " " + id
		}
		lines = append(lines, line)
	}
	where := old.BaseURL
	if u, err := url.Parse(where); err == nil && u.Host != "" {
		where = u.Host
	}
	text := fmt.Sprintf("%s holds a session for %s · %s:\n%s", msg.path, where, old.AccountID, strings.Join(lines, "\n"))
	path := msg.path
	now := sh.now()
	return sh.ask(&question{
		title: "Resume the earlier session?",
		text:  text,
		answers: []answer{
			{label: "Resume", key: "r", cmd: func() tea.Msg { return resumeMsg{old} }},
			{label: "Start over", key: "s", cmd: func() tea.Msg {
				backup, err := flow.Backup(path, now)
				return startOverMsg{backup: backup, err: err}
			}},
			{label: "Quit", key: "q", cmd: tea.Quit},
		},
	})
}

// resume takes over the earlier session's steps, inputs and IDs (keeping
// this run's credentials) and continues at the first step not done. Done
// steps are not called again.
func (m *Model) resume(old *flow.Session) tea.Cmd {
	s := m.sh.session
	s.Steps, s.Inputs, s.IDs, s.Cleanup = old.Steps, old.Inputs, old.IDs, old.Cleanup
	s.StartedAt = old.StartedAt
	// What cleanup removed is gone from the account: those steps are open
	// again rather than carrying a dead ID forward.
	for step, id := range map[flow.Step]string{flow.MessageRoute: s.IDs.MessageRouteID, flow.VoiceRoute: s.IDs.VoiceRouteID, flow.Provision: s.IDs.PhoneNumber} {
		if s.Status(step) == flow.Done && s.Removed(id) {
			s.Steps[step] = flow.StepRecord{Status: flow.Pending, UpdatedAt: m.sh.now()}
		}
	}
	s.Steps[flow.Credentials] = flow.StepRecord{Status: flow.Done, UpdatedAt: m.sh.now()}
	first := s.FirstOpen()
	if first == flow.NumSteps {
		first = summaryStep
	}
	return tea.Batch(m.enter(first), m.sh.save(false))
}
