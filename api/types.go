package api

// Request and response types, one pair per operation. JSON names are exactly
// as Telegent documents them, misspellings included (Trunk1Priortiy), because
// the server matches on them. Optional booleans and integers are pointers so
// that "not chosen" is left out and the server's default applies, while an
// explicit false or 0 is still sent.

// Bool returns a pointer to b, for the optional boolean fields.
func Bool(b bool) *bool { return &b }

// Int returns a pointer to n, for the optional integer fields.
func Int(n int) *int { return &n }

// Authentication types of a message or voice route.
const (
	AuthNone   = "None"
	AuthBasic  = "Basic"
	AuthBearer = "Bearer"
)

// Product types a number can be provisioned as.
var ProductTypes = []string{"Sms-Only", "Data-Only", "Sms+Data", "Sms+Data+Voice"}

// TokenRequest is the body of POST /oauth2/tokens.
type TokenRequest struct {
	AccountKey    string `json:"AccountKey"`
	AccountSecret string `json:"AccountSecret"`
	// ApiEndpoint scopes the token to one endpoint URL.
	ApiEndpoint string `json:"ApiEndpoint,omitempty"`
}

// TokenResponse is the camelCase answer of POST /oauth2/tokens (an older
// collection capitalises the keys; encoding/json matches either).
type TokenResponse struct {
	Token       string `json:"token"`
	Successful  bool   `json:"successful"`
	TokenExpiry string `json:"tokenExpiry"`
}

// MessageRouteRequest is the body of POST /message/routes.
type MessageRouteRequest struct {
	RouteName                         string `json:"RouteName"`
	MessageUrl                        string `json:"MessageUrl"`
	MessageUrlMethod                  string `json:"MessageUrlMethod"`
	MessageRouteEnabled               *bool  `json:"MessageRouteEnabled,omitempty"`
	MessageAuthenticationType         string `json:"MessageAuthenticationType,omitempty"`
	MessageUsername                   string `json:"MessageUsername,omitempty"`
	MessagePasswordToken              string `json:"MessagePasswordToken,omitempty"`
	CallbackMessageUrl                string `json:"CallbackMessageUrl,omitempty"`
	CallbackMessageUrlMethod          string `json:"CallbackMessageUrlMethod,omitempty"`
	CallbackMessageAuthenticationType string `json:"CallbackMessageAuthenticationType,omitempty"`
	CallbackMessageUsername           string `json:"CallbackMessageUsername,omitempty"`
	CallbackMessagePasswordToken      string `json:"CallbackMessagePasswordToken,omitempty"`
	InboundBypass                     *bool  `json:"InboundBypass,omitempty"`
	OutboundBypass                    *bool  `json:"OutboundBypass,omitempty"`
	IntelligentRouteEnabled           *bool  `json:"IntelligentRouteEnabled,omitempty"`
	AccountId                         string `json:"AccountId,omitempty"`
}

// MessageRoute is a message route as the create, get and list operations
// return it.
type MessageRoute struct {
	MessageRouteId                    string   `json:"MessageRouteId"`
	AccountId                         string   `json:"AccountId"`
	RouteName                         string   `json:"RouteName"`
	MessageUrl                        string   `json:"MessageUrl"`
	MessageUrlMethod                  string   `json:"MessageUrlMethod"`
	MessageRouteEnabled               FlexBool `json:"MessageRouteEnabled"`
	MessageAuthenticationType         string   `json:"MessageAuthenticationType"`
	MessageUsername                   string   `json:"MessageUsername"`
	CallbackMessageUrl                string   `json:"CallbackMessageUrl"`
	CallbackMessageUrlMethod          string   `json:"CallbackMessageUrlMethod"`
	CallbackMessageAuthenticationType string   `json:"CallbackMessageAuthenticationType"`
	CallbackMessageUsername           string   `json:"CallbackMessageUsername"`
	InboundBypass                     FlexBool `json:"InboundBypass"`
	OutboundBypass                    FlexBool `json:"OutboundBypass"`
	IntelligentRouteEnabled           FlexBool `json:"IntelligentRouteEnabled"`
	// The password fields the API echoes are deliberately not decoded: a
	// caller that never holds them cannot leak them.
}

// MessageRouteList is GET /account/message/routes.
type MessageRouteList struct {
	AccountID   string         `json:"AccountID"`
	TotalRoutes FlexInt        `json:"TotalRoutes"`
	Results     []MessageRoute `json:"Results"`
}

