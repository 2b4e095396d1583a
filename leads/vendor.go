package leads

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"github.com/rapportdev/rapport"
)

// CreateVendor stores a new vendor, stamped now.
func (s *Service) CreateVendor(ctx context.Context, v *rapport.Vendor) error {
	v.CreatedAt = s.cfg.Clock.Now().UTC()
	v.UpdatedAt = v.CreatedAt
	if err := s.cfg.Store.CreateVendor(ctx, v); err != nil {
		return fmt.Errorf("create vendor %s: %w", v.ID, err)
	}
	return nil
}

// UpdateVendor replaces a vendor's settings, keeping when it was created.
func (s *Service) UpdateVendor(ctx context.Context, v *rapport.Vendor) error {
	old, err := s.cfg.Store.FindVendorByID(ctx, v.ID)
	if err != nil {
		return fmt.Errorf("update vendor %s: %w", v.ID, err)
	}
	v.CreatedAt, v.UpdatedAt = old.CreatedAt, s.cfg.Clock.Now().UTC()
	if err := s.cfg.Store.UpdateVendor(ctx, v); err != nil {
		return fmt.Errorf("update vendor %s: %w", v.ID, err)
	}
	return nil
}

// DeleteVendor removes a vendor no lead was bought from, and revokes its
// keys.
func (s *Service) DeleteVendor(ctx context.Context, id string) error {
	if err := s.cfg.Store.DeleteVendor(ctx, id); err != nil {
		return fmt.Errorf("delete vendor %s: %w", id, err)
	}
	keys, err := s.VendorKeys(ctx, id)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := s.cfg.Store.DeleteKey(ctx, k.ID); err != nil && rapport.ErrorCode(err) != rapport.ENOTFOUND {
			return fmt.Errorf("revoke key %s of vendor %s: %w", k.ID, id, err)
		}
	}
	return nil
}

// IssueKey creates a key for the vendor and returns it with its secret,
// which is shown this once: only its hash is stored.
func (s *Service) IssueKey(ctx context.Context, vendorID string) (*rapport.Key, string, error) {
	if _, err := s.cfg.Store.FindVendorByID(ctx, vendorID); err != nil {
		return nil, "", fmt.Errorf("issue key for vendor %s: %w", vendorID, err)
	}
	secret := rapport.NewSecret("vk_")
	k := &rapport.Key{ID: rapport.NewID("k_"), Kind: rapport.KeyVendor, Name: vendorID,
		Hash: rapport.HashSecret(secret), CreatedAt: s.cfg.Clock.Now().UTC()}
	if err := s.cfg.Store.CreateKey(ctx, k); err != nil {
		return nil, "", fmt.Errorf("issue key for vendor %s: %w", vendorID, err)
	}
	return k, secret, nil
}

// VendorKeys returns the keys of a vendor.
func (s *Service) VendorKeys(ctx context.Context, vendorID string) ([]*rapport.Key, error) {
	all, err := s.cfg.Store.FindKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("find keys: %w", err)
	}
	out := []*rapport.Key{}
	for _, k := range all {
		if k.Kind == rapport.KeyVendor && k.Name == vendorID {
			out = append(out, k)
		}
	}
	return out, nil
}

// VendorOf returns the active vendor a vendor key belongs to, or
// EUNAUTHORIZED: a key of a deleted or inactive vendor opens nothing.
func (s *Service) VendorOf(ctx context.Context, k *rapport.Key) (*rapport.Vendor, error) {
	v, err := s.cfg.Store.FindVendorByID(ctx, k.Name)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND || (err == nil && !v.Active) {
		return nil, rapport.Errorf(rapport.EUNAUTHORIZED, "vendor key of an inactive or deleted vendor")
	}
	if err != nil {
		return nil, fmt.Errorf("find vendor of key %s: %w", k.ID, err)
	}
	return v, nil
}

// Declare makes the stored vendors agree with the ones rapport.yaml
// declares: each is created, or updated when it differs. Vendors made
// through the API and not declared are left alone.
func (s *Service) Declare(ctx context.Context, vendors []rapport.Vendor) error {
	for i := range vendors {
		v := vendors[i]
		old, err := s.cfg.Store.FindVendorByID(ctx, v.ID)
		switch {
		case rapport.ErrorCode(err) == rapport.ENOTFOUND:
			err = s.CreateVendor(ctx, &v)
		case err == nil && !sameVendor(old, &v):
			err = s.UpdateVendor(ctx, &v)
		}
		if err != nil {
			return fmt.Errorf("declare vendor %s: %w", v.ID, err)
		}
	}
	return nil
}

// sameVendor compares the declared settings of two vendors.
func sameVendor(a, b *rapport.Vendor) bool {
	x, y := *a, *b
	x.CreatedAt, x.UpdatedAt, y.CreatedAt, y.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return reflect.DeepEqual(x, y)
}
