package sandbox

import (
	"net/http"
	"strings"

	"github.com/telegent/telegent-onboard/api/validate"
)

type messageRouteRec struct {
	MessageRoute
	deleted bool
}

type voiceRouteRec struct {
	VoiceRoute
	deleted bool
}

func (v *voiceRouteRec) copy() VoiceRoute {
	out := v.VoiceRoute
	out.IpWhiteList = append([]IPAddress{}, v.IpWhiteList...)
	return out
}

// Request bodies use pointers for booleans and integers so that an absent
// value can take its documented default and a required one can be missed.

type messageRouteRequest struct {
	RouteName                         string `json:"RouteName"`
	MessageUrl                        string `json:"MessageUrl"`
	MessageUrlMethod                  string `json:"MessageUrlMethod"`
	MessageRouteEnabled               *bool  `json:"MessageRouteEnabled"`
	MessageAuthenticationType         string `json:"MessageAuthenticationType"`
	MessageUsername                   string `json:"MessageUsername"`
	MessagePasswordToken              string `json:"MessagePasswordToken"`
	CallbackMessageUrl                string `json:"CallbackMessageUrl"`
	CallbackMessageUrlMethod          string `json:"CallbackMessageUrlMethod"`
	CallbackMessageAuthenticationType string `json:"CallbackMessageAuthenticationType"`
	CallbackMessageUsername           string `json:"CallbackMessageUsername"`
	CallbackMessagePasswordToken      string `json:"CallbackMessagePasswordToken"`
	InboundBypass                     *bool  `json:"InboundBypass"`
	OutboundBypass                    *bool  `json:"OutboundBypass"`
	IntelligentRouteEnabled           *bool  `json:"IntelligentRouteEnabled"`
	AccountId                         string `json:"AccountId"`
}

func (req *messageRouteRequest) validate() *apiError {
	for _, e := range []func() *apiError{
		func() *apiError { return required("RouteName", req.RouteName) },
		func() *apiError { return check("MessageUrl", req.MessageUrl, validate.URL) },
		func() *apiError { return required("MessageUrlMethod", req.MessageUrlMethod) },
		func() *apiError { return oneOf("MessageUrlMethod", &req.MessageUrlMethod, "GET", "POST") },
		func() *apiError {
			return authRules("Message", &req.MessageAuthenticationType, req.MessageUsername, req.MessagePasswordToken)
		},
		func() *apiError { return checkOptional("CallbackMessageUrl", req.CallbackMessageUrl, validate.URL) },
		func() *apiError {
			return oneOf("CallbackMessageUrlMethod", &req.CallbackMessageUrlMethod, "GET", "POST")
		},
		func() *apiError {
			return authRules("CallbackMessage", &req.CallbackMessageAuthenticationType,
				req.CallbackMessageUsername, req.CallbackMessagePasswordToken)
		},
		func() *apiError { return checkAccount(req.AccountId) },
	} {
		if err := e(); err != nil {
			return err
		}
	}
	// Receipts need a method; POST is what the docs show everywhere.
	if req.CallbackMessageUrl != "" && req.CallbackMessageUrlMethod == "" {
		req.CallbackMessageUrlMethod = "POST"
	}
	return nil
}

// Route names are not required to be unique: the API does not document
// such a rule, and inventing one would hide a client's duplicate-create bug
// behind an error the real API never gives.
func (s *Server) createMessageRoute(r *http.Request) (any, *apiError) {
	var req messageRouteRequest
	if e := decodeBody(r, &req); e != nil {
		return nil, e
	}
	if e := req.validate(); e != nil {
		return nil, e
	}
	route := MessageRoute{
		MessageRouteId:                    "MRID-" + newUUID(),
		AccountId:                         DemoAccountID,
		RouteName:                         req.RouteName,
		MessageUrl:                        req.MessageUrl,
		MessageUrlMethod:                  req.MessageUrlMethod,
		MessageRouteEnabled:               boolOr(req.MessageRouteEnabled, true),
		MessageAuthenticationType:         req.MessageAuthenticationType,
		MessageUsername:                   req.MessageUsername,
		MessagePasswordToken:              req.MessagePasswordToken,
		CallbackMessageUrl:                req.CallbackMessageUrl,
		CallbackMessageUrlMethod:          req.CallbackMessageUrlMethod,
		CallbackMessageAuthenticationType: req.CallbackMessageAuthenticationType,
		CallbackMessageUsername:           req.CallbackMessageUsername,
		CallbackMessagePasswordToken:      req.CallbackMessagePasswordToken,
		InboundBypass:                     boolOr(req.InboundBypass, false),
		OutboundBypass:                    boolOr(req.OutboundBypass, false),
		IntelligentRouteEnabled:           boolOr(req.IntelligentRouteEnabled, false),
	}
	s.mu.Lock()
	s.messageRoutes = append(s.messageRoutes, &messageRouteRec{MessageRoute: route})
	s.mu.Unlock()
	return route, nil
}

