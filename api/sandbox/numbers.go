package sandbox

import (
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/telegent/telegent-onboard/api/validate"
)

type numberRec struct {
	info      Number // everything but Status, which depends on the clock
	inv       *invNumber
	order     *orderRec
	cancelled bool
}

func (n *numberRec) status(now time.Time) string {
	switch {
	case n.cancelled:
		return "Cancelled"
	case n.order.status(now) == "Complete":
		return "Active"
	}
	return "Pending"
}

func (n *numberRec) view(now time.Time) Number {
	v := n.info
	v.Status = n.status(now)
	return v
}

// orderRec computes its status from its age, so no timer has to fire.
type orderRec struct {
	id, typ  string
	created  time.Time
	delay    time.Duration
	numbers  []string
	doneText string
}

func (o *orderRec) status(now time.Time) string {
	if o.delay > 0 && now.Before(o.created.Add(o.delay)) {
		return "Pending"
	}
	return "Complete"
}

func (o *orderRec) view(now time.Time) Order {
	out := Order{
		OrderDate: timestamp(o.created), OrderId: o.id, OrderStatus: o.status(now),
		OrderStatusMessage: o.doneText, OrderType: o.typ, PhoneNumbersOrdered: []PhoneNumberRef{},
	}
	if out.OrderStatus == "Pending" {
		out.OrderStatusMessage = "Provisioning in progress."
	}
	for _, n := range o.numbers {
		out.PhoneNumbersOrdered = append(out.PhoneNumbersOrdered, PhoneNumberRef{Number: n})
	}
	return out
}

type provisionRequest struct {
	NumberType           string `json:"NumberType"`
	MessageType          string `json:"MessageType"`
	MessageEnabled       *bool  `json:"MessageEnabled"`
	VoiceEnabled         *bool  `json:"VoiceEnabled"`
	DataEnabled          *bool  `json:"DataEnabled"`
	MessageRouteId       string `json:"MessageRouteId"`
	VoiceRouteId         string `json:"VoiceRouteId"`
	AreaCode             string `json:"AreaCode"`
	ZipCode              string `json:"ZipCode"`
	ICCID                string `json:"ICCID"`
	ProductType          string `json:"ProductType"`
	AssignedSubscriberId string `json:"AssignedSubscriberId"`
	AccountId            string `json:"AccountId"`
}

type provisionResponse struct {
	OrderDate           string  `json:"OrderDate"`
	OrderId             string  `json:"OrderId"`
	OrderStatus         string  `json:"OrderStatus"`
	PhoneNumberAssigned string  `json:"PhoneNumberAssigned"`
	PhoneNumberId       string  `json:"PhoneNumberId"`
	QRCode              string  `json:"QRCode"`
	ZipCode             string  `json:"ZipCode"`
	ICCID               string  `json:"ICCID"`
	ErrorMessage        *string `json:"ErrorMessage"`
	SubscriberId        string  `json:"SubscriberId"`
}

func (req *provisionRequest) validate() *apiError {
	for _, c := range []func() *apiError{
		func() *apiError { return required("NumberType", req.NumberType) },
		func() *apiError { return oneOf("NumberType", &req.NumberType, "mvno", "iot") },
		func() *apiError { return required("MessageType", req.MessageType) },
		func() *apiError { return oneOf("MessageType", &req.MessageType, "a2p", "p2p") },
		func() *apiError { return requiredBool("MessageEnabled", req.MessageEnabled) },
		func() *apiError { return requiredBool("VoiceEnabled", req.VoiceEnabled) },
		func() *apiError { return required("ProductType", req.ProductType) },
		// Case-insensitive because the quickstart itself writes "data-only".
		func() *apiError {
			return oneOf("ProductType", &req.ProductType, "Sms-Only", "Data-Only", "Sms+Data", "Sms+Data+Voice")
		},
		func() *apiError {
			if req.NumberType == "iot" && req.MessageType == "a2p" {
				// The documents' own words for the rule.
				return badRequest("NumberType 'iot' is p2p only - cannot be provisioned as a2p; use mvno NumberType for a2p MessageType")
			}
			// The docs call iot "data and p2p messaging only" and mvno the
			// type "for full messaging and voice", so voice on iot is refused
			// rather than silently provisioned without it.
			if req.NumberType == "iot" && *req.VoiceEnabled {
				return badRequest("VoiceEnabled must be false for NumberType 'iot' (iot numbers are for data and p2p messaging only); use mvno NumberType for voice")
			}
			return nil
		},
		func() *apiError {
			if strings.TrimSpace(req.MessageRouteId) == "" {
				return badRequest("MessageRouteId is required: you must create a message route before provisioning numbers.")
			}
			return nil
		},
		func() *apiError {
			if *req.VoiceEnabled && strings.TrimSpace(req.VoiceRouteId) == "" {
				return badRequest("VoiceRouteId is required when VoiceEnabled is true: create a voice route (POST /v1.0/voice/routes) first.")
			}
			return nil
		},
		func() *apiError { return checkOptional("AreaCode", req.AreaCode, validate.AreaCode) },
		func() *apiError { return checkOptional("ZipCode", req.ZipCode, validate.ZipCode) },
		func() *apiError { return checkOptional("ICCID", req.ICCID, validate.ICCID) },
		func() *apiError { return checkAccount(req.AccountId) },
	} {
		if e := c(); e != nil {
			return e
		}
	}
	return nil
}

