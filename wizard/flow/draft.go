package flow

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/telegent/telegent-onboard/api"
)

// Between a form's Values and a step's typed request, both ways, and the
// shaping every request gets before it is sent, whichever driver built it:
// an answers file, the wizard's form or the accessible prompts.

func b2s(b *bool, def bool) string {
	if b == nil {
		return strconv.FormatBool(def)
	}
	return strconv.FormatBool(*b)
}

func i2s(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

func s2i(s string) *int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return nil
	}
	return &n
}

// ValuesOf is a request as a form's answers.
func ValuesOf(req any) Values {
	v := Values{}
	switch r := req.(type) {
	case api.MessageRouteRequest:
		for k, s := range map[string]string{
			"RouteName": r.RouteName, "MessageUrl": r.MessageUrl, "MessageUrlMethod": r.MessageUrlMethod,
			"MessageAuthenticationType": r.MessageAuthenticationType, "MessageUsername": r.MessageUsername,
			"MessagePasswordToken": r.MessagePasswordToken, "CallbackMessageUrl": r.CallbackMessageUrl,
			"CallbackMessageUrlMethod": r.CallbackMessageUrlMethod, "CallbackMessageAuthenticationType": r.CallbackMessageAuthenticationType,
			"CallbackMessageUsername": r.CallbackMessageUsername, "CallbackMessagePasswordToken": r.CallbackMessagePasswordToken,
			"MessageRouteEnabled": b2s(r.MessageRouteEnabled, true), "InboundBypass": b2s(r.InboundBypass, false),
			"OutboundBypass": b2s(r.OutboundBypass, false), "IntelligentRouteEnabled": b2s(r.IntelligentRouteEnabled, false),
		} {
			v[k] = s
		}
	case api.VoiceRouteRequest:
		var ips []string
		for _, ip := range r.IpWhitelist {
			ips = append(ips, ip.IpAddress)
		}
		for k, s := range map[string]string{
			"RouteName": r.RouteName, "RouteType": r.RouteType, "VoiceUrl": r.VoiceUrl, "VoiceUrlMethod": r.VoiceUrlMethod,
			"VoiceAuthenticationType": r.VoiceAuthenticationType, "VoiceUsername": r.VoiceUsername, "VoicePasswordToken": r.VoicePasswordToken,
			"CallbackVoiceUrl": r.CallbackVoiceUrl, "CallbackVoiceUrlMethod": r.CallbackVoiceUrlMethod,
			"TrunkIp1": r.TrunkIp1, "TrunkPort1": r.TrunkPort1, "TrunkTransport1": r.TrunkTransport1, "TrunkUri1": r.TrunkUri1,
			"TrunkEnabled1": b2s(r.TrunkEnabled1, true), "Trunk1Priortiy": i2s(r.Trunk1Priortiy), "Trunk1Weight": i2s(r.Trunk1Weight),
			"TrunkIp2": r.TrunkIp2, "TrunkPort2": r.TrunkPort2, "TrunkTransport2": r.TrunkTransport2, "TrunkUri2": r.TrunkUri2,
			"TrunkEnabled2": b2s(r.TrunkEnabled2, false), "Trunk2Priortiy": i2s(r.Trunk2Priortiy), "Trunk2Weight": i2s(r.Trunk2Weight),
			"IpWhitelist": strings.Join(ips, ", "), "WssUri": r.WssUri, "HeaderManipulation": r.HeaderManipulation,
			"TransferCallerId": r.TransferCallerId, "TerminationUriSubdomain": r.TerminationUriSubdomain,
			"EnableSipRefer": b2s(r.EnableSipRefer, false), "SymmetricRtp": b2s(r.SymmetricRtp, false),
			"EnableTrpSecureTrunk": b2s(r.EnableTrpSecureTrunk, false), "EnablePstnTransfer": b2s(r.EnablePstnTransfer, false),
			"CnamLookup": b2s(r.CnamLookup, false), "EnableCallStreaming": b2s(r.EnableCallStreaming, false),
			"RouteEnabled": b2s(r.RouteEnabled, true), "IntelligentRouteEnabled": b2s(r.IntelligentRouteEnabled, false),
		} {
			v[k] = s
		}
	case api.AvailabilityRequest:
		v["NumberType"], v["MessageType"], v["AreaCode"], v["ZipCode"] = r.NumberType, r.MessageType, r.AreaCode, r.ZipCode
		v.SetBool("MessageEnabled", r.MessageEnabled)
		v.SetBool("VoiceEnabled", r.VoiceEnabled)
	case api.SubscriberRequest:
		v["Name"], v["Email"], v["Role"], v["Password"], v["AccountId"] = r.Name, r.Email, r.Role, r.Password, r.AccountId
	case api.ProvisionRequest:
		v["NumberType"], v["MessageType"], v["ProductType"] = r.NumberType, r.MessageType, r.ProductType
		v["ICCID"], v["AreaCode"], v["ZipCode"] = r.ICCID, r.AreaCode, r.ZipCode
		v.SetBool("MessageEnabled", r.MessageEnabled)
		v.SetBool("VoiceEnabled", r.VoiceEnabled)
	case api.OutboundMessageRequest:
		v["From"], v["Body"] = r.From, r.Body
		v["To"] = strings.Join(api.Recipients(r.To).Numbers(), ", ")
		var media []string
		for _, m := range r.MmsMedia {
			media = append(media, m.MediaUrl)
		}
		v["MmsMedia"] = strings.Join(media, ", ")
	}
	return v
}