// messageRouteItem is a list entry: the route without its secrets.
type messageRouteItem struct {
	MessageRouteId                    string `json:"MessageRouteId"`
	AccountId                         string `json:"AccountId"`
	RouteName                         string `json:"RouteName"`
	MessageUrl                        string `json:"MessageUrl"`
	MessageUrlMethod                  string `json:"MessageUrlMethod"`
	MessageRouteEnabled               bool   `json:"MessageRouteEnabled"`
	MessageAuthenticationType         string `json:"MessageAuthenticationType"`
	MessageUsername                   string `json:"MessageUsername"`
	CallbackMessageUrl                string `json:"CallbackMessageUrl"`
	CallbackMessageUrlMethod          string `json:"CallbackMessageUrlMethod"`
	CallbackMessageAuthenticationType string `json:"CallbackMessageAuthenticationType"`
	CallbackMessageUsername           string `json:"CallbackMessageUsername"`
	InboundBypass                     bool   `json:"InboundBypass"`
	OutboundBypass                    bool   `json:"OutboundBypass"`
	IntelligentRouteEnabled           bool   `json:"IntelligentRouteEnabled"`
}

type routeList[T any] struct {
	AccountID   string `json:"AccountID"`
	TotalRoutes int    `json:"TotalRoutes"`
	Results     []T    `json:"Results"`
}

func (s *Server) listMessageRoutes(r *http.Request) (any, *apiError) {
	acct, e := requiredQuery(r, "AccountId")
	if e != nil {
		return nil, e
	}
	if e := checkAccount(acct); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := routeList[messageRouteItem]{AccountID: DemoAccountID, Results: []messageRouteItem{}}
	for _, m := range s.messageRoutes {
		if m.deleted {
			continue
		}
		out.Results = append(out.Results, messageRouteItem{
			MessageRouteId: m.MessageRouteId, AccountId: m.AccountId, RouteName: m.RouteName,
			MessageUrl: m.MessageUrl, MessageUrlMethod: m.MessageUrlMethod, MessageRouteEnabled: m.MessageRouteEnabled,
			MessageAuthenticationType: m.MessageAuthenticationType, MessageUsername: m.MessageUsername,
			CallbackMessageUrl: m.CallbackMessageUrl, CallbackMessageUrlMethod: m.CallbackMessageUrlMethod,
			CallbackMessageAuthenticationType: m.CallbackMessageAuthenticationType,
			CallbackMessageUsername:           m.CallbackMessageUsername,
			InboundBypass:                     m.InboundBypass, OutboundBypass: m.OutboundBypass,
			IntelligentRouteEnabled: m.IntelligentRouteEnabled,
		})
	}
	out.TotalRoutes = len(out.Results)
	return out, nil
}

func (s *Server) getMessageRoute(r *http.Request) (any, *apiError) {
	id, e := requiredQuery(r, "MessageRouteId")
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.messageRoute(id)
	if m == nil {
		return nil, notFound("message route %s does not exist.", q(id))
	}
	return m.MessageRoute, nil
}

// messageRoute finds a live route; called with s.mu held.
func (s *Server) messageRoute(id string) *messageRouteRec {
	for _, m := range s.messageRoutes {
		if m.MessageRouteId == id && !m.deleted {
			return m
		}
	}
	return nil
}

func (s *Server) voiceRoute(id string) *voiceRouteRec {
	for _, v := range s.voiceRoutes {
		if v.CallRouteId == id && !v.deleted {
			return v
		}
	}
	return nil
}

type deleteMessageRouteRequest struct {
	MessageRouteId string `json:"MessageRouteId"`
}

type deleteVoiceRouteRequest struct {
	CallRouteId string `json:"CallRouteId"`
}

func (s *Server) deleteMessageRoute(r *http.Request) (any, *apiError) {
	var req deleteMessageRouteRequest
	if e := decodeBody(r, &req); e != nil {
		return nil, e
	}
	if e := required("MessageRouteId", req.MessageRouteId); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.messageRoute(req.MessageRouteId)
	if m == nil {
		return nil, notFound("message route %s does not exist.", q(req.MessageRouteId))
	}
	if users := s.routeUsers(func(n *numberRec) bool { return n.info.MessageRouteId == m.MessageRouteId }); len(users) > 0 {
		return nil, conflict("message route %s is used by %d number(s) (%s); cancel or move them first.",
			m.MessageRouteId, len(users), strings.Join(users, ", "))
	}
	m.deleted = true
	return map[string]string{"MessageRouteStatus": "Deleted", "MRID": m.MessageRouteId}, nil
}

func (s *Server) deleteVoiceRoute(r *http.Request) (any, *apiError) {
	var req deleteVoiceRouteRequest
	if e := decodeBody(r, &req); e != nil {
		return nil, e
	}
	if e := required("CallRouteId", req.CallRouteId); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.voiceRoute(req.CallRouteId)
	if v == nil {
		return nil, notFound("voice route %s does not exist.", q(req.CallRouteId))
	}
	if users := s.routeUsers(func(n *numberRec) bool { return n.info.VoiceRouteId == v.CallRouteId }); len(users) > 0 {
		return nil, conflict("voice route %s is used by %d number(s) (%s); cancel or move them first.",
			v.CallRouteId, len(users), strings.Join(users, ", "))
	}
	v.deleted = true
	return map[string]string{"CallRouteStatus": "Deleted", "CallRouteId": v.CallRouteId}, nil
}

// routeUsers lists the numbers, not cancelled, that match; s.mu held.
// Cancelled numbers do not hold a route, so cancelling is how a customer
// frees one.
func (s *Server) routeUsers(match func(*numberRec) bool) []string {
	var out []string
	for _, n := range s.numbers {
		if !n.cancelled && match(n) {
			out = append(out, n.info.Number)
		}
	}
	return out
}