// IPAddress is one entry of a voice route's IP whitelist.
type IPAddress struct {
	IpAddress string `json:"IpAddress"`
}

// VoiceRouteRequest is the body of POST /voice/routes.
type VoiceRouteRequest struct {
	RouteName               string      `json:"RouteName"`
	RouteType               string      `json:"RouteType"`
	VoiceUrl                string      `json:"VoiceUrl,omitempty"`
	VoiceUrlMethod          string      `json:"VoiceUrlMethod,omitempty"`
	VoiceAuthenticationType string      `json:"VoiceAuthenticationType,omitempty"`
	VoiceUsername           string      `json:"VoiceUsername,omitempty"`
	VoicePasswordToken      string      `json:"VoicePasswordToken,omitempty"`
	CallbackVoiceUrl        string      `json:"CallbackVoiceUrl,omitempty"`
	CallbackVoiceUrlMethod  string      `json:"CallbackVoiceUrlMethod,omitempty"`
	TrunkIp1                string      `json:"TrunkIp1,omitempty"`
	TrunkIp2                string      `json:"TrunkIp2,omitempty"`
	TrunkPort1              string      `json:"TrunkPort1,omitempty"`
	TrunkPort2              string      `json:"TrunkPort2,omitempty"`
	TrunkTransport1         string      `json:"TrunkTransport1,omitempty"`
	TrunkTransport2         string      `json:"TrunkTransport2,omitempty"`
	TrunkUri1               string      `json:"TrunkUri1,omitempty"`
	TrunkUri2               string      `json:"TrunkUri2,omitempty"`
	TrunkEnabled1           *bool       `json:"TrunkEnabled1,omitempty"`
	TrunkEnabled2           *bool       `json:"TrunkEnabled2,omitempty"`
	Trunk1Priortiy          *int        `json:"Trunk1Priortiy,omitempty"`
	Trunk1Weight            *int        `json:"Trunk1Weight,omitempty"`
	Trunk2Priortiy          *int        `json:"Trunk2Priortiy,omitempty"`
	Trunk2Weight            *int        `json:"Trunk2Weight,omitempty"`
	HeaderManipulation      string      `json:"HeaderManipulation,omitempty"`
	EnableSipRefer          *bool       `json:"EnableSipRefer,omitempty"`
	TransferCallerId        string      `json:"TransferCallerId,omitempty"`
	SymmetricRtp            *bool       `json:"SymmetricRtp,omitempty"`
	EnableTrpSecureTrunk    *bool       `json:"EnableTrpSecureTrunk,omitempty"`
	EnablePstnTransfer      *bool       `json:"EnablePstnTransfer,omitempty"`
	IpWhitelist             []IPAddress `json:"IpWhitelist,omitempty"`
	CnamLookup              *bool       `json:"CnamLookup,omitempty"`
	TerminationUriSubdomain string      `json:"TerminationUriSubdomain,omitempty"`
	EnableCallStreaming     *bool       `json:"EnableCallStreaming,omitempty"`
	WssUri                  string      `json:"WssUri,omitempty"`
	RouteEnabled            *bool       `json:"RouteEnabled,omitempty"`
	IntelligentRouteEnabled *bool       `json:"IntelligentRouteEnabled,omitempty"`
	AccountId               string      `json:"AccountId,omitempty"`
}