// provisionRefs checks everything the request points at; s.mu held. It runs
// twice, because a route or the ICCID may change hands while the request
// yields between choosing and claiming its number.
func (s *Server) provisionRefs(req *provisionRequest) *apiError {
	if s.messageRoute(req.MessageRouteId) == nil {
		return notFound("message route %s does not exist; create a message route before provisioning numbers.", q(req.MessageRouteId))
	}
	// A VoiceRouteId is checked even with VoiceEnabled false: a typo there
	// would otherwise surface only when voice is switched on later.
	if req.VoiceRouteId != "" && s.voiceRoute(req.VoiceRouteId) == nil {
		return notFound("voice route %s (VoiceRouteId) does not exist; create a voice route first, or leave VoiceRouteId blank when VoiceEnabled is false.", q(req.VoiceRouteId))
	}
	if req.AssignedSubscriberId != "" && s.subscriber(req.AssignedSubscriberId) == nil {
		return notFound("subscriber %s (AssignedSubscriberId) does not exist; create the subscriber first or leave AssignedSubscriberId blank.", q(req.AssignedSubscriberId))
	}
	if req.ICCID != "" {
		for _, n := range s.numbers {
			if n.info.Iccid == req.ICCID {
				return conflict("ICCID %s is already used by %s; a SIM carries one number.", q(req.ICCID), n.info.Number)
			}
		}
	}
	return nil
}

// pickNumber chooses a candidate; s.mu held. A zip inside the requested
// area is preferred, then anywhere in the area, then the zip on its own
// (the documented fallback). With neither given the pick is seeded-random.
func (s *Server) pickNumber(area, zip string) (*invNumber, *apiError) {
	var c []*invNumber
	switch {
	case area != "":
		if zip != "" {
			c = s.inv.available(func(n *invNumber) bool { return n.area == area && n.zip == zip })
		}
		if len(c) == 0 {
			c = s.inv.available(inArea(area))
		}
		if len(c) == 0 && zip != "" {
			c = s.inv.available(inZip(zip))
		}
	case zip != "":
		c = s.inv.available(inZip(zip))
	default:
		if c = s.inv.available(func(*invNumber) bool { return true }); len(c) > 0 {
			return c[s.rng.IntN(len(c))], nil
		}
	}
	if len(c) == 0 {
		return nil, noneAvailable(area, zip)
	}
	return c[0], nil
}

// qrCode is the eSIM activation QR for an mvno number without a physical
// SIM; s.mu held. The matching ID comes from the seeded source so that a
// seeded run reproduces it.
func (s *Server) qrCode() string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	groups := make([]string, 4)
	for i := range groups {
		b := make([]byte, 5)
		for j := range b {
			b[j] = chars[s.rng.IntN(len(chars))]
		}
		groups[i] = string(b)
	}
	return "https://quickchart.io/qr?text=LPA:1$SMDP.SANDBOX.TELEGENT.TEST$" + strings.Join(groups, "-") + "&ecLevel=H&format=png"
}

