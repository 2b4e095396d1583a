package storecodec

import (
	"fmt"
	json "github.com/goccy/go-json"

	"github.com/rapportdev/rapport"
)

// EncodeOrder returns the JSON body of o, with its time in UTC.
func EncodeOrder(o rapport.Order) ([]byte, error) {
	o.At = o.At.UTC()
	body, err := json.Marshal(&o)
	if err != nil {
		return nil, fmt.Errorf("encode order %s: %w", o.OrderID, err)
	}
	return body, nil
}

// DecodeOrder rebuilds an order from its body and the profile_id column,
// with its time in UTC. The column wins over the body: a merge re-points
// the row only.
func DecodeOrder(profileID string, body []byte) (rapport.Order, error) {
	var o rapport.Order
	if err := json.Unmarshal(body, &o); err != nil {
		return o, fmt.Errorf("decode order: %w", err)
	}
	o.ProfileID, o.At = profileID, o.At.UTC()
	return o, nil
}