// VoiceRoute is a voice route as the create, get and list operations return
// it. The create echo spells the whitelist IpWhiteList and the list spells it
// IpWhitelist; encoding/json matches keys case-insensitively, so one field
// takes both.
type VoiceRoute struct {
	CallRouteId             string      `json:"CallRouteId"`
	CallRouteStatus         string      `json:"CallRouteStatus,omitempty"`
	AccountId               string      `json:"AccountId"`
	RouteName               string      `json:"RouteName"`
	RouteType               string      `json:"RouteType"`
	VoiceUrl                string      `json:"VoiceUrl,omitempty"`
	VoiceUrlMethod          string      `json:"VoiceUrlMethod,omitempty"`
	CallbackVoiceUrl        string      `json:"CallbackVoiceUrl,omitempty"`
	TrunkIp1                string      `json:"TrunkIp1,omitempty"`
	TrunkIp2                string      `json:"TrunkIp2,omitempty"`
	TrunkPort1              FlexString  `json:"TrunkPort1,omitempty"`
	TrunkPort2              FlexString  `json:"TrunkPort2,omitempty"`
	TrunkTransport1         string      `json:"TrunkTransport1,omitempty"`
	TrunkTransport2         string      `json:"TrunkTransport2,omitempty"`
	TrunkUri1               string      `json:"TrunkUri1,omitempty"`
	TrunkUri2               string      `json:"TrunkUri2,omitempty"`
	TrunkEnabled1           FlexBool    `json:"TrunkEnabled1"`
	TrunkEnabled2           FlexBool    `json:"TrunkEnabled2"`
	Trunk1Priortiy          FlexInt     `json:"Trunk1Priortiy"`
	Trunk1Weight            FlexInt     `json:"Trunk1Weight"`
	Trunk2Priortiy          FlexInt     `json:"Trunk2Priortiy"`
	Trunk2Weight            FlexInt     `json:"Trunk2Weight"`
	HeaderManipulation      string      `json:"HeaderManipulation,omitempty"`
	EnableSipRefer          FlexBool    `json:"EnableSipRefer"`
	TransferCallerId        string      `json:"TransferCallerId,omitempty"`
	SymmetricRtp            FlexBool    `json:"SymmetricRtp"`
	EnableTrpSecureTrunk    FlexBool    `json:"EnableTrpSecureTrunk"`
	EnablePstnTransfer      FlexBool    `json:"EnablePstnTransfer"`
	IpWhiteList             []IPAddress `json:"IpWhiteList"`
	CnamLookup              FlexBool    `json:"CnamLookup"`
	TerminationUriSubdomain string      `json:"TerminationUriSubdomain,omitempty"`
	EnableCallStreaming     FlexBool    `json:"EnableCallStreaming"`
	WssUri                  string      `json:"WssUri,omitempty"`
	RouteEnabled            FlexBool    `json:"RouteEnabled"`
	IntelligentRouteEnabled FlexBool    `json:"IntelligentRouteEnabled"`
}

// VoiceRouteList is GET /account/voice/routes.
type VoiceRouteList struct {
	AccountID   string       `json:"AccountID"`
	TotalRoutes FlexInt      `json:"TotalRoutes"`
	Results     []VoiceRoute `json:"Results"`
}

// AvailabilityRequest is the body of POST /numbers/availability. The two
// capability booleans are required by the API, so they are always sent.
type AvailabilityRequest struct {
	NumberType     string `json:"NumberType"`
	MessageType    string `json:"MessageType,omitempty"`
	MessageEnabled bool   `json:"MessageEnabled"`
	VoiceEnabled   bool   `json:"VoiceEnabled"`
	PageNumber     int    `json:"PageNumber,omitempty"`
	// AreaCode and ZipCode are always sent, blank included: the quickstart
	// sends "" to mean "any".
	AreaCode string `json:"AreaCode"`
	ZipCode  string `json:"ZipCode"`
}

// NumberArea is one entry of AvailableNumberAreas. Inside this list the area
// code is a number and the zip key is spelled Zipcode.
type NumberArea struct {
	NGP      string     `json:"NGP"`
	AreaCode FlexInt    `json:"AreaCode"`
	Zipcode  FlexString `json:"Zipcode"`
}

// AvailabilityResponse answers POST /numbers/availability.
type AvailabilityResponse struct {
	RequestId            string       `json:"RequestId"`
	RequestDate          string       `json:"RequestDate"`
	NumberType           string       `json:"NumberType"`
	MessageEnabled       FlexBool     `json:"MessageEnabled"`
	VoiceEnabled         FlexBool     `json:"VoiceEnabled"`
	AreaCode             FlexString   `json:"AreaCode"`
	ZipCode              FlexString   `json:"ZipCode"`
	PageNumber           FlexInt      `json:"PageNumber"`
	ResultsTotal         FlexInt      `json:"ResultsTotal"`
	AvailableNumberAreas []NumberArea `json:"AvailableNumberAreas"`
}

// SubscriberRequest is the body of POST /subscribers/create. Every field is
// required by the API; PhoneNumbers is sent as [] when empty.
type SubscriberRequest struct {
	Name         string   `json:"Name"`
	Email        string   `json:"Email"`
	PhoneNumbers []string `json:"PhoneNumbers"`
	Role         string   `json:"Role"`
	Password     string   `json:"Password"`
	AccountId    string   `json:"AccountId"`
}

// Account is the account a subscriber belongs to.
type Account struct {
	AccountId   string `json:"AccountId"`
	CompanyName string `json:"CompanyName"`
}