func (s *Server) provision(r *http.Request) (any, *apiError) {
	var req provisionRequest
	if e := decodeBody(r, &req); e != nil {
		return nil, e
	}
	if e := req.validate(); e != nil {
		return nil, e
	}

	s.mu.Lock()
	e := s.provisionRefs(&req)
	var cand *invNumber
	if e == nil {
		cand, e = s.pickNumber(req.AreaCode, req.ZipCode)
	}
	s.mu.Unlock()
	if e != nil {
		return nil, e
	}
	// Choosing and claiming are separate steps, as on a real inventory
	// service: a concurrent request can take the number in between, and the
	// loser gets the documented "claimed by another user" conflict.
	runtime.Gosched()

	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.provisionRefs(&req); e != nil {
		return nil, e
	}
	if cand.claimed {
		return nil, conflict("the number %s was claimed by another user. Check availability again and select a different number.", cand.e164)
	}
	cand.claimed = true
	now := s.now()
	order := &orderRec{
		id: "JNUOID-" + newUUID(), typ: "new", created: now, delay: s.opts.OrderDelay,
		numbers: []string{cand.e164}, doneText: "Number provisioned and active.",
	}
	qr := ""
	if req.NumberType == "mvno" && req.ICCID == "" {
		qr = s.qrCode()
	}
	n := &numberRec{inv: cand, order: order, info: Number{
		Number: cand.e164, TNID: "NID-" + newUUID(), OrderId: order.id, NumberType: req.NumberType,
		MessageEnabled: *req.MessageEnabled, MessageRouteId: req.MessageRouteId,
		VoiceEnabled: *req.VoiceEnabled, VoiceRouteId: req.VoiceRouteId,
		MessageType: req.MessageType, ProductType: req.ProductType,
		OriginalDatePurchased: timestamp(now), AssignedSubscriberId: req.AssignedSubscriberId,
		Iccid: req.ICCID, QrActivationLink: qr, AreaCode: cand.area, ZipCode: cand.zip,
	}}
	s.orders = append(s.orders, order)
	s.numbers = append(s.numbers, n)
	if sub := s.subscriber(req.AssignedSubscriberId); sub != nil && !slices.Contains(sub.PhoneNumbers, cand.e164) {
		sub.PhoneNumbers = append(sub.PhoneNumbers, cand.e164)
	}
	return provisionResponse{
		OrderDate: timestamp(now), OrderId: order.id, OrderStatus: order.status(now),
		PhoneNumberAssigned: cand.e164, PhoneNumberId: n.info.TNID, QRCode: qr, ZipCode: cand.zip,
		ICCID: req.ICCID, ErrorMessage: nil, SubscriberId: req.AssignedSubscriberId,
	}, nil
}

