package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// The documents write the same value in more than one JSON shape (booleans as
// "true", area codes as numbers or strings, To as a list or a plain string).
// These types decode every shape seen and encode the canonical one.

// FlexBool decodes true, "true", "True", 1 and "1" (and their false forms).
type FlexBool bool

func (b *FlexBool) UnmarshalJSON(data []byte) error {
	s := strings.ToLower(strings.Trim(string(bytes.TrimSpace(data)), `"`))
	switch s {
	case "true", "1", "yes":
		*b = true
	case "false", "0", "no", "", "null":
		*b = false
	default:
		return fmt.Errorf("not a boolean: %s", data)
	}
	return nil
}

// FlexInt decodes a JSON number or a numeric string; null and "" are 0.
type FlexInt int

func (n *FlexInt) UnmarshalJSON(data []byte) error {
	s := strings.Trim(string(bytes.TrimSpace(data)), `"`)
	if s == "" || s == "null" {
		*n = 0
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("not a number: %s", data)
	}
	*n = FlexInt(f)
	return nil
}

// FlexFloat decodes a JSON number or a numeric string; null and "" are 0.
type FlexFloat float64

func (f *FlexFloat) UnmarshalJSON(data []byte) error {
	s := strings.Trim(string(bytes.TrimSpace(data)), `"`)
	if s == "" || s == "null" {
		*f = 0
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("not a number: %s", data)
	}
	*f = FlexFloat(v)
	return nil
}

// Cost is a price as the API writes it: a number (0.0045, the outbound
// example) or a currency string ("$0.0045", the message search example).
// Amount is the number; Text keeps a string as sent, so the currency is not
// lost, and is what it encodes back to.
type Cost struct {
	Amount float64
	Text   string
}

func (c *Cost) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	*c = Cost{}
	if string(data) == "null" {
		return nil
	}
	if len(data) == 0 || data[0] != '"' {
		v, err := strconv.ParseFloat(string(data), 64)
		if err != nil {
			return fmt.Errorf("Cost is not a number or an amount: %s", data)
		}
		c.Amount = v
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	c.Text = s
	// Strip a currency sign or code on either side: "$0.0045", "USD 0.0045",
	// "0.0045 USD", "€0,50" is not guessed at (a comma decimal is refused).
	num := strings.TrimFunc(s, func(r rune) bool {
		return !(r >= '0' && r <= '9') && r != '.' && r != '-' && r != '+'
	})
	if num == "" {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		return fmt.Errorf("Cost is not a number or an amount: %s", data)
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return fmt.Errorf("Cost is not a number or an amount: %s", data)
	}
	c.Amount = v
	return nil
}

func (c Cost) MarshalJSON() ([]byte, error) {
	if c.Text != "" {
		return json.Marshal(c.Text)
	}
	return json.Marshal(c.Amount)
}

// String is the cost as the API wrote it.
func (c Cost) String() string {
	if c.Text != "" {
		return c.Text
	}
	return strconv.FormatFloat(c.Amount, 'f', -1, 64)
}

// FlexString decodes a JSON string or number (a zip code such as 00601 is a
// string, an area code sometimes a number); null is "".
type FlexString string

func (s *FlexString) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		var v string
		if err := json.Unmarshal(data, &v); err != nil {
			return err
		}
		*s = FlexString(v)
		return nil
	}
	if string(data) == "null" {
		*s = ""
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(data, &n); err != nil {
		return fmt.Errorf("not a string or number: %s", data)
	}
	*s = FlexString(n.String())
	return nil
}

// Recipients decodes To as a list of {"Number"} objects, a list of strings,
// or one comma-separated string (as message details writes it).
type Recipients []Recipient

func (r *Recipients) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case string(data) == "null":
		*r = nil
		return nil
	case len(data) > 0 && data[0] == '"':
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		*r = nil
		for part := range strings.SplitSeq(s, ",") {
			if part = strings.TrimSpace(part); part != "" {
				*r = append(*r, Recipient{Number: part})
			}
		}
		return nil
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("To is neither a list nor a string: %w", err)
	}
	out := make(Recipients, 0, len(raw))
	for _, item := range raw {
		var rec Recipient
		if len(item) > 0 && item[0] == '"' {
			if err := json.Unmarshal(item, &rec.Number); err != nil {
				return err
			}
		} else if err := json.Unmarshal(item, &rec); err != nil {
			return err
		}
		out = append(out, rec)
	}
	*r = out
	return nil
}

// Numbers lists the recipients' numbers.
func (r Recipients) Numbers() []string {
	out := make([]string, len(r))
	for i, rec := range r {
		out[i] = rec.Number
	}
	return out
}