// Subscriber answers POST /subscribers/create and GET /subscribers/get. Some
// examples use SID- ids; the field takes whatever the server sends.
type Subscriber struct {
	SubscriberId string   `json:"SubscriberId"`
	Name         string   `json:"Name"`
	Email        string   `json:"Email"`
	PhoneNumbers []string `json:"PhoneNumbers"`
	Role         string   `json:"Role"`
	Account      Account  `json:"Account"`
}

// ProvisionRequest is the body of POST /numbers/provision.
type ProvisionRequest struct {
	NumberType           string `json:"NumberType"`
	MessageType          string `json:"MessageType"`
	MessageEnabled       bool   `json:"MessageEnabled"`
	VoiceEnabled         bool   `json:"VoiceEnabled"`
	DataEnabled          *bool  `json:"DataEnabled,omitempty"`
	MessageRouteId       string `json:"MessageRouteId,omitempty"`
	VoiceRouteId         string `json:"VoiceRouteId,omitempty"`
	AreaCode             string `json:"AreaCode,omitempty"`
	ZipCode              string `json:"ZipCode,omitempty"`
	ICCID                string `json:"ICCID,omitempty"`
	ProductType          string `json:"ProductType"`
	AssignedSubscriberId string `json:"AssignedSubscriberId,omitempty"`
	AccountId            string `json:"AccountId,omitempty"`
}

// ProvisionResponse answers POST /numbers/provision.
type ProvisionResponse struct {
	OrderDate           string     `json:"OrderDate"`
	OrderId             string     `json:"OrderId"`
	OrderStatus         string     `json:"OrderStatus"`
	PhoneNumberAssigned string     `json:"PhoneNumberAssigned"`
	PhoneNumberId       string     `json:"PhoneNumberId"`
	QRCode              string     `json:"QRCode"`
	ZipCode             FlexString `json:"ZipCode"`
	ICCID               string     `json:"ICCID"`
	ErrorMessage        *string    `json:"ErrorMessage"`
	SubscriberId        string     `json:"SubscriberId"`
}

// PhoneNumberRef is the {"Number": "+1…"} object used in several lists.
type PhoneNumberRef struct {
	Number string `json:"Number"`
}

// Order answers GET /numbers/order and POST /numbers/status (which adds
// ChangeType, EffectiveDate and Numbers, each with its eSIM QrCode).
type Order struct {
	OrderDate           string           `json:"OrderDate"`
	OrderId             string           `json:"OrderId"`
	OrderStatus         string           `json:"OrderStatus"`
	OrderStatusMessage  string           `json:"OrderStatusMessage"`
	OrderType           string           `json:"OrderType"`
	PhoneNumbersOrdered []PhoneNumberRef `json:"PhoneNumbersOrdered"`
	ChangeType          string           `json:"ChangeType,omitempty"`
	EffectiveDate       string           `json:"EffectiveDate,omitempty"`
	Numbers             []ChangedNumber  `json:"Numbers,omitempty"`
}

// ChangedNumber is one number of a status change's answer.
type ChangedNumber struct {
	Number string `json:"Number"`
	QrCode string `json:"QrCode,omitempty"`
}

// Number is one number of the account, from GET /numbers or the inventory.
type Number struct {
	Number                string     `json:"Number"`
	TNID                  string     `json:"TNID"` // the inventory spells it Tnid; matched case-insensitively
	OrderId               string     `json:"OrderId"`
	NumberType            string     `json:"NumberType"`
	ProductType           string     `json:"ProductType"`
	MessageEnabled        FlexBool   `json:"MessageEnabled"`
	MessageRouteId        string     `json:"MessageRouteId"`
	VoiceEnabled          FlexBool   `json:"VoiceEnabled"`
	VoiceRouteId          string     `json:"VoiceRouteId"`
	MessageType           string     `json:"MessageType"`
	Status                string     `json:"Status"`
	OriginalDatePurchased string     `json:"OriginalDatePurchased"`
	AssignedSubscriberId  string     `json:"AssignedSubscriberId"`
	Iccid                 string     `json:"Iccid"`
	QrActivationLink      string     `json:"QrActivationLink"`
	AreaCode              FlexString `json:"AreaCode"`
	ZipCode               FlexString `json:"ZipCode"`
	Classification        string     `json:"Classification"`
	Cnam                  string     `json:"Cnam"`
	SwapsRemaining        FlexInt    `json:"SwapsRemaining"`
	NextSwapResetDate     string     `json:"NextSwapResetDate"`
	// PortOutPin authorises moving the number to another carrier: traces
	// and the inspector redact it like a password.
	PortOutPin string `json:"PortOutPin"`
}

