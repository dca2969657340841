package api

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Operation names, as errors and the inspector show them.
const (
	opCreateMessageRoute = "create message route"
	opCreateVoiceRoute   = "create voice route"
	opAvailability       = "search availability"
	opCreateSubscriber   = "create subscriber"
	opProvision          = "provision number"
	opOrder              = "get order"
	opSendMessage        = "send message"
)

// CreateMessageRoute creates the route inbound messages and delivery reports
// go to (POST /message/routes). Its MessageRouteId is needed before any
// number can be provisioned.
func (c *Client) CreateMessageRoute(ctx context.Context, req MessageRouteRequest) (*MessageRoute, error) {
	var out MessageRoute
	return &out, c.do(ctx, call{op: opCreateMessageRoute, method: http.MethodPost, path: "/message/routes", body: req, out: &out})
}

// CreateVoiceRoute creates an MVNO voice route (POST /voice/routes).
func (c *Client) CreateVoiceRoute(ctx context.Context, req VoiceRouteRequest) (*VoiceRoute, error) {
	var out VoiceRoute
	return &out, c.do(ctx, call{op: opCreateVoiceRoute, method: http.MethodPost, path: "/voice/routes", body: req, out: &out})
}

// SearchAvailability counts available numbers and lists their areas
// (POST /numbers/availability).
func (c *Client) SearchAvailability(ctx context.Context, req AvailabilityRequest) (*AvailabilityResponse, error) {
	var out AvailabilityResponse
	// A search creates nothing: a lost answer or a 5xx is retried, and an
	// interrupted search is just cancelled, never an unknown outcome.
	return &out, c.do(ctx, call{op: opAvailability, method: http.MethodPost, path: "/numbers/availability", body: req, out: &out, repeatable: true})
}

// CreateSubscriber creates the end user of a number (POST /subscribers/create).
func (c *Client) CreateSubscriber(ctx context.Context, req SubscriberRequest) (*Subscriber, error) {
	if req.PhoneNumbers == nil {
		req.PhoneNumbers = []string{} // required by the API, even when empty
	}
	var out Subscriber
	return &out, c.do(ctx, call{op: opCreateSubscriber, method: http.MethodPost, path: "/subscribers/create", body: req, out: &out})
}

// ProvisionNumber purchases a number (POST /numbers/provision). The order may
// still be pending: follow it with GetOrder.
func (c *Client) ProvisionNumber(ctx context.Context, req ProvisionRequest) (*ProvisionResponse, error) {
	req.ProductType = NormalizeProductType(req.ProductType)
	var out ProvisionResponse
	return &out, c.do(ctx, call{op: opProvision, method: http.MethodPost, path: "/numbers/provision", body: req, out: &out})
}

// GetOrder reads an order's status (GET /numbers/order).
func (c *Client) GetOrder(ctx context.Context, orderID string) (*Order, error) {
	var out Order
	return &out, c.do(ctx, call{op: opOrder, method: http.MethodGet, path: "/numbers/order",
		query: url.Values{"OrderId": {orderID}}, out: &out})
}

// SendMessage sends an SMS or MMS (POST /message/outbound).
func (c *Client) SendMessage(ctx context.Context, req OutboundMessageRequest) (*Message, error) {
	var out Message
	return &out, c.do(ctx, call{op: opSendMessage, method: http.MethodPost, path: "/message/outbound", body: req, out: &out})
}

// ListMessageRoutes lists the account's message routes
// (GET /account/message/routes).
func (c *Client) ListMessageRoutes(ctx context.Context, accountID string) (*MessageRouteList, error) {
	var out MessageRouteList
	return &out, c.do(ctx, call{op: "list message routes", method: http.MethodGet, path: "/account/message/routes",
		query: url.Values{"AccountId": {accountID}}, out: &out})
}

// GetMessageRoute reads one message route (GET /message/routes).
func (c *Client) GetMessageRoute(ctx context.Context, messageRouteID string) (*MessageRoute, error) {
	var out MessageRoute
	return &out, c.do(ctx, call{op: "get message route", method: http.MethodGet, path: "/message/routes",
		query: url.Values{"MessageRouteId": {messageRouteID}}, out: &out})
}

// ListVoiceRoutes lists the account's voice routes (GET /account/voice/routes).
func (c *Client) ListVoiceRoutes(ctx context.Context, accountID string) (*VoiceRouteList, error) {
	var out VoiceRouteList
	return &out, c.do(ctx, call{op: "list voice routes", method: http.MethodGet, path: "/account/voice/routes",
		query: url.Values{"AccountId": {accountID}}, out: &out})
}

// GetVoiceRoute reads one voice route (GET /voice/routes; the documented
// query key is CallRouteID with a capital D).
func (c *Client) GetVoiceRoute(ctx context.Context, callRouteID string) (*VoiceRoute, error) {
	var out VoiceRoute
	return &out, c.do(ctx, call{op: "get voice route", method: http.MethodGet, path: "/voice/routes",
		query: url.Values{"CallRouteID": {callRouteID}}, out: &out})
}

// GetSubscriber reads one subscriber (GET /subscribers/get).
func (c *Client) GetSubscriber(ctx context.Context, subscriberID string) (*Subscriber, error) {
	var out Subscriber
	return &out, c.do(ctx, call{op: "get subscriber", method: http.MethodGet, path: "/subscribers/get",
		query: url.Values{"SubscriberId": {subscriberID}}, out: &out})
}

