package storetest

import (
	"context"
	"testing"

	"github.com/rapportdev/rapport"
)

func testKeys(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	if keys, err := s.FindKeys(ctx); err != nil || len(keys) != 0 {
		t.Fatalf("FindKeys on a new store = %v, %v; want none", keys, err)
	}
	k1 := &rapport.Key{ID: "k1", Kind: rapport.KeyWrite, Name: "web", Hash: rapport.HashSecret("s1"), CreatedAt: at(1)}
	k2 := &rapport.Key{ID: "k2", Kind: rapport.KeyAdmin, Name: "ops", Hash: rapport.HashSecret("s2"), CreatedAt: at(2)}
	for _, k := range []*rapport.Key{k2, k1} {
		if err := s.CreateKey(ctx, k); err != nil {
			t.Fatalf("CreateKey(%s): %v", k.ID, err)
		}
	}
	dup := &rapport.Key{ID: "k3", Kind: rapport.KeyWrite, Name: "copy", Hash: k1.Hash, CreatedAt: at(3)}
	wantCode(t, "CreateKey with a duplicate hash", s.CreateKey(ctx, dup), rapport.ECONFLICT)
	keys, err := s.FindKeys(ctx)
	if err != nil {
		t.Fatalf("FindKeys: %v", err)
	}
	equal(t, "keys", keys, []*rapport.Key{k1, k2})
	if keys[0].Hash != k1.Hash {
		t.Fatalf("stored hash %q, want %q", keys[0].Hash, k1.Hash)
	}
	if err := s.DeleteKey(ctx, "k1"); err != nil {
		t.Fatalf("DeleteKey: %v", err)
	}
	wantCode(t, "DeleteKey twice", s.DeleteKey(ctx, "k1"), rapport.ENOTFOUND)
	keys, err = s.FindKeys(ctx)
	if err != nil {
		t.Fatalf("FindKeys: %v", err)
	}
	equal(t, "keys after delete", keys, []*rapport.Key{k2})
	// Once revoked, the secret's hash may be used again.
	if err := s.CreateKey(ctx, &rapport.Key{ID: "k4", Kind: rapport.KeyWrite, Name: "again", Hash: k1.Hash, CreatedAt: at(4)}); err != nil {
		t.Fatalf("CreateKey after delete: %v", err)
	}
}

func testClose(t *testing.T, s rapport.Store) {
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}