// NumberQuery selects one number for GetNumber: set exactly one field.
type NumberQuery struct {
	Number string
	ICCID  string
}

// InventoryQuery pages through the account's numbers.
type InventoryQuery struct {
	PageNumber            int
	Filter                string
	TotalNumbersRequested int
}

// Inventory answers GET /numbers/inventory.
type Inventory struct {
	AccountId    string   `json:"AccountId"`
	TotalResults FlexInt  `json:"TotalResults"`
	PageNumber   FlexInt  `json:"PageNumber"`
	Filter       string   `json:"Filter"`
	PhoneNumbers []Number `json:"PhoneNumbers"`
}

// Recipient is one addressee of a message. Status is the per-recipient
// delivery state where the server reports one.
type Recipient struct {
	Number string `json:"Number"`
	Status string `json:"Status,omitempty"`
}

// MediaURL is one MMS attachment by URL.
type MediaURL struct {
	MediaUrl string `json:"MediaUrl"`
}

// MediaBase64 is one inline MMS attachment.
type MediaBase64 struct {
	Base64   string `json:"Base64"`
	BaseType string `json:"BaseType"`
}

// OutboundMessageRequest is the body of POST /message/outbound.
type OutboundMessageRequest struct {
	CampaignId string        `json:"CampaignId,omitempty"`
	To         []Recipient   `json:"To"`
	From       string        `json:"From"`
	Owner      string        `json:"Owner,omitempty"`
	Body       string        `json:"Body"`
	MmsMedia   []MediaURL    `json:"MmsMedia,omitempty"`
	MmsBase64  []MediaBase64 `json:"MmsBase64,omitempty"`
}

// Message is a message as send, details and search return it. Details
// writes To as a plain string; Recipients accepts both shapes.
type Message struct {
	MessageId   string        `json:"MessageId"` // MessageID in search results
	Direction   string        `json:"Direction"`
	Type        string        `json:"Type"`
	CampaignId  string        `json:"CampaignId"`
	Cost        Cost          `json:"Cost"`
	Status      string        `json:"Status"`
	To          Recipients    `json:"To"`
	From        string        `json:"From"`
	Owner       string        `json:"Owner"`
	Body        string        `json:"Body"`
	Region      string        `json:"Region,omitempty"`
	CreatedOn   string        `json:"CreatedOn"`
	MessageType string        `json:"MessageType"`
	MmsMedia    []MediaURL    `json:"MmsMedia"`
	MmsBase64   []MediaBase64 `json:"MmsBase64"`
}

// MessageSearchQuery selects a number's messages.
type MessageSearchQuery struct {
	PhoneNumber string
	Page        int
	Results     int
}

// MessageSearchResult answers GET /message/search.
type MessageSearchResult struct {
	PhoneNumber         string    `json:"PhoneNumber"`
	ResultsTotalRecords FlexInt   `json:"ResultsTotalRecords"`
	ResultsPages        FlexInt   `json:"ResultsPages"`
	Results             []Message `json:"Results"`
}

// DeletedMessageRoute answers POST /message/routes/delete.
type DeletedMessageRoute struct {
	MessageRouteStatus string `json:"MessageRouteStatus"`
	MRID               string `json:"MRID"`
}

// DeletedVoiceRoute answers POST /voice/routes/delete.
type DeletedVoiceRoute struct {
	CallRouteStatus string `json:"CallRouteStatus"`
	CallRouteId     string `json:"CallRouteId"`
}

// Number status changes accepted by POST /numbers/status.
const (
	StatusChangeActivate = "activate"
	StatusChangeCancel   = "cancel"
)

// EffectiveDateLayout is how a status change's EffectiveDate is written
// (MM/DD/YYYY).
const EffectiveDateLayout = "01/02/2006"

// NumberStatusRequest is the body of POST /numbers/status. EffectiveDate is
// required by the schema; ChangeNumberStatus fills in today when empty.
// AreaCode and ZipCode pick the new number of a swap or replace.
type NumberStatusRequest struct {
	StatusChange  string           `json:"StatusChange"`
	EffectiveDate string           `json:"EffectiveDate"` // MM/DD/YYYY
	AreaCode      string           `json:"AreaCode,omitempty"`
	ZipCode       string           `json:"ZipCode,omitempty"`
	PhoneNumbers  []PhoneNumberRef `json:"PhoneNumbers"`
}
