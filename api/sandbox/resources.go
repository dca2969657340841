package sandbox

import "time"

// The exported types are the sandbox's own reading of the API's JSON, kept
// apart from package api on purpose. Field names are the JSON keys.

// MessageRoute is a message route as create and GET /message/routes return
// it.
type MessageRoute struct {
	MessageRouteId                    string `json:"MessageRouteId"`
	AccountId                         string `json:"AccountId"`
	RouteName                         string `json:"RouteName"`
	MessageUrl                        string `json:"MessageUrl"`
	MessageUrlMethod                  string `json:"MessageUrlMethod"`
	MessageRouteEnabled               bool   `json:"MessageRouteEnabled"`
	MessageAuthenticationType         string `json:"MessageAuthenticationType"`
	MessageUsername                   string `json:"MessageUsername"`
	MessagePasswordToken              string `json:"MessagePasswordToken"`
	CallbackMessageUrl                string `json:"CallbackMessageUrl"`
	CallbackMessageUrlMethod          string `json:"CallbackMessageUrlMethod"`
	CallbackMessageAuthenticationType string `json:"CallbackMessageAuthenticationType"`
	CallbackMessageUsername           string `json:"CallbackMessageUsername"`
	CallbackMessagePasswordToken      string `json:"CallbackMessagePasswordToken"`
	InboundBypass                     bool   `json:"InboundBypass"`
	OutboundBypass                    bool   `json:"OutboundBypass"`
	IntelligentRouteEnabled           bool   `json:"IntelligentRouteEnabled"`
}

// IPAddress is one entry of a voice route's whitelist.
type IPAddress struct {
	IpAddress string `json:"IpAddress"`
}

// VoiceRoute is a voice route as create returns it (note IpWhiteList, the
// echo's spelling).
type VoiceRoute struct {
	CallRouteId             string      `json:"CallRouteId"`
	AccountId               string      `json:"AccountId"`
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
	CnamLookup              bool        `json:"CnamLookup"`
	TerminationUriSubdomain string      `json:"TerminationUriSubdomain"`
	EnableCallStreaming     bool        `json:"EnableCallStreaming"`
	WssUri                  string      `json:"WssUri"`
	IntelligentRouteEnabled bool        `json:"IntelligentRouteEnabled"`
	RouteEnabled            bool        `json:"RouteEnabled"`
	IpWhiteList             []IPAddress `json:"IpWhiteList"`
}

// Account is the account a subscriber belongs to.
type Account struct {
	AccountId   string `json:"AccountId"`
	CompanyName string `json:"CompanyName"`
}

// Subscriber is a subscriber as create and get return it. There is no
// password field: the sandbox never keeps one.
type Subscriber struct {
	SubscriberId string   `json:"SubscriberId"`
	Name         string   `json:"Name"`
	Email        string   `json:"Email"`
	PhoneNumbers []string `json:"PhoneNumbers"`
	Role         string   `json:"Role"`
	Account      Account  `json:"Account"`
}

// Number is a provisioned number as GET /numbers returns it. Status is
// Pending until its order completes, then Active, or Cancelled.
type Number struct {
	Number                string `json:"Number"`
	TNID                  string `json:"TNID"`
	OrderId               string `json:"OrderId"`
	NumberType            string `json:"NumberType"`
	MessageEnabled        bool   `json:"MessageEnabled"`
	MessageRouteId        string `json:"MessageRouteId"`
	VoiceEnabled          bool   `json:"VoiceEnabled"`
	VoiceRouteId          string `json:"VoiceRouteId"`
	MessageType           string `json:"MessageType"`
	ProductType           string `json:"ProductType"`
	Status                string `json:"Status"`
	OriginalDatePurchased string `json:"OriginalDatePurchased"`
	AssignedSubscriberId  string `json:"AssignedSubscriberId"`
	Iccid                 string `json:"Iccid"`
	QrActivationLink      string `json:"QrActivationLink"`
	AreaCode              string `json:"AreaCode"`
	ZipCode               string `json:"ZipCode"`
}

// PhoneNumberRef is the {"Number": "+1…"} object of several lists.
type PhoneNumberRef struct {
	Number string `json:"Number"`
}

