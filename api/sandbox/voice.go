package sandbox

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/telegent/telegent-onboard/api/validate"
)

type voiceRouteRequest struct {
	RouteName               string      `json:"RouteName"`
	RouteType               string      `json:"RouteType"`
	VoiceUrl                string      `json:"VoiceUrl"`
	VoiceUrlMethod          string      `json:"VoiceUrlMethod"`
	VoiceAuthenticationType string      `json:"VoiceAuthenticationType"`
	VoiceUsername           string      `json:"VoiceUsername"`
	VoicePasswordToken      string      `json:"VoicePasswordToken"`
	CallbackVoiceUrl        string      `json:"CallbackVoiceUrl"`
	CallbackVoiceUrlMethod  string      `json:"CallbackVoiceUrlMethod"`
	TrunkIp1                string      `json:"TrunkIp1"`
	TrunkIp2                string      `json:"TrunkIp2"`
	TrunkPort1              string      `json:"TrunkPort1"`
	TrunkPort2              string      `json:"TrunkPort2"`
	TrunkTransport1         string      `json:"TrunkTransport1"`
	TrunkTransport2         string      `json:"TrunkTransport2"`
	TrunkUri1               string      `json:"TrunkUri1"`
	TrunkUri2               string      `json:"TrunkUri2"`
	TrunkEnabled1           *bool       `json:"TrunkEnabled1"`
	TrunkEnabled2           *bool       `json:"TrunkEnabled2"`
	Trunk1Priortiy          *int        `json:"Trunk1Priortiy"`
	Trunk1Weight            *int        `json:"Trunk1Weight"`
	Trunk2Priortiy          *int        `json:"Trunk2Priortiy"`
	Trunk2Weight            *int        `json:"Trunk2Weight"`
	HeaderManipulation      string      `json:"HeaderManipulation"`
	EnableSipRefer          *bool       `json:"EnableSipRefer"`
	TransferCallerId        string      `json:"TransferCallerId"`
	SymmetricRtp            *bool       `json:"SymmetricRtp"`
	EnableTrpSecureTrunk    *bool       `json:"EnableTrpSecureTrunk"`
	EnablePstnTransfer      *bool       `json:"EnablePstnTransfer"`
	IpWhitelist             []IPAddress `json:"IpWhitelist"`
	CnamLookup              *bool       `json:"CnamLookup"`
	TerminationUriSubdomain string      `json:"TerminationUriSubdomain"`
	EnableCallStreaming     *bool       `json:"EnableCallStreaming"`
	WssUri                  string      `json:"WssUri"`
	RouteEnabled            *bool       `json:"RouteEnabled"`
	IntelligentRouteEnabled *bool       `json:"IntelligentRouteEnabled"`
	AccountId               string      `json:"AccountId"`
}

// trunkURI accepts what a SIP trunk can be reached at. The schema says
// "format: uri" and the quickstart's example is an https URL, but SIP
// trunks are normally addressed as sip:/sips: URIs, so both are accepted:
// refusing either would reject a configuration a customer can sensibly use.
func trunkURI(s string) error {
	bad := errors.New("must be an https URL or a sip:/sips: URI, like sip:trunk.example.com:5060")
	lower := strings.ToLower(s)
	rest, ok := strings.CutPrefix(lower, "sips:")
	if !ok {
		rest, ok = strings.CutPrefix(lower, "sip:")
	}
	if !ok {
		if validate.URL(s) != nil {
			return bad
		}
		return nil
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:]
	}
	host, _, _ := strings.Cut(rest, ";")
	host, _, _ = strings.Cut(host, "?")
	if host == "" || strings.ContainsAny(host, " \t\r\n/") || strings.HasPrefix(host, ":") {
		return bad
	}
	return nil
}