// GetNumber reads one of the account's numbers by number or ICCID (GET /numbers).
func (c *Client) GetNumber(ctx context.Context, q NumberQuery) (*Number, error) {
	query := url.Values{}
	if q.Number != "" {
		query.Set("Number", q.Number)
	}
	if q.ICCID != "" {
		query.Set("ICCID", q.ICCID)
	}
	var out Number
	return &out, c.do(ctx, call{op: "get number", method: http.MethodGet, path: "/numbers", query: query, out: &out})
}

// NumberInventory pages through the account's numbers (GET /numbers/inventory).
func (c *Client) NumberInventory(ctx context.Context, q InventoryQuery) (*Inventory, error) {
	query := url.Values{}
	if q.PageNumber > 0 {
		query.Set("PageNumber", strconv.Itoa(q.PageNumber))
	}
	if q.Filter != "" {
		query.Set("Filter", q.Filter)
	}
	if q.TotalNumbersRequested > 0 {
		query.Set("TotalNumbersRequested", strconv.Itoa(q.TotalNumbersRequested))
	}
	var out Inventory
	return &out, c.do(ctx, call{op: "list numbers", method: http.MethodGet, path: "/numbers/inventory", query: query, out: &out})
}

// GetMessage reads one message (GET /message/details).
func (c *Client) GetMessage(ctx context.Context, messageID string) (*Message, error) {
	var out Message
	return &out, c.do(ctx, call{op: "get message", method: http.MethodGet, path: "/message/details",
		query: url.Values{"MessageId": {messageID}}, out: &out})
}

// SearchMessages lists a number's messages (GET /message/search).
func (c *Client) SearchMessages(ctx context.Context, q MessageSearchQuery) (*MessageSearchResult, error) {
	query := url.Values{"phoneNumber": {q.PhoneNumber}}
	if q.Page > 0 {
		query.Set("Page", strconv.Itoa(q.Page))
	}
	if q.Results > 0 {
		query.Set("Results", strconv.Itoa(q.Results))
	}
	var out MessageSearchResult
	return &out, c.do(ctx, call{op: "search messages", method: http.MethodGet, path: "/message/search", query: query, out: &out})
}

// DeleteMessageRoute deletes a message route for good
// (POST /message/routes/delete).
func (c *Client) DeleteMessageRoute(ctx context.Context, messageRouteID string) (*DeletedMessageRoute, error) {
	var out DeletedMessageRoute
	// Repeatable: a second delete of a deleted route is a 404, which
	// cleanup reads as "already gone"; nothing is created twice.
	return &out, c.do(ctx, call{op: "delete message route", method: http.MethodPost, path: "/message/routes/delete",
		body: map[string]string{"MessageRouteId": messageRouteID}, out: &out, repeatable: true})
}

// DeleteVoiceRoute deletes a voice route for good (POST /voice/routes/delete).
func (c *Client) DeleteVoiceRoute(ctx context.Context, callRouteID string) (*DeletedVoiceRoute, error) {
	var out DeletedVoiceRoute
	return &out, c.do(ctx, call{op: "delete voice route", method: http.MethodPost, path: "/voice/routes/delete",
		body: map[string]string{"CallRouteId": callRouteID}, out: &out, repeatable: true})
}

// ChangeNumberStatus activates, cancels, … numbers (POST /numbers/status).
// The schema requires EffectiveDate (MM/DD/YYYY); left empty, it is today
// in UTC, so the change takes effect at once.
func (c *Client) ChangeNumberStatus(ctx context.Context, req NumberStatusRequest) (*Order, error) {
	if req.EffectiveDate == "" {
		req.EffectiveDate = c.now().UTC().Format(EffectiveDateLayout)
	}
	var out Order
	return &out, c.do(ctx, call{op: "change number status", method: http.MethodPost, path: "/numbers/status", body: req, out: &out})
}

// NormalizeProductType maps any casing of a documented product type to the
// schema's spelling (the quickstart writes "data-only" for "Data-Only").
// Unknown values are returned unchanged for the server to refuse.
func NormalizeProductType(s string) string {
	for _, p := range ProductTypes {
		if strings.EqualFold(strings.TrimSpace(s), p) {
			return p
		}
	}
	return s
}

// OrderPhase is where an order stands, whatever word the server used.
type OrderPhase int

const (
	OrderInProgress OrderPhase = iota
	OrderSucceeded
	OrderFailed
)

// OrderState classifies an OrderStatus case-insensitively: Complete and
// Completed succeed; Error, Rejected, Cancelled/Canceled fail; every other
// word (Pending, Submitted, Scheduled, InProgress, …) is still in progress.
func OrderState(status string) OrderPhase {
	switch strings.ToLower(strings.TrimSpace(status)) {
	case "complete", "completed":
		return OrderSucceeded
	case "error", "rejected", "cancelled", "canceled", "failed":
		return OrderFailed
	}
	return OrderInProgress
}

// ActivationCode extracts the eSIM activation string (LPA:1$…) from a
// provision's QRCode, which is either that string or the URL of a QR image
// whose text parameter holds it. It returns "" when there is none.
func ActivationCode(qr string) string {
	qr = strings.TrimSpace(qr)
	if strings.HasPrefix(strings.ToUpper(qr), "LPA:") {
		return qr
	}
	u, err := url.Parse(qr)
	if err != nil {
		return ""
	}
	for _, v := range u.Query() {
		for _, s := range v {
			if strings.HasPrefix(strings.ToUpper(s), "LPA:") {
				return s
			}
		}
	}
	return ""
}