func (s *Server) getOrder(r *http.Request) (any, *apiError) {
	id, e := requiredQuery(r, "OrderId")
	if e != nil {
		return nil, e
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.orders {
		if o.id == id {
			return o.view(now), nil
		}
	}
	return nil, notFound("order %s does not exist.", q(id))
}

// findNumber finds one of the account's numbers; s.mu held.
func (s *Server) findNumber(e164 string) *numberRec {
	for _, n := range s.numbers {
		if n.info.Number == e164 {
			return n
		}
	}
	return nil
}

// getNumber looks a number up by Number (alias PhoneNumber) and/or ICCID;
// when both are given, both must match.
func (s *Server) getNumber(r *http.Request) (any, *apiError) {
	num := phoneParam(query(r, "Number"))
	if num == "" {
		num = phoneParam(query(r, "PhoneNumber"))
	}
	iccid := strings.TrimSpace(query(r, "ICCID"))
	if num == "" && iccid == "" {
		return nil, badRequest("give the Number (or PhoneNumber) or the ICCID query parameter")
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.numbers {
		if (num == "" || n.info.Number == num) && (iccid == "" || n.info.Iccid == iccid) {
			return n.view(now), nil
		}
	}
	if num != "" {
		return nil, notFound("number %s is not on this account.", q(num))
	}
	return nil, notFound("no number on this account has ICCID %s.", q(iccid))
}

// inventoryItem is a Number as the inventory lists it: the same fields,
// with the ID spelled Tnid.
type inventoryItem struct {
	Number                string `json:"Number"`
	TNID                  string `json:"Tnid"`
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

type inventoryResponse struct {
	AccountId    string          `json:"AccountId"`
	TotalResults int             `json:"TotalResults"`
	PageNumber   int             `json:"PageNumber"`
	Filter       string          `json:"Filter"`
	PhoneNumbers []inventoryItem `json:"PhoneNumbers"`
}

// numberInventory pages through the account's numbers, cancelled ones
// included. Filter is a substring of the number ("801" finds every number
// containing 801); TotalNumbersRequested is the page size.
func (s *Server) numberInventory(r *http.Request) (any, *apiError) {
	page, e := queryInt(r, "PageNumber", 1, 1, 1_000_000)
	if e != nil {
		return nil, e
	}
	size, e := queryInt(r, "TotalNumbersRequested", 100, 1, 1000)
	if e != nil {
		return nil, e
	}
	filter := strings.TrimSpace(query(r, "Filter"))
	needle := strings.TrimPrefix(filter, "+")
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	var all []inventoryItem
	for _, n := range s.numbers {
		if strings.Contains(n.info.Number, needle) {
			all = append(all, inventoryItem(n.view(now)))
		}
	}
	start := min((page-1)*size, len(all))
	end := min(start+size, len(all))
	return inventoryResponse{
		AccountId: DemoAccountID, TotalResults: len(all), PageNumber: page, Filter: filter,
		PhoneNumbers: append([]inventoryItem{}, all[start:end]...),
	}, nil
}

type numberStatusRequest struct {
	StatusChange  string           `json:"StatusChange"`
	EffectiveDate string           `json:"EffectiveDate"`
	PhoneNumbers  []PhoneNumberRef `json:"PhoneNumbers"`
}

// changeNumberStatus carries out cancel and activate at once, whatever the
// EffectiveDate (which must still be given, as the schema says). A cancelled number stops holding its routes but does not
// go back to the available pool, so an accidental cancel can be undone.
func (s *Server) changeNumberStatus(r *http.Request) (any, *apiError) {
	var req numberStatusRequest
	if e := decodeBody(r, &req); e != nil {
		return nil, e
	}
	if e := required("StatusChange", req.StatusChange); e != nil {
		return nil, e
	}
	if e := oneOf("StatusChange", &req.StatusChange, "activate", "cancel", "swap", "swap-sim", "replace", "park"); e != nil {
		return nil, e
	}
	if req.StatusChange != "activate" && req.StatusChange != "cancel" {
		return nil, badRequest("StatusChange %s is not supported by the sandbox (supported: activate, cancel)", q(req.StatusChange))
	}
	// The schema requires EffectiveDate, so the sandbox does too.
	if req.EffectiveDate == "" {
		return nil, badRequest("EffectiveDate is required: the date the change takes effect, written MM/DD/YYYY, like 05/31/2026")
	}
	if _, err := time.Parse("01/02/2006", req.EffectiveDate); err != nil {
		return nil, badRequest("EffectiveDate must be a date written MM/DD/YYYY, like 05/31/2026; got %s", q(req.EffectiveDate))
	}
	if len(req.PhoneNumbers) == 0 {
		return nil, badRequest("PhoneNumbers is required: a non-empty array like [{\"Number\": \"+18015551234\"}]")
	}
	var list []string
	for i, p := range req.PhoneNumbers {
		if e := check(fmt.Sprintf("PhoneNumbers[%d].Number", i), p.Number, validate.E164); e != nil {
			return nil, e
		}
		if !slices.Contains(list, p.Number) {
			list = append(list, p.Number)
		}
	}

	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	recs := make([]*numberRec, 0, len(list))
	for _, num := range list {
		n := s.findNumber(num)
		if n == nil {
			return nil, notFound("number %s is not on this account.", q(num))
		}
		recs = append(recs, n)
	}
	verb := "Activated"
	if req.StatusChange == "cancel" {
		verb = "Cancelled"
	}
	for _, n := range recs {
		n.cancelled = req.StatusChange == "cancel"
	}
	order := &orderRec{
		id: "JNUOID-" + newUUID(), typ: req.StatusChange, created: now, numbers: list,
		doneText: fmt.Sprintf("%s %d number(s).", verb, len(list)),
	}
	s.orders = append(s.orders, order)
	return order.view(now), nil
}
