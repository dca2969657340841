package sandbox

import (
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/telegent/telegent-onboard/api/validate"
)

// costPerRecipient is what the documented example charges for a message.
const costPerRecipient = 0.0045

type messageRec struct {
	Message
	created time.Time
	mrid    string // the From number's message route when sent
}

func (m *messageRec) copy() Message {
	out := m.Message
	out.To = append([]Recipient{}, m.To...)
	out.MmsMedia = append([]MediaURL{}, m.MmsMedia...)
	out.MmsBase64 = append([]MediaBase64{}, m.MmsBase64...)
	return out
}

type outboundRequest struct {
	CampaignId string           `json:"CampaignId"`
	To         []PhoneNumberRef `json:"To"`
	From       string           `json:"From"`
	Owner      string           `json:"Owner"`
	Body       string           `json:"Body"`
	MmsMedia   []MediaURL       `json:"MmsMedia"`
	MmsBase64  []MediaBase64    `json:"MmsBase64"`
}

func (req *outboundRequest) validate() *apiError {
	if len(req.To) == 0 {
		return badRequest("To is required: a non-empty array of recipients like [{\"Number\": \"+18015551234\"}]")
	}
	for i, t := range req.To {
		if e := check(fmt.Sprintf("To[%d].Number", i), t.Number, validate.E164); e != nil {
			return e
		}
	}
	if e := check("From", req.From, validate.E164); e != nil {
		return e
	}
	if req.Body == "" {
		return badRequest("Body is required: the text of the message")
	}
	if e := checkOptional("Owner", req.Owner, validate.E164); e != nil {
		return e
	}
	for i, m := range req.MmsMedia {
		if e := check(fmt.Sprintf("MmsMedia[%d].MediaUrl", i), m.MediaUrl, validate.URL); e != nil {
			return e
		}
	}
	for i, m := range req.MmsBase64 {
		if e := check(fmt.Sprintf("MmsBase64[%d].Base64", i), m.Base64, validate.Base64); e != nil {
			return e
		}
		if e := check(fmt.Sprintf("MmsBase64[%d].BaseType", i), m.BaseType, validate.MIMEType); e != nil {
			return e
		}
	}
	return nil
}

