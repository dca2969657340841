package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/telegent/telegent-onboard/api/validate"
)

const maxBody = 1 << 20

// decodeBody reads a JSON object into dst (a pointer to a request struct).
//
// It is stricter than encoding/json in one way: a key that matches no field
// is refused, with the nearest known name suggested. The API's spellings are
// odd (Trunk1Priortiy, IpWhitelist) and a silently ignored typo would leave a
// customer with a route that quietly lacks the setting they typed.
func decodeBody(r *http.Request, dst any) *apiError {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return badRequest("the request body could not be read: %v", err)
	}
	if len(body) > maxBody {
		return &apiError{Status: http.StatusRequestEntityTooLarge, Message: msgTooLarge}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return badRequest("the request body is empty; send a JSON object")
	}
	// Unmarshalling into RawMessage runs only the syntax checker, which
	// reports where the JSON went wrong, trailing garbage included.
	var raw json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line, col := position(body, se.Offset)
			return badRequest("the body is not valid JSON: %s (line %d, column %d)", se.Error(), line, col)
		}
		return badRequest("the body is not valid JSON: %v", err)
	}
	if raw = bytes.TrimSpace(raw); raw[0] != '{' {
		return badRequest("the body must be a JSON object, like {\"Field\": \"value\"}")
	}
	t := reflect.TypeOf(dst).Elem()
	if e := checkFields(raw, t, ""); e != nil {
		return e
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return typeError(te, t)
		}
		return badRequest("the body could not be decoded: %v", err)
	}
	return nil
}

// position turns a byte offset into a 1-based line and column.
func position(body []byte, off int64) (line, col int) {
	if off > int64(len(body)) {
		off = int64(len(body))
	}
	if off < 0 {
		off = 0
	}
	before := body[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - (bytes.LastIndexByte(before, '\n') + 1)
	if col < 1 {
		col = 1
	}
	return line, col
}

// checkFields walks raw alongside t and refuses the first key that names no
// field. Type mismatches are left to encoding/json, which reports them with
// the expected type.
func checkFields(raw []byte, t reflect.Type, where string) *apiError {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		if !startsWith(raw, '{') {
			return nil
		}
		fields := jsonFields(t)
		dec := json.NewDecoder(bytes.NewReader(raw))
		if _, err := dec.Token(); err != nil {
			return nil
		}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return nil
			}
			key, _ := tok.(string)
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return nil
			}
			f, ok := findField(fields, key)
			if !ok {
				return unknownField(key, fields, where)
			}
			if e := checkFields(v, f.typ, joinPath(where, f.name)); e != nil {
				return e
			}
		}
	case reflect.Slice:
		if !startsWith(raw, '[') {
			return nil
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		if _, err := dec.Token(); err != nil {
			return nil
		}
		for i := 0; dec.More(); i++ {
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return nil
			}
			if e := checkFields(v, t.Elem(), fmt.Sprintf("%s[%d]", where, i)); e != nil {
				return e
			}
		}
	}
	return nil
}

type jsonField struct {
	name string
	typ  reflect.Type
}

func jsonFields(t reflect.Type) []jsonField {
	var out []jsonField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, jsonField{name: name, typ: f.Type})
	}
	return out
}

// findField matches like encoding/json: exactly, else ignoring case.
func findField(fields []jsonField, key string) (jsonField, bool) {
	for _, f := range fields {
		if f.name == key {
			return f, true
		}
	}
	for _, f := range fields {
		if strings.EqualFold(f.name, key) {
			return f, true
		}
	}
	return jsonField{}, false
}

func unknownField(key string, fields []jsonField, where string) *apiError {
	msg := "unknown field " + q(key)
	if where != "" {
		msg += " in " + where
	}
	if s := closest(key, fields); s != "" {
		return badRequest("%s; did you mean %q?", msg, s)
	}
	return badRequest("%s; check its spelling against the API documentation", msg)
}

// closest returns the known name nearest to key (ignoring case) when it is
// at most 3 edits away; ties go to the field declared first.
func closest(key string, fields []jsonField) string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	return validate.Closest(key, names)
}

// typeError names the field and the type it needs, in JSON terms.
func typeError(te *json.UnmarshalTypeError, root reflect.Type) *apiError {
	path, declared := resolvePath(root, te.Field)
	got := describeValue(te.Value)
	if path == "" {
		return badRequest("the body must be a JSON object; got %s", got)
	}
	want := describeType(te.Type)
	if declared != nil && declared.Kind() == reflect.Slice && te.Type.Kind() != reflect.Slice {
		return badRequest("each entry of %s must be %s; got %s", path, want, got)
	}
	return badRequest("%s must be %s; got %s", path, want, got)
}

// resolvePath turns encoding/json's "To.Number" into "To[].Number" and
// returns the declared type of the last field.
func resolvePath(root reflect.Type, field string) (string, reflect.Type) {
	if field == "" {
		return "", nil
	}
	t := root
	var parts []string
	var declared reflect.Type
	for seg := range strings.SplitSeq(field, ".") {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			if t.Kind() == reflect.Slice && len(parts) > 0 {
				parts[len(parts)-1] += "[]"
			}
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return field, nil
		}
		f, ok := findField(jsonFields(t), seg)
		if !ok {
			return field, nil
		}
		parts = append(parts, f.name)
		declared, t = f.typ, f.typ
	}
	for declared != nil && declared.Kind() == reflect.Pointer {
		declared = declared.Elem()
	}
	return strings.Join(parts, "."), declared
}

func describeType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice:
		e := t.Elem()
		for e.Kind() == reflect.Pointer {
			e = e.Elem()
		}
		switch e.Kind() {
		case reflect.String:
			return "an array of strings"
		case reflect.Struct:
			return "an array of objects"
		}
		return "an array"
	case reflect.Struct:
		return "an object"
	}
	return "a different type"
}

func describeValue(v string) string {
	switch {
	case v == "string":
		return "a string"
	case v == "bool":
		return "true/false"
	case v == "array":
		return "an array"
	case v == "object":
		return "an object"
	case strings.HasPrefix(v, "number "):
		return "the number " + strings.TrimPrefix(v, "number ")
	case v == "number":
		return "a number"
	}
	return v
}

func startsWith(raw []byte, c byte) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == c
}

func joinPath(where, name string) string {
	if where == "" {
		return name
	}
	return where + "." + name
}
