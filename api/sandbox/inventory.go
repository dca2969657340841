package sandbox

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/telegent/telegent-onboard/api/validate"
)

// The inventory is fixed so that tests and demos can rely on it:
//
//   - 14 US area codes with 20 numbers in each of three real zip codes of
//     that area, numbered +1AAA555ZZNN (ZZ = 01, 02, 03 for the zip, NN =
//     00..19), i.e. in the 555-01xx range reserved for fiction;
//   - area 907 (zip 99501) with exactly one number, +19075550100, so that
//     running out can be exercised;
//   - nothing in area 999 or any area not listed.
//
// 201 and 801 carry the zips the documents use (07302, 84043).
var areaPlan = []struct {
	area, ngp string
	zips      []string
	perZip    int
}{
	{"201", "SAG", []string{"07302", "07030", "07601"}, 20},
	{"801", "AGP", []string{"84043", "84101", "84601"}, 20},
	{"212", "SAG", []string{"10001", "10007", "10016"}, 20},
	{"305", "AGP", []string{"33101", "33130", "33139"}, 20},
	{"312", "SAG", []string{"60601", "60602", "60611"}, 20},
	{"415", "AGP", []string{"94102", "94103", "94110"}, 20},
	{"512", "SAG", []string{"78701", "78702", "78704"}, 20},
	{"617", "AGP", []string{"02108", "02110", "02115"}, 20},
	{"702", "SAG", []string{"89101", "89102", "89109"}, 20},
	{"206", "AGP", []string{"98101", "98104", "98109"}, 20},
	{"303", "SAG", []string{"80202", "80203", "80205"}, 20},
	{"404", "AGP", []string{"30303", "30308", "30309"}, 20},
	{"213", "SAG", []string{"90012", "90013", "90015"}, 20},
	{"602", "AGP", []string{"85004", "85003", "85006"}, 20},
	{"907", "SAG", []string{"99501"}, 1},
}

// OneNumberArea is the area code with a single number in the inventory.
const OneNumberArea = "907"

// availabilityPageSize counts AvailableNumberAreas entries, not numbers:
// the documents say "10,000 results a page" and the results listed are
// areas.
const availabilityPageSize = 10000

// randomAreas is how many areas a search with neither AreaCode nor ZipCode
// returns.
const randomAreas = 5

type invNumber struct {
	e164, area, zip, ngp string
	claimed              bool // provisioned, and never returned to the pool
}

type inventory struct {
	all   []*invNumber
	areas []string
}

func newInventory() *inventory {
	inv := &inventory{}
	for _, a := range areaPlan {
		inv.areas = append(inv.areas, a.area)
		for z, zip := range a.zips {
			for i := range a.perZip {
				inv.all = append(inv.all, &invNumber{
					e164: fmt.Sprintf("+1%s555%02d%02d", a.area, z+1, i),
					area: a.area, zip: zip, ngp: a.ngp,
				})
			}
		}
	}
	return inv
}

func (inv *inventory) available(match func(*invNumber) bool) []*invNumber {
	var out []*invNumber
	for _, n := range inv.all {
		if !n.claimed && match(n) {
			out = append(out, n)
		}
	}
	return out
}

func inArea(a string) func(*invNumber) bool { return func(n *invNumber) bool { return n.area == a } }
func inZip(z string) func(*invNumber) bool  { return func(n *invNumber) bool { return n.zip == z } }

type availabilityRequest struct {
	NumberType     string `json:"NumberType"`
	MessageType    string `json:"MessageType"`
	MessageEnabled *bool  `json:"MessageEnabled"`
	VoiceEnabled   *bool  `json:"VoiceEnabled"`
	PageNumber     *int   `json:"PageNumber"`
	AreaCode       string `json:"AreaCode"`
	ZipCode        string `json:"ZipCode"`
}

type numberArea struct {
	NGP      string `json:"NGP"`
	AreaCode int    `json:"AreaCode"` // a number here, as documented
	Zipcode  string `json:"Zipcode"`  // and spelled Zipcode
}

