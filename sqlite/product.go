package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

const productColumns = `id, sku, name, category, brand, price, cost, updated_at`

// putProductSQL adds a product or updates the stored one with what it
// knows (rapport.ProductInfo.Update): empty text and zero amounts keep
// the stored values.
const putProductSQL = `INSERT INTO products (product_key, ` + productColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (product_key) DO UPDATE SET
		sku = coalesce(nullif(excluded.sku, ''), products.sku),
		name = coalesce(nullif(excluded.name, ''), products.name),
		category = coalesce(nullif(excluded.category, ''), products.category),
		brand = coalesce(nullif(excluded.brand, ''), products.brand),
		price = coalesce(nullif(excluded.price, 0), products.price),
		cost = coalesce(nullif(excluded.cost, 0), products.cost),
		updated_at = excluded.updated_at`

// PutProducts adds or updates the products in one transaction.
func (s *Store) PutProducts(ctx context.Context, products []rapport.ProductInfo) error {
	if err := storecodec.CheckProducts(products); err != nil {
		return fmt.Errorf("put products: %w", err)
	}
	if len(products) == 0 {
		return nil
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("put products: %w", err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, putProductSQL)
	if err != nil {
		return fmt.Errorf("put products: %w", err)
	}
	defer stmt.Close()
	for _, p := range products {
		if _, err := stmt.ExecContext(ctx, p.Key(), p.ID, p.SKU, p.Name, p.Category, p.Brand, p.Price, p.Cost,
			storecodec.NullNanos(p.UpdatedAt)); err != nil {
			return fmt.Errorf("put product %s: %w", p.Key(), err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("put products: commit: %w", err)
	}
	return nil
}

// FindProducts returns the products the keys find, in one query: the
// keys are bound as one JSON array, so their number is not bounded by
// SQLite's limit on parameters.
func (s *Store) FindProducts(ctx context.Context, keys []string) (map[string]rapport.ProductInfo, error) {
	keys = storecodec.ProductKeys(keys)
	if len(keys) == 0 {
		return map[string]rapport.ProductInfo{}, nil
	}
	list, err := json.Marshal(keys)
	if err != nil {
		return nil, fmt.Errorf("find products: %w", err)
	}
	rows, err := s.queryProducts(ctx, `SELECT `+productColumns+` FROM products
		WHERE product_key IN (SELECT value FROM json_each(?1)) OR sku IN (SELECT value FROM json_each(?1))`, string(list))
	if err != nil {
		return nil, fmt.Errorf("find %d products: %w", len(keys), err)
	}
	return storecodec.PickProducts(keys, rows), nil
}

// ListProducts returns a page of products by key.
func (s *Store) ListProducts(ctx context.Context, after string, limit int) ([]rapport.ProductInfo, error) {
	out, err := s.queryProducts(ctx, `SELECT `+productColumns+` FROM products WHERE product_key > ? ORDER BY product_key LIMIT ?`,
		after, storecodec.PageLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("list products after %q: %w", after, err)
	}
	return out, nil
}

// queryProducts runs a query of productColumns.
func (s *Store) queryProducts(ctx context.Context, query string, args ...any) ([]rapport.ProductInfo, error) {
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []rapport.ProductInfo{}
	for rows.Next() {
		p, err := scanProduct(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func scanProduct(row scanner) (rapport.ProductInfo, error) {
	var p rapport.ProductInfo
	var updated *int64
	if err := row.Scan(&p.ID, &p.SKU, &p.Name, &p.Category, &p.Brand, &p.Price, &p.Cost, &updated); err != nil {
		return p, err
	}
	p.UpdatedAt = storecodec.FromNanos(updated)
	return p, nil
}