func (req *voiceRouteRequest) validate() *apiError {
	checks := []func() *apiError{
		func() *apiError { return required("RouteName", req.RouteName) },
		func() *apiError { return required("RouteType", req.RouteType) },
		func() *apiError { return oneOf("RouteType", &req.RouteType, "Trunk", "URL", "Forward") },
		func() *apiError { return checkOptional("VoiceUrl", req.VoiceUrl, validate.URL) },
		func() *apiError { return oneOf("VoiceUrlMethod", &req.VoiceUrlMethod, "GET", "POST") },
		func() *apiError {
			return authRules("Voice", &req.VoiceAuthenticationType, req.VoiceUsername, req.VoicePasswordToken)
		},
		func() *apiError { return checkOptional("CallbackVoiceUrl", req.CallbackVoiceUrl, validate.URL) },
		func() *apiError { return oneOf("CallbackVoiceUrlMethod", &req.CallbackVoiceUrlMethod, "GET", "POST") },
	}
	for i, t := range []struct {
		ip, port, transport, uri *string
		priority, weight         *int
	}{
		{&req.TrunkIp1, &req.TrunkPort1, &req.TrunkTransport1, &req.TrunkUri1, req.Trunk1Priortiy, req.Trunk1Weight},
		{&req.TrunkIp2, &req.TrunkPort2, &req.TrunkTransport2, &req.TrunkUri2, req.Trunk2Priortiy, req.Trunk2Weight},
	} {
		n := i + 1
		checks = append(checks,
			func() *apiError { return checkOptional(fmt.Sprintf("TrunkIp%d", n), *t.ip, validate.IP) },
			func() *apiError { return checkOptional(fmt.Sprintf("TrunkPort%d", n), *t.port, validate.Port) },
			func() *apiError { return oneOf(fmt.Sprintf("TrunkTransport%d", n), t.transport, "UDP", "TCP", "TLS") },
			func() *apiError { return checkOptional(fmt.Sprintf("TrunkUri%d", n), *t.uri, trunkURI) },
			func() *apiError { return intRange(fmt.Sprintf("Trunk%dPriortiy", n), t.priority, 0, 65535) },
			func() *apiError { return intRange(fmt.Sprintf("Trunk%dWeight", n), t.weight, 0, 65535) },
		)
	}
	checks = append(checks,
		func() *apiError {
			for i, ip := range req.IpWhitelist {
				if e := check(fmt.Sprintf("IpWhitelist[%d].IpAddress", i), ip.IpAddress, validate.IP); e != nil {
					return e
				}
			}
			return nil
		},
		func() *apiError { return checkOptional("WssUri", req.WssUri, validate.WebSocketURL) },
		func() *apiError {
			switch {
			case req.RouteType == "URL" && req.VoiceUrl == "":
				return badRequest("VoiceUrl is required when RouteType is URL")
			case req.RouteType == "Trunk" && req.TrunkIp1 == "" && req.TrunkUri1 == "":
				return badRequest("TrunkIp1 or TrunkUri1 is required when RouteType is Trunk")
			}
			return nil
		},
		func() *apiError { return checkAccount(req.AccountId) },
	)
	for _, c := range checks {
		if e := c(); e != nil {
			return e
		}
	}
	return nil
}

func (s *Server) createVoiceRoute(r *http.Request) (any, *apiError) {
	var req voiceRouteRequest
	if e := decodeBody(r, &req); e != nil {
		return nil, e
	}
	if e := req.validate(); e != nil {
		return nil, e
	}
	v := VoiceRoute{
		CallRouteId:             "CRID-" + newUUID(),
		AccountId:               DemoAccountID,
		RouteName:               req.RouteName,
		RouteType:               req.RouteType,
		VoiceUrl:                req.VoiceUrl,
		VoiceUrlMethod:          req.VoiceUrlMethod,
		VoiceAuthenticationType: req.VoiceAuthenticationType,
		VoiceUsername:           req.VoiceUsername,
		VoicePasswordToken:      req.VoicePasswordToken,
		CallbackVoiceUrl:        req.CallbackVoiceUrl,
		CallbackVoiceUrlMethod:  req.CallbackVoiceUrlMethod,
		TrunkIp1:                req.TrunkIp1,
		TrunkIp2:                req.TrunkIp2,
		TrunkPort1:              req.TrunkPort1,
		TrunkPort2:              req.TrunkPort2,
		TrunkTransport1:         req.TrunkTransport1,
		TrunkTransport2:         req.TrunkTransport2,
		TrunkUri1:               req.TrunkUri1,
		TrunkUri2:               req.TrunkUri2,
		TrunkEnabled1:           boolOr(req.TrunkEnabled1, false),
		TrunkEnabled2:           boolOr(req.TrunkEnabled2, false),
		Trunk1Priortiy:          intOr(req.Trunk1Priortiy, 0),
		Trunk1Weight:            intOr(req.Trunk1Weight, 0),
		Trunk2Priortiy:          intOr(req.Trunk2Priortiy, 0),
		Trunk2Weight:            intOr(req.Trunk2Weight, 0),
		HeaderManipulation:      req.HeaderManipulation,
		EnableSipRefer:          boolOr(req.EnableSipRefer, false),
		TransferCallerId:        req.TransferCallerId,
		SymmetricRtp:            boolOr(req.SymmetricRtp, false),
		EnableTrpSecureTrunk:    boolOr(req.EnableTrpSecureTrunk, false),
		EnablePstnTransfer:      boolOr(req.EnablePstnTransfer, false),
		CnamLookup:              boolOr(req.CnamLookup, false),
		TerminationUriSubdomain: req.TerminationUriSubdomain,
		EnableCallStreaming:     boolOr(req.EnableCallStreaming, false),
		WssUri:                  req.WssUri,
		IntelligentRouteEnabled: boolOr(req.IntelligentRouteEnabled, false),
		// Undocumented default: a route is on unless switched off, like
		// MessageRouteEnabled, whose default of true is documented.
		RouteEnabled: boolOr(req.RouteEnabled, true),
		IpWhiteList:  append([]IPAddress{}, req.IpWhitelist...),
	}
	rec := &voiceRouteRec{VoiceRoute: v}
	s.mu.Lock()
	s.voiceRoutes = append(s.voiceRoutes, rec)
	out := rec.copy()
	s.mu.Unlock()
	return out, nil
}