type availabilityResponse struct {
	RequestId            string       `json:"RequestId"`
	RequestDate          string       `json:"RequestDate"`
	NumberType           string       `json:"NumberType"`
	VoiceEnabled         bool         `json:"VoiceEnabled"`
	MessageEnabled       bool         `json:"MessageEnabled"`
	AreaCode             string       `json:"AreaCode"`
	ZipCode              string       `json:"ZipCode"`
	PageNumber           int          `json:"PageNumber"`
	ResultsTotal         int          `json:"ResultsTotal"`
	AvailableNumberAreas []numberArea `json:"AvailableNumberAreas"`
}

func (req *availabilityRequest) validate() *apiError {
	for _, c := range []func() *apiError{
		func() *apiError { return required("NumberType", req.NumberType) },
		// The schema allows only "mobile"; the quickstart also offers "voip".
		func() *apiError { return oneOf("NumberType", &req.NumberType, "mobile", "voip") },
		func() *apiError { return oneOf("MessageType", &req.MessageType, "a2p", "p2p") },
		func() *apiError { return requiredBool("MessageEnabled", req.MessageEnabled) },
		func() *apiError { return requiredBool("VoiceEnabled", req.VoiceEnabled) },
		func() *apiError {
			if req.PageNumber != nil && *req.PageNumber < 1 {
				return badRequest("PageNumber must be 1 or more; got %d", *req.PageNumber)
			}
			return nil
		},
		func() *apiError { return checkOptional("AreaCode", req.AreaCode, validate.AreaCode) },
		func() *apiError { return checkOptional("ZipCode", req.ZipCode, validate.ZipCode) },
	} {
		if e := c(); e != nil {
			return e
		}
	}
	return nil
}

// availability searches AreaCode first, then ZipCode when the area has
// nothing, and a seeded-random handful of areas when both are blank. The
// capability flags do not filter: every sandbox number can do everything.
// An area with nothing available is an empty answer, not an error.
func (s *Server) availability(r *http.Request) (any, *apiError) {
	var req availabilityRequest
	if e := decodeBody(r, &req); e != nil {
		return nil, e
	}
	if e := req.validate(); e != nil {
		return nil, e
	}
	page := intOr(req.PageNumber, 1)

	s.mu.Lock()
	var found []*invNumber
	switch {
	case req.AreaCode != "":
		found = s.inv.available(inArea(req.AreaCode))
		if len(found) == 0 && req.ZipCode != "" {
			found = s.inv.available(inZip(req.ZipCode))
		}
	case req.ZipCode != "":
		found = s.inv.available(inZip(req.ZipCode))
	default:
		picked := 0
		for _, i := range s.rng.Perm(len(s.inv.areas)) {
			nums := s.inv.available(inArea(s.inv.areas[i]))
			if len(nums) > 0 {
				found = append(found, nums...)
				if picked++; picked == randomAreas {
					break
				}
			}
		}
	}
	s.mu.Unlock()

	var areas []numberArea
	seen := map[string]bool{}
	for _, n := range found {
		if key := n.area + "/" + n.zip; !seen[key] {
			seen[key] = true
			code, _ := strconv.Atoi(n.area)
			areas = append(areas, numberArea{NGP: n.ngp, AreaCode: code, Zipcode: n.zip})
		}
	}
	start := len(areas)
	if page-1 <= len(areas)/availabilityPageSize { // guards the multiplication against overflow
		start = min((page-1)*availabilityPageSize, len(areas))
	}
	end := min(start+availabilityPageSize, len(areas))
	return availabilityResponse{
		RequestId:            "T-" + randomString(5, "0123456789"),
		RequestDate:          timestamp(s.now()),
		NumberType:           req.NumberType,
		VoiceEnabled:         *req.VoiceEnabled,
		MessageEnabled:       *req.MessageEnabled,
		AreaCode:             req.AreaCode,
		ZipCode:              req.ZipCode,
		PageNumber:           page,
		ResultsTotal:         len(found),
		AvailableNumberAreas: append([]numberArea{}, areas[start:end]...),
	}, nil
}

// noneAvailable is the 404 of a provision that found nothing.
func noneAvailable(area, zip string) *apiError {
	var where []string
	if area != "" {
		where = append(where, "AreaCode "+strconv.Quote(area))
	}
	if zip != "" {
		where = append(where, "ZipCode "+strconv.Quote(zip))
	}
	if len(where) == 0 {
		return notFound("no numbers are available in the inventory; check availability again.")
	}
	return notFound("no numbers available in %s; check availability again.", strings.Join(where, " or "))
}
