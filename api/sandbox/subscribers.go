package sandbox

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/telegent/telegent-onboard/api/validate"
)

type subscriberRequest struct {
	Name         string   `json:"Name"`
	Email        string   `json:"Email"`
	PhoneNumbers []string `json:"PhoneNumbers"`
	Role         string   `json:"Role"`
	Password     string   `json:"Password"`
	AccountId    string   `json:"AccountId"`
}

// minPasswordLength is the sandbox's own rule; the documents set none, and
// the quickstart's example password has 10 characters.
const minPasswordLength = 8

func (req *subscriberRequest) validate() (phones []string, e *apiError) {
	for _, c := range []func() *apiError{
		func() *apiError { return required("Name", req.Name) },
		func() *apiError { return check("Email", req.Email, validate.Email) },
		func() *apiError {
			if req.PhoneNumbers == nil {
				return badRequest("PhoneNumbers is required: an array of E.164 numbers, [] for none")
			}
			// The quickstart sends [""], meaning "none yet": blanks are dropped.
			for i, p := range req.PhoneNumbers {
				if p == "" {
					continue
				}
				if e := checkOptional(fmt.Sprintf("PhoneNumbers[%d]", i), p, validate.E164); e != nil {
					return e
				}
				if !slices.Contains(phones, p) {
					phones = append(phones, p)
				}
			}
			return nil
		},
		func() *apiError { return required("Role", req.Role) },
		func() *apiError { return oneOf("Role", &req.Role, "Subscriber", "Manager", "Account Admin") },
		func() *apiError { return required("Password", req.Password) },
		func() *apiError {
			if n := utf8.RuneCountInString(req.Password); n < minPasswordLength {
				return badRequest("Password must be at least %d characters; got %d", minPasswordLength, n)
			}
			return nil
		},
		func() *apiError { return required("AccountId", req.AccountId) },
		func() *apiError { return checkAccount(req.AccountId) },
	} {
		if e := c(); e != nil {
			return nil, e
		}
	}
	return phones, nil
}

// The password is checked and then dropped: a sandbox has no login, and a
// secret never stored cannot leak through /_sandbox/resources or a log.
func (s *Server) createSubscriber(r *http.Request) (any, *apiError) {
	var req subscriberRequest
	if e := decodeBody(r, &req); e != nil {
		return nil, e
	}
	phones, e := req.validate()
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sub := range s.subscribers {
		if strings.EqualFold(sub.Email, req.Email) {
			return nil, conflict("a subscriber with Email %s already exists. "+
				"Each subscriber email must be unique across the entire platform.", q(req.Email))
		}
	}
	sub := &Subscriber{
		SubscriberId: "TSUID-" + newUUID(),
		Name:         req.Name,
		Email:        req.Email,
		PhoneNumbers: append([]string{}, phones...),
		Role:         req.Role,
		Account:      Account{AccountId: DemoAccountID, CompanyName: DemoCompanyName},
	}
	s.subscribers = append(s.subscribers, sub)
	return copySubscriber(sub), nil
}

func (s *Server) getSubscriber(r *http.Request) (any, *apiError) {
	id, e := requiredQuery(r, "SubscriberId")
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sub := s.subscriber(id)
	if sub == nil {
		return nil, notFound("subscriber %s does not exist.", q(id))
	}
	return copySubscriber(sub), nil
}

// subscriber finds one by ID; s.mu held.
func (s *Server) subscriber(id string) *Subscriber {
	for _, sub := range s.subscribers {
		if sub.SubscriberId == id {
			return sub
		}
	}
	return nil
}

func copySubscriber(sub *Subscriber) Subscriber {
	out := *sub
	out.PhoneNumbers = append([]string{}, sub.PhoneNumbers...)
	return out
}
