package storetest

import (
	"context"
	"testing"

	"github.com/rapportdev/rapport"
)

func testModels(t *testing.T, s rapport.Store) {
	ctx := context.Background()
	_, err := s.CurrentModel(ctx, rapport.ModelScoring)
	wantCode(t, "CurrentModel of an empty store", err, rapport.ENOTFOUND)
	put := func(kind, body, source string) rapport.ModelVersion {
		t.Helper()
		m, err := s.PutModel(ctx, rapport.ModelVersion{Kind: kind, Version: 99, Body: []byte(body), Source: source, Digest: "d-" + body})
		if err != nil {
			t.Fatalf("PutModel(%s): %v", body, err)
		}
		if m.CreatedAt.IsZero() {
			t.Errorf("PutModel(%s) left CreatedAt zero", body)
		}
		return m
	}
	v1 := put(rapport.ModelScoring, "version: 1", "file rapport.yaml")
	v2 := put(rapport.ModelScoring, "version: 2\n# ü", "api")
	c1 := put(rapport.ModelConversion, `{"kind":"logistic"}`, "rapport model train")
	if v1.Version != 1 || v2.Version != 2 || c1.Version != 1 {
		t.Fatalf("versions = %d, %d and %d; want 1, 2 (scoring) and 1 (conversion)", v1.Version, v2.Version, c1.Version)
	}
	cur, err := s.CurrentModel(ctx, rapport.ModelScoring)
	if err != nil {
		t.Fatalf("CurrentModel: %v", err)
	}
	if cur.Version != 2 || string(cur.Body) != "version: 2\n# ü" || cur.Source != "api" || cur.Digest != "d-version: 2\n# ü" {
		t.Errorf("CurrentModel = %+v (body %q), want version 2 from the api", cur, cur.Body)
	}
	list, err := s.ListModels(ctx, rapport.ModelScoring)
	if err != nil {
		t.Fatalf("ListModels: %v", err)
	}
	if len(list) != 2 || list[0].Version != 2 || list[1].Version != 1 || string(list[1].Body) != "version: 1" {
		t.Errorf("ListModels = %+v, want versions 2 then 1 with bodies", list)
	}
	if list, err := s.ListModels(ctx, "nothing"); err != nil || len(list) != 0 {
		t.Errorf("ListModels(nothing) = %v, %v; want none", list, err)
	}
}
