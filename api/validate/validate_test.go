package validate

import (
	"strings"
	"testing"
)

type tc struct {
	in string
	ok bool
}

func check(t *testing.T, name string, f func(string) error, cases []tc, wantWords string) {
	t.Helper()
	for _, c := range cases {
		err := f(c.in)
		if (err == nil) != c.ok {
			t.Errorf("%s(%q) = %v, want ok=%v", name, c.in, err, c.ok)
			continue
		}
		if err != nil {
			msg := err.Error()
			if !strings.HasPrefix(msg, "must ") {
				t.Errorf("%s(%q) message %q should start with \"must\" so callers can prefix the field", name, c.in, msg)
			}
			if !strings.Contains(msg, wantWords) {
				t.Errorf("%s(%q) message %q does not mention %q", name, c.in, msg, wantWords)
			}
		}
	}
}

func TestE164(t *testing.T) {
	check(t, "E164", E164, []tc{
		{"+18015551234", true},
		{"+12345678", true},          // 8 digits, the minimum
		{"+123456789012345", true},   // 15 digits, the maximum
		{"+1", false},                // too short
		{"+1234567", false},          // 7 digits
		{"+1234567890123456", false}, // 16 digits
		{"18015551234", false},       // no +
		{"+08015551234", false},      // country codes never start with 0
		{"+1 801 555 1234", false},
		{"+1801555123a", false},
		{"", false},
		{"+", false},
		{"++18015551234", false},
	}, "E.164 number like +18015551234")
}

func TestAreaCode(t *testing.T) {
	check(t, "AreaCode", AreaCode, []tc{
		{"801", true},
		{"000", true}, // the API only asks for 3 digits
		{"20", false},
		{"2011", false},
		{"", false},
		{"80a", false},
		{" 801", false},
		{"-80", false},
	}, "3 digits")
}

func TestZipCode(t *testing.T) {
	check(t, "ZipCode", ZipCode, []tc{
		{"84043", true},
		{"07302", true},
		{"1234", false},
		{"123456", false},
		{"XXXXX", false},
		{"84043-1234", false},
		{"", false},
	}, "5 digits")
}

func TestICCID(t *testing.T) {
	check(t, "ICCID", ICCID, []tc{
		{"8901240397190195850", true},  // 19 digits, from the docs
		{"12345678900987654321", true}, // 20 digits
		{"890124039719019585", false},  // 18
		{"123456789009876543210", false},
		{"890124039719019585X", false},
		{"", false},
	}, "19 or 20 digits")
}

func TestEmail(t *testing.T) {
	check(t, "Email", Email, []tc{
		{"jerome4@joonto.com", true},
		{"first.last+tag@mail.example.co.uk", true},
		{"Jerome <jerome4@joonto.com>", false}, // display name
		{"<jerome4@joonto.com>", false},
		{"jerome4@joonto", false}, // no dot in the domain
		{"jerome4@.com", false},
		{"jerome4@joonto.", false},
		{"jerome4", false},
		{"@joonto.com", false},
		{"", false},
		{" jerome4@joonto.com", false},
	}, "email address like name@example.com")
}

func TestURL(t *testing.T) {
	check(t, "URL", URL, []tc{
		{"https://apiendpoint.com", true},
		{"https://apiendpoint.com:8443/hooks?x=1", true},
		{"HTTPS://EXAMPLE.COM/x", true},
		{"http://127.0.0.1:8080/x", true},
		{"http://localhost/x", true},
		{"http://[::1]:9000/", true},
		{"http://127.5.5.5/", true},
		{"http://example.com", false},
		{"ftp://x", false},
		{"https://", false},
		{"https:///path", false},
		{"apiendpoint.com", false},
		{"/relative/path", false},
		{"", false},
		{"https://exa mple.com", false},
		{"https:example.com", false},
		{"wss://example.com", false},
		{"https://example.com:0/", false},
		{"https://example.com:99999/", false},
		{"https://example.com:/", true}, // an empty port means the default
	}, "https URL")
}

