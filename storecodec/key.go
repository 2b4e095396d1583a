package storecodec

import (
	"time"

	"github.com/rapportdev/rapport"
)

// PrepareKey readies k to be stored: it returns EINVALID when k has no
// hash, and fills in a missing ID and CreatedAt (now, in UTC).
func PrepareKey(k *rapport.Key) error {
	if k.Hash == "" {
		return rapport.Errorf(rapport.EINVALID, "key hash is required")
	}
	if k.ID == "" {
		k.ID = rapport.NewID("key_")
	}
	if k.CreatedAt.IsZero() {
		k.CreatedAt = time.Now().UTC()
	}
	return nil
}