// Order is a number order (OrderType "new" for provisions, "cancel" or
// "activate" for status changes).
type Order struct {
	OrderDate           string           `json:"OrderDate"`
	OrderId             string           `json:"OrderId"`
	OrderStatus         string           `json:"OrderStatus"`
	OrderStatusMessage  string           `json:"OrderStatusMessage"`
	OrderType           string           `json:"OrderType"`
	PhoneNumbersOrdered []PhoneNumberRef `json:"PhoneNumbersOrdered"`
}

// Recipient is one addressee of a message with its delivery status. The
// per-recipient Status is a sandbox addition to the documented {"Number"}.
type Recipient struct {
	Number string `json:"Number"`
	Status string `json:"Status"`
}

// MediaURL is an MMS attachment by URL.
type MediaURL struct {
	MediaUrl string `json:"MediaUrl"`
}

// MediaBase64 is an inline MMS attachment.
type MediaBase64 struct {
	Base64   string `json:"Base64"`
	BaseType string `json:"BaseType"`
}

// Message is an outbound message as the send returns it.
type Message struct {
	MessageId   string        `json:"MessageId"`
	Direction   string        `json:"Direction"`
	Type        string        `json:"Type"`
	CampaignId  string        `json:"CampaignId"`
	Cost        float64       `json:"Cost"`
	Status      string        `json:"Status"`
	To          []Recipient   `json:"To"`
	From        string        `json:"From"`
	Owner       string        `json:"Owner"`
	Body        string        `json:"Body"`
	CreatedOn   string        `json:"CreatedOn"`
	MessageType string        `json:"MessageType"`
	MmsMedia    []MediaURL    `json:"MmsMedia"`
	MmsBase64   []MediaBase64 `json:"MmsBase64"`
}

// WebhookAttempt records one try at posting a delivery receipt, or a
// receipt that was skipped (Outcome "skipped", Attempt 0) because its URL
// is not on a loopback host.
type WebhookAttempt struct {
	Time       string `json:"Time"`
	Kind       string `json:"Kind"` // delivery-report or inbound
	MessageId  string `json:"MessageId"`
	Recipient  string `json:"Recipient"`
	URL        string `json:"URL"`
	Method     string `json:"Method"`
	Attempt    int    `json:"Attempt"`
	StatusCode int    `json:"StatusCode"`
	Error      string `json:"Error"`
	Outcome    string `json:"Outcome"` // delivered, failed or skipped
}

// Resources is everything the sandbox holds, in creation order. Passwords
// of routes are shown as "***"; deleted routes are left out.
type Resources struct {
	MessageRoutes   []MessageRoute   `json:"MessageRoutes"`
	VoiceRoutes     []VoiceRoute     `json:"VoiceRoutes"`
	Subscribers     []Subscriber     `json:"Subscribers"`
	Numbers         []Number         `json:"Numbers"`
	Orders          []Order          `json:"Orders"`
	Messages        []Message        `json:"Messages"`
	WebhookAttempts []WebhookAttempt `json:"WebhookAttempts"`
}

// Resources returns a snapshot of the sandbox's state; it is what
// GET /_sandbox/resources serves.
func (s *Server) Resources() Resources {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	res := Resources{
		MessageRoutes: []MessageRoute{}, VoiceRoutes: []VoiceRoute{}, Subscribers: []Subscriber{},
		Numbers: []Number{}, Orders: []Order{}, Messages: []Message{},
		WebhookAttempts: append([]WebhookAttempt{}, s.attempts...),
	}
	for _, r := range s.messageRoutes {
		if !r.deleted {
			m := r.MessageRoute
			m.MessagePasswordToken = redact(m.MessagePasswordToken)
			m.CallbackMessagePasswordToken = redact(m.CallbackMessagePasswordToken)
			res.MessageRoutes = append(res.MessageRoutes, m)
		}
	}
	for _, r := range s.voiceRoutes {
		if !r.deleted {
			v := r.copy()
			v.VoicePasswordToken = redact(v.VoicePasswordToken)
			res.VoiceRoutes = append(res.VoiceRoutes, v)
		}
	}
	for _, sub := range s.subscribers {
		res.Subscribers = append(res.Subscribers, copySubscriber(sub))
	}
	for _, n := range s.numbers {
		res.Numbers = append(res.Numbers, n.view(now))
	}
	for _, o := range s.orders {
		res.Orders = append(res.Orders, o.view(now))
	}
	for _, m := range s.messages {
		res.Messages = append(res.Messages, m.copy())
	}
	return res
}

func redact(secret string) string {
	if secret == "" {
		return ""
	}
	return "***"
}

func timestamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