// sendMessage queues a message from one of the account's numbers and
// schedules its delivery receipts.
func (s *Server) sendMessage(r *http.Request) (any, *apiError) {
	var req outboundRequest
	if e := decodeBody(r, &req); e != nil {
		return nil, e
	}
	if e := req.validate(); e != nil {
		return nil, e
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.findNumber(req.From)
	switch {
	case n == nil:
		return nil, badRequest("From %s is not a number on this account; send from a number you provisioned (POST /v1.0/numbers/provision).", q(req.From))
	case n.cancelled:
		return nil, conflict("From %s is cancelled; activate it (POST /v1.0/numbers/status) before sending.", req.From)
	case n.order.status(now) != "Complete":
		return nil, conflict("From %s is still being provisioned (order %s is Pending); wait until the order is Complete.", req.From, n.order.id)
	case !n.info.MessageEnabled:
		return nil, conflict("From %s was provisioned with MessageEnabled false and cannot send messages.", req.From)
	}
	kind := "sms"
	if len(req.MmsMedia)+len(req.MmsBase64) > 0 {
		kind = "mms"
	}
	m := &messageRec{created: now, mrid: n.info.MessageRouteId, Message: Message{
		MessageId: "TMID-" + randomString(20, alnum), Direction: "Outbound", Type: n.info.MessageType,
		CampaignId: req.CampaignId, Cost: math.Round(float64(len(req.To))*costPerRecipient*1e4) / 1e4,
		Status: "Queued", From: req.From, Owner: req.Owner, Body: req.Body, CreatedOn: timestamp(now),
		MessageType: kind, MmsMedia: append([]MediaURL{}, req.MmsMedia...),
		MmsBase64: append([]MediaBase64{}, req.MmsBase64...),
	}}
	for _, t := range req.To {
		m.To = append(m.To, Recipient{Number: t.Number, Status: "Queued"})
	}
	s.messages = append(s.messages, m)
	s.scheduleDelivery(m.MessageId)
	return m.copy(), nil
}

func (s *Server) findMessage(id string) *messageRec {
	for _, m := range s.messages {
		if m.MessageId == id {
			return m
		}
	}
	return nil
}

// messageDetail is one message as GET /message/details documents it, with
// To as a plain comma-separated string.
type messageDetail struct {
	MessageId   string        `json:"MessageId"`
	Direction   string        `json:"Direction"`
	Type        string        `json:"Type"`
	CampaignId  string        `json:"CampaignId"`
	Cost        float64       `json:"Cost"`
	Status      string        `json:"Status"`
	To          string        `json:"To"`
	From        string        `json:"From"`
	Owner       string        `json:"Owner"`
	Body        string        `json:"Body"`
	CreatedOn   string        `json:"CreatedOn"`
	MessageType string        `json:"MessageType"`
	MmsMedia    []MediaURL    `json:"MmsMedia"`
	MmsBase64   []MediaBase64 `json:"MmsBase64"`
}

func (s *Server) messageDetails(r *http.Request) (any, *apiError) {
	id, e := requiredQuery(r, "MessageId")
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.findMessage(id)
	if rec == nil {
		return nil, notFound("message %s does not exist.", q(id))
	}
	m := rec.copy()
	to := make([]string, len(m.To))
	for i, t := range m.To {
		to[i] = t.Number
	}
	return messageDetail{
		MessageId: m.MessageId, Direction: m.Direction, Type: m.Type, CampaignId: m.CampaignId, Cost: m.Cost,
		Status: m.Status, To: strings.Join(to, ","), From: m.From, Owner: m.Owner, Body: m.Body,
		CreatedOn: m.CreatedOn, MessageType: m.MessageType, MmsMedia: m.MmsMedia, MmsBase64: m.MmsBase64,
	}, nil
}

type messageSearchItem struct {
	MessageID   string      `json:"MessageID"`
	Direction   string      `json:"Direction"`
	Status      string      `json:"Status"`
	To          []Recipient `json:"To"`
	From        string      `json:"From"`
	Owner       string      `json:"Owner"`
	Body        string      `json:"Body"`
	CreatedOn   string      `json:"CreatedOn"`
	MessageType string      `json:"MessageType"`
}

type messageSearchResponse struct {
	PhoneNumber         string              `json:"PhoneNumber"`
	ResultsTotalRecords int                 `json:"ResultsTotalRecords"`
	ResultsPages        int                 `json:"ResultsPages"`
	Results             []messageSearchItem `json:"Results"`
}

// searchMessages lists messages sent from or to a number, newest first.
// Page is 1-based; Results is the page size (default 50, at most 1000).
func (s *Server) searchMessages(r *http.Request) (any, *apiError) {
	raw, e := requiredQuery(r, "phoneNumber")
	if e != nil {
		return nil, e
	}
	num := phoneParam(raw)
	if e := check("the phoneNumber query parameter", num, validate.E164); e != nil {
		return nil, e
	}
	page, e := queryInt(r, "Page", 1, 1, 1_000_000)
	if e != nil {
		return nil, e
	}
	size, e := queryInt(r, "Results", 50, 1, 1000)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var found []messageSearchItem
	for i := len(s.messages) - 1; i >= 0; i-- {
		m := s.messages[i].copy()
		match := m.From == num
		for _, t := range m.To {
			match = match || t.Number == num
		}
		if match {
			found = append(found, messageSearchItem{
				MessageID: m.MessageId, Direction: m.Direction, Status: m.Status, To: m.To, From: m.From,
				Owner: m.Owner, Body: m.Body, CreatedOn: m.CreatedOn, MessageType: m.MessageType,
			})
		}
	}
	start := min((page-1)*size, len(found))
	end := min(start+size, len(found))
	return messageSearchResponse{
		PhoneNumber: num, ResultsTotalRecords: len(found), ResultsPages: (len(found) + size - 1) / size,
		Results: append([]messageSearchItem{}, found[start:end]...),
	}, nil
}