// RequestOf builds step's request from a form's answers. Fields the form
// does not ask keep base's values (the draft the form was filled from).
func RequestOf(step Step, v Values, base any) any {
	t := func(k string) string { return strings.TrimSpace(v[k]) }
	bp := func(k string) *bool { return api.Bool(v.Bool(k)) }
	switch step {
	case MessageRoute:
		r, _ := base.(api.MessageRouteRequest)
		r.RouteName, r.MessageUrl, r.MessageUrlMethod = t("RouteName"), t("MessageUrl"), v["MessageUrlMethod"]
		r.MessageAuthenticationType, r.MessageUsername, r.MessagePasswordToken = v["MessageAuthenticationType"], t("MessageUsername"), v["MessagePasswordToken"]
		r.CallbackMessageUrl, r.CallbackMessageUrlMethod = t("CallbackMessageUrl"), v["CallbackMessageUrlMethod"]
		r.CallbackMessageAuthenticationType = v["CallbackMessageAuthenticationType"]
		r.CallbackMessageUsername, r.CallbackMessagePasswordToken = t("CallbackMessageUsername"), v["CallbackMessagePasswordToken"]
		r.MessageRouteEnabled, r.InboundBypass = bp("MessageRouteEnabled"), bp("InboundBypass")
		r.OutboundBypass, r.IntelligentRouteEnabled = bp("OutboundBypass"), bp("IntelligentRouteEnabled")
		return r
	case VoiceRoute:
		r, _ := base.(api.VoiceRouteRequest)
		r.RouteName, r.RouteType = t("RouteName"), v["RouteType"]
		r.VoiceUrl, r.VoiceUrlMethod, r.VoiceAuthenticationType = t("VoiceUrl"), v["VoiceUrlMethod"], v["VoiceAuthenticationType"]
		r.VoiceUsername, r.VoicePasswordToken = t("VoiceUsername"), v["VoicePasswordToken"]
		r.CallbackVoiceUrl, r.CallbackVoiceUrlMethod = t("CallbackVoiceUrl"), v["CallbackVoiceUrlMethod"]
		r.TrunkIp1, r.TrunkPort1, r.TrunkTransport1, r.TrunkUri1 = t("TrunkIp1"), t("TrunkPort1"), v["TrunkTransport1"], t("TrunkUri1")
		r.TrunkEnabled1, r.Trunk1Priortiy, r.Trunk1Weight = bp("TrunkEnabled1"), s2i(v["Trunk1Priortiy"]), s2i(v["Trunk1Weight"])
		r.TrunkIp2, r.TrunkPort2, r.TrunkTransport2, r.TrunkUri2 = t("TrunkIp2"), t("TrunkPort2"), v["TrunkTransport2"], t("TrunkUri2")
		r.TrunkEnabled2, r.Trunk2Priortiy, r.Trunk2Weight = bp("TrunkEnabled2"), s2i(v["Trunk2Priortiy"]), s2i(v["Trunk2Weight"])
		r.IpWhitelist = nil
		for _, ip := range SplitList(v["IpWhitelist"]) {
			r.IpWhitelist = append(r.IpWhitelist, api.IPAddress{IpAddress: ip})
		}
		r.WssUri, r.HeaderManipulation = t("WssUri"), t("HeaderManipulation")
		r.TransferCallerId, r.TerminationUriSubdomain = t("TransferCallerId"), t("TerminationUriSubdomain")
		r.EnableSipRefer, r.SymmetricRtp = bp("EnableSipRefer"), bp("SymmetricRtp")
		r.EnableTrpSecureTrunk, r.EnablePstnTransfer = bp("EnableTrpSecureTrunk"), bp("EnablePstnTransfer")
		r.CnamLookup, r.EnableCallStreaming = bp("CnamLookup"), bp("EnableCallStreaming")
		r.RouteEnabled, r.IntelligentRouteEnabled = bp("RouteEnabled"), bp("IntelligentRouteEnabled")
		return r
	case Availability:
		r, _ := base.(api.AvailabilityRequest)
		r.NumberType, r.MessageType, r.AreaCode, r.ZipCode = v["NumberType"], v["MessageType"], t("AreaCode"), t("ZipCode")
		r.MessageEnabled, r.VoiceEnabled = v.Bool("MessageEnabled"), v.Bool("VoiceEnabled")
		return r
	case Subscriber:
		r, _ := base.(api.SubscriberRequest)
		r.Name, r.Email, r.Role, r.Password, r.AccountId = t("Name"), t("Email"), v["Role"], v["Password"], t("AccountId")
		return r
	case Provision:
		r, _ := base.(api.ProvisionRequest)
		r.NumberType, r.MessageType, r.ProductType = v["NumberType"], v["MessageType"], v["ProductType"]
		r.ICCID, r.AreaCode, r.ZipCode = t("ICCID"), t("AreaCode"), t("ZipCode")
		r.MessageEnabled, r.VoiceEnabled = v.Bool("MessageEnabled"), v.Bool("VoiceEnabled")
		return r
	case TestMessage:
		r, _ := base.(api.OutboundMessageRequest)
		r.From, r.Body = t("From"), v["Body"]
		r.To = nil
		for _, n := range SplitList(v["To"]) {
			r.To = append(r.To, api.Recipient{Number: n})
		}
		r.MmsMedia = nil
		for _, u := range SplitList(v["MmsMedia"]) {
			r.MmsMedia = append(r.MmsMedia, api.MediaURL{MediaUrl: u})
		}
		return r
	}
	return base
}