// voiceRouteItem is a list entry. As documented, list items spell the
// whitelist IpWhitelist and carry no VoiceUrl (nor the voice webhook's
// credentials).
type voiceRouteItem struct {
	CallRouteId             string      `json:"CallRouteId"`
	CallRouteStatus         string      `json:"CallRouteStatus"`
	AccountId               string      `json:"AccountId"`
	RouteName               string      `json:"RouteName"`
	RouteType               string      `json:"RouteType"`
	TrunkIp1                string      `json:"TrunkIp1"`
	TrunkIp2                string      `json:"TrunkIp2"`
	TrunkPort1              string      `json:"TrunkPort1"`
	TrunkPort2              string      `json:"TrunkPort2"`
	TrunkTransport1         string      `json:"TrunkTransport1"`
	TrunkTransport2         string      `json:"TrunkTransport2"`
	TrunkUri1               string      `json:"TrunkUri1"`
	TrunkUri2               string      `json:"TrunkUri2"`
	TrunkEnabled1           bool        `json:"TrunkEnabled1"`
	TrunkEnabled2           bool        `json:"TrunkEnabled2"`
	Trunk1Priortiy          int         `json:"Trunk1Priortiy"`
	Trunk1Weight            int         `json:"Trunk1Weight"`
	Trunk2Priortiy          int         `json:"Trunk2Priortiy"`
	Trunk2Weight            int         `json:"Trunk2Weight"`
	HeaderManipulation      string      `json:"HeaderManipulation"`
	EnableSipRefer          bool        `json:"EnableSipRefer"`
	TransferCallerId        string      `json:"TransferCallerId"`
	SymmetricRtp            bool        `json:"SymmetricRtp"`
	EnableTrpSecureTrunk    bool        `json:"EnableTrpSecureTrunk"`
	EnablePstnTransfer      bool        `json:"EnablePstnTransfer"`
	IpWhitelist             []IPAddress `json:"IpWhitelist"`
	CnamLookup              bool        `json:"CnamLookup"`
	TerminationUriSubdomain string      `json:"TerminationUriSubdomain"`
	EnableCallStreaming     bool        `json:"EnableCallStreaming"`
	WssUri                  string      `json:"WssUri"`
	RouteEnabled            bool        `json:"RouteEnabled"`
	IntelligentRouteEnabled bool        `json:"IntelligentRouteEnabled"`
}

func (s *Server) listVoiceRoutes(r *http.Request) (any, *apiError) {
	acct, e := requiredQuery(r, "AccountId")
	if e != nil {
		return nil, e
	}
	if e := checkAccount(acct); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := routeList[voiceRouteItem]{AccountID: DemoAccountID, Results: []voiceRouteItem{}}
	for _, rec := range s.voiceRoutes {
		if rec.deleted {
			continue
		}
		v := rec.copy()
		out.Results = append(out.Results, voiceRouteItem{
			CallRouteId: v.CallRouteId, CallRouteStatus: "Active", AccountId: v.AccountId,
			RouteName: v.RouteName, RouteType: v.RouteType,
			TrunkIp1: v.TrunkIp1, TrunkIp2: v.TrunkIp2, TrunkPort1: v.TrunkPort1, TrunkPort2: v.TrunkPort2,
			TrunkTransport1: v.TrunkTransport1, TrunkTransport2: v.TrunkTransport2,
			TrunkUri1: v.TrunkUri1, TrunkUri2: v.TrunkUri2, TrunkEnabled1: v.TrunkEnabled1, TrunkEnabled2: v.TrunkEnabled2,
			Trunk1Priortiy: v.Trunk1Priortiy, Trunk1Weight: v.Trunk1Weight,
			Trunk2Priortiy: v.Trunk2Priortiy, Trunk2Weight: v.Trunk2Weight,
			HeaderManipulation: v.HeaderManipulation, EnableSipRefer: v.EnableSipRefer,
			TransferCallerId: v.TransferCallerId, SymmetricRtp: v.SymmetricRtp,
			EnableTrpSecureTrunk: v.EnableTrpSecureTrunk, EnablePstnTransfer: v.EnablePstnTransfer,
			IpWhitelist: v.IpWhiteList, CnamLookup: v.CnamLookup, TerminationUriSubdomain: v.TerminationUriSubdomain,
			EnableCallStreaming: v.EnableCallStreaming, WssUri: v.WssUri, RouteEnabled: v.RouteEnabled,
			IntelligentRouteEnabled: v.IntelligentRouteEnabled,
		})
	}
	out.TotalRoutes = len(out.Results)
	return out, nil
}

// voiceRouteDetail is one route: the create echo plus its status.
type voiceRouteDetail struct {
	CallRouteStatus string `json:"CallRouteStatus"`
	VoiceRoute
}

func (s *Server) getVoiceRoute(r *http.Request) (any, *apiError) {
	id, e := requiredQuery(r, "CallRouteID")
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.voiceRoute(id)
	if v == nil {
		return nil, notFound("voice route %s does not exist.", q(id))
	}
	return voiceRouteDetail{CallRouteStatus: "Active", VoiceRoute: v.copy()}, nil
}