func TestWebSocketURL(t *testing.T) {
	check(t, "WebSocketURL", WebSocketURL, []tc{
		{"wss://192.67.88.2", true},
		{"wss://stream.example.com/media", true},
		{"ws://127.0.0.1:8081/", true},
		{"ws://example.com/", false},
		{"https://example.com/", false},
		{"wss://", false},
		{"", false},
	}, "wss URL")
}

func TestIsLoopbackHost(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LocalHost": true, "127.0.0.1": true, "127.5.5.5": true, "::1": true, "[::1]": true,
		"::ffff:127.0.0.1": true,
		"example.com":      false, "10.0.0.1": false, "0.0.0.0": false, "": false, "[]": false, "128.0.0.1": false,
		"localhost.example.com": false, "::2": false,
	} {
		if got := IsLoopbackHost(host); got != want {
			t.Errorf("IsLoopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestIP(t *testing.T) {
	check(t, "IP", IP, []tc{
		{"20.87.87.87", true},
		{"2001:db8::1", true},
		{"::1", true},
		{"256.1.1.1", false},
		{"20.87.87", false},
		{"fe80::1%eth0", false},
		{"example.com", false},
		{"", false},
		{"20.87.87.87:5060", false},
	}, "IPv4 or IPv6 address")
}

func TestPort(t *testing.T) {
	check(t, "Port", Port, []tc{
		{"5060", true},
		{"1", true},
		{"65535", true},
		{"0", false},
		{"65536", false},
		{"-1", false},
		{"+5060", false},
		{"50 60", false},
		{"", false},
		{"99999999999999999999999", false},
	}, "1 to 65535")
}

func TestMIMEType(t *testing.T) {
	check(t, "MIMEType", MIMEType, []tc{
		{"audio/wav", true},
		{"video/mpg", true},
		{"image/svg+xml", true},
		{"text/plain; charset=utf-8", true},
		{"audio", false},
		{"/wav", false},
		{"audio/", false},
		{"audio/wav/x", false},
		{"audio wav", false},
		{"text/plain; charset", false},
		{"", false},
	}, "media type")
}

func TestBase64(t *testing.T) {
	check(t, "Base64", Base64, []tc{
		{"dkjjkdflajdfjo3ji3jjljfkjaskjfad", true}, // the quickstart's example
		{"aGVsbG8=", true},
		{"aGVs\nbG8=", true},
		{"aGVsbG8", false},  // missing padding
		{"aGVsbG8_", false}, // URL alphabet
		{"not base64!", false},
		{"", false},
		{"   ", false},
	}, "base64")
}

func TestClosestSuggestsTheAPIsOwnSpelling(t *testing.T) {
	known := []string{"Trunk1Priortiy", "Trunk1Weight", "TrunkIp1", "RouteName"}
	for in, want := range map[string]string{"Trunk1Priority": "Trunk1Priortiy", "trunk1weight": "Trunk1Weight", "RouteNam": "RouteName", "Something": ""} {
		if got := Closest(in, known); got != want {
			t.Errorf("Closest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLength(t *testing.T) {
	if err := Length("Body", strings.Repeat("é", 1600)); err != nil {
		t.Errorf("1,600 two-byte characters: %v", err)
	}
	err := Length("Body", strings.Repeat("x", 1601))
	if err == nil || err.Error() != "must be at most 1600 characters, got 1601" {
		t.Errorf("1,601 characters: %v", err)
	}
	if err := Length("Password", strings.Repeat("s3cret", 100)); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("a too long password: %v (must not show the value)", err)
	}
	if MaxLength("Email") != 254 || MaxLength("SomethingElse") != DefaultMaxLen {
		t.Errorf("bounds: Email %d, default %d", MaxLength("Email"), MaxLength("SomethingElse"))
	}
}