// shape completes and trims a request the way every driver sends it: the
// session's account and IDs filled in, the secrets of an authentication
// type that was switched off dropped (they would go to Telegent for
// nothing), settings that only mean something with their URL dropped with
// it, an iot number locked to p2p.
func (s *Session) shape(step Step, req any) any {
	switch r := req.(type) {
	case api.MessageRouteRequest:
		if r.MessageAuthenticationType != api.AuthBasic {
			r.MessageUsername = ""
		}
		if r.MessageAuthenticationType == "" || r.MessageAuthenticationType == api.AuthNone {
			r.MessagePasswordToken = ""
		}
		if r.CallbackMessageUrl == "" {
			r.CallbackMessageUrlMethod, r.CallbackMessageAuthenticationType = "", ""
		}
		if r.CallbackMessageAuthenticationType != api.AuthBasic {
			r.CallbackMessageUsername = ""
		}
		if r.CallbackMessageAuthenticationType == "" || r.CallbackMessageAuthenticationType == api.AuthNone {
			r.CallbackMessagePasswordToken = ""
		}
		return s.MessageRouteRequest(r)
	case api.VoiceRouteRequest:
		if r.RouteType == "Trunk" {
			r.VoiceUrl, r.VoiceUrlMethod, r.VoiceAuthenticationType, r.VoiceUsername, r.VoicePasswordToken = "", "", "", "", ""
		}
		if r.VoiceAuthenticationType != api.AuthBasic {
			r.VoiceUsername = ""
		}
		if r.VoiceAuthenticationType == "" || r.VoiceAuthenticationType == api.AuthNone {
			r.VoicePasswordToken = ""
		}
		if r.CallbackVoiceUrl == "" {
			r.CallbackVoiceUrlMethod = ""
		}
		// A second trunk is only described when it has an address.
		if r.TrunkIp2 == "" && r.TrunkUri2 == "" {
			r.TrunkPort2, r.TrunkTransport2 = "", ""
			r.Trunk2Priortiy, r.Trunk2Weight, r.TrunkEnabled2 = nil, nil, nil
		}
		return s.VoiceRouteRequest(r)
	case api.AvailabilityRequest:
		if r.PageNumber == 0 {
			r.PageNumber = 1
		}
		return r
	case api.SubscriberRequest:
		return s.SubscriberRequest(r)
	case api.ProvisionRequest:
		return s.ProvisionRequest(r)
	case api.OutboundMessageRequest:
		return s.MessageRequest(r)
	}
	return req
}

// ValidateRequest checks every field of a step's request against its rule,
// then the rules between fields, before anything is sent. s may be nil (an
// answers file checked before any run); then what depends on earlier steps
// is left to the engine.
func ValidateRequest(step Step, req any, s *Session) []*FieldError {
	var errs []*FieldError
	checked := map[string]bool{} // paths whose rule (length included) was applied
	field := func(name, value string) {
		checked[name] = true
		if fe := checkValue(step, name, name, value); fe != nil {
			errs = append(errs, fe)
		}
	}
	at := func(name, path, value string) {
		checked[path] = true
		if fe := checkValue(step, name, path, value); fe != nil {
			errs = append(errs, fe)
		}
	}
	need := func(name, why string) {
		errs = append(errs, &FieldError{Step: step, Field: name, Msg: "is required " + why})
	}
	authRule := func(prefix, typ, user, pass string) {
		f := prefix + "AuthenticationType"
		switch typ {
		case api.AuthBasic:
			if strings.TrimSpace(user) == "" {
				need(prefix+"Username", "when "+f+" is Basic")
			}
			if pass == "" {
				need(prefix+"PasswordToken", "when "+f+" is Basic (the password)")
			}
		case api.AuthBearer:
			if pass == "" {
				need(prefix+"PasswordToken", "when "+f+" is Bearer (the token)")
			}
		}
	}
	switch r := req.(type) {
	case api.MessageRouteRequest:
		v := ValuesOf(r)
		for _, k := range []string{"RouteName", "MessageUrl", "MessageUrlMethod", "MessageAuthenticationType", "MessageUsername",
			"MessagePasswordToken", "CallbackMessageUrl", "CallbackMessageUrlMethod", "CallbackMessageAuthenticationType",
			"CallbackMessageUsername", "CallbackMessagePasswordToken"} {
			field(k, v[k])
		}
		authRule("Message", r.MessageAuthenticationType, r.MessageUsername, r.MessagePasswordToken)
		if r.CallbackMessageUrl != "" {
			authRule("CallbackMessage", r.CallbackMessageAuthenticationType, r.CallbackMessageUsername, r.CallbackMessagePasswordToken)
		}
	case api.VoiceRouteRequest:
		v := ValuesOf(r)
		for _, k := range []string{"RouteName", "RouteType", "VoiceUrl", "VoiceUrlMethod", "VoiceAuthenticationType", "VoiceUsername",
			"VoicePasswordToken", "CallbackVoiceUrl", "CallbackVoiceUrlMethod", "TrunkIp1", "TrunkPort1", "TrunkTransport1", "TrunkUri1",
			"Trunk1Priortiy", "Trunk1Weight", "TrunkIp2", "TrunkPort2", "TrunkTransport2", "TrunkUri2", "Trunk2Priortiy", "Trunk2Weight",
			"WssUri", "HeaderManipulation", "TransferCallerId", "TerminationUriSubdomain"} {
			field(k, v[k])
		}
		for i, ip := range r.IpWhitelist {
			rule := rules[VoiceRoute]["IpWhitelist"]
			path := fmt.Sprintf("IpWhitelist[%d].IpAddress", i)
			if err := rule.Each(ip.IpAddress); err != nil {
				errs = append(errs, &FieldError{Step: step, Field: path, Msg: err.Error(), Got: ip.IpAddress})
			}
		}
		if r.RouteType != "Trunk" {
			authRule("Voice", r.VoiceAuthenticationType, r.VoiceUsername, r.VoicePasswordToken)
		}
		switch {
		case r.RouteType == "URL" && r.VoiceUrl == "":
			need("VoiceUrl", "when RouteType is URL")
		case r.RouteType == "Trunk" && r.TrunkIp1 == "" && r.TrunkUri1 == "":
			need("TrunkIp1", "when RouteType is Trunk (or give TrunkUri1)")
		}
	case api.AvailabilityRequest:
		for _, k := range []string{"NumberType", "MessageType", "AreaCode", "ZipCode"} {
			field(k, ValuesOf(r)[k])
		}
		if r.PageNumber < 0 {
			errs = append(errs, &FieldError{Step: step, Field: "PageNumber", Msg: fmt.Sprintf("must be 1 or more, got %d", r.PageNumber)})
		}
	case api.SubscriberRequest:
		for _, k := range []string{"Name", "Email", "Role", "Password"} {
			field(k, ValuesOf(r)[k])
		}
		if s != nil {
			field("AccountId", r.AccountId)
		}
		for i, p := range r.PhoneNumbers {
			if strings.TrimSpace(p) != "" {
				at("PhoneNumbers", fmt.Sprintf("PhoneNumbers[%d]", i), p)
			}
		}
	case api.ProvisionRequest:
		v := ValuesOf(r)
		for _, k := range []string{"NumberType", "MessageType", "ICCID", "AreaCode", "ZipCode"} {
			field(k, v[k])
		}
		if r.ProductType == "" {
			field("ProductType", "")
		} else if pt := api.NormalizeProductType(r.ProductType); !slices.Contains(api.ProductTypes, pt) {
			errs = append(errs, &FieldError{Step: step, Field: "ProductType", Msg: "must be " + orList(api.ProductTypes), Got: r.ProductType})
		}
		for _, k := range []string{"MessageRouteId", "VoiceRouteId", "AssignedSubscriberId"} {
			field(k, map[string]string{"MessageRouteId": r.MessageRouteId, "VoiceRouteId": r.VoiceRouteId, "AssignedSubscriberId": r.AssignedSubscriberId}[k])
		}
		if r.NumberType == "iot" {
			if r.MessageType == "a2p" {
				errs = append(errs, &FieldError{Step: step, Field: "MessageType", Msg: `must be "p2p" for NumberType "iot" (iot is p2p only; use "mvno" for a2p)`})
			}
			if r.VoiceEnabled {
				errs = append(errs, &FieldError{Step: step, Field: "VoiceEnabled", Msg: `must be false for NumberType "iot" (data and p2p messaging only; use "mvno" for voice)`})
			}
		}
		if s != nil && r.VoiceEnabled && r.VoiceRouteId == "" && !s.VoiceReady() {
			errs = append(errs, &FieldError{Step: step, Field: "VoiceEnabled", Msg: "needs a voice route: go back to step 3, or leave it off"})
		}
	case api.OutboundMessageRequest:
		if len(r.To) == 0 {
			errs = append(errs, &FieldError{Step: step, Field: "To", Msg: `is required: a list of recipients like [{"Number": "+18015737111"}]`})
		}
		for i, to := range r.To {
			rule := rules[TestMessage]["To"]
			path := fmt.Sprintf("To[%d].Number", i)
			if strings.TrimSpace(to.Number) == "" {
				errs = append(errs, &FieldError{Step: step, Field: path, Msg: "is required"})
			} else if err := rule.Each(to.Number); err != nil {
				errs = append(errs, &FieldError{Step: step, Field: path, Msg: err.Error(), Got: to.Number})
			}
		}
		if s != nil || r.From != "" {
			field("From", r.From)
		}
		field("Body", r.Body)
		field("Owner", r.Owner)
		for i, m := range r.MmsMedia {
			if err := rules[TestMessage]["MmsMedia"].Each(m.MediaUrl); err != nil {
				errs = append(errs, &FieldError{Step: step, Field: fmt.Sprintf("MmsMedia[%d].MediaUrl", i), Msg: err.Error(), Got: clip(m.MediaUrl, 40)})
			}
		}
	}
	return append(errs, lengths(step, req, checked)...)
}

// lengths bounds every string of a request that no rule above checked
// (CampaignId, a media's Base64, …), by its field's bound, so a runaway
// value anywhere is refused before the run creates anything. The message
// gives the length, never the value, which may be a secret.
func lengths(step Step, req any, checked map[string]bool) []*FieldError {
	raw, err := json.Marshal(req)
	if err != nil {
		return nil
	}
	var tree any
	if json.Unmarshal(raw, &tree) != nil {
		return nil
	}
	var errs []*FieldError
	var walk func(path, key string, val any)
	walk = func(path, key string, val any) {
		switch t := val.(type) {
		case string:
			if checked[path] || checked[key] && path == key {
				return
			}
			if n, lim := utf8.RuneCountInString(t), RuleOf(step, key).Max; n > lim {
				errs = append(errs, &FieldError{Step: step, Field: path, Msg: fmt.Sprintf("must be at most %d characters, got %d", lim, n)})
			}
		case map[string]any:
			keys := make([]string, 0, len(t))
			for k := range t {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				p := k
				if path != "" {
					p = path + "." + k
				}
				walk(p, k, t[k])
			}
		case []any:
			for i, item := range t {
				walk(fmt.Sprintf("%s[%d]", path, i), key, item)
			}
		}
	}
	walk("", "", tree)
	return errs
}
