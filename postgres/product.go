package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

const productColumns = `id, sku, name, category, brand, price, cost, updated_at`

// putProductSQL adds a product or updates the stored one with what it
// knows (rapport.ProductInfo.Update): empty text and zero amounts keep
// the stored values.
const putProductSQL = `INSERT INTO products (product_key, ` + productColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
	ON CONFLICT (product_key) DO UPDATE SET
		sku = coalesce(nullif(excluded.sku, ''), products.sku),
		name = coalesce(nullif(excluded.name, ''), products.name),
		category = coalesce(nullif(excluded.category, ''), products.category),
		brand = coalesce(nullif(excluded.brand, ''), products.brand),
		price = coalesce(nullif(excluded.price, 0), products.price),
		cost = coalesce(nullif(excluded.cost, 0), products.cost),
		updated_at = excluded.updated_at`

// PutProducts adds or updates the products in one transaction, sent as
// one batch. Keys pass Validate, so they are stored as given; the other
// text goes through text.
func (s *Store) PutProducts(ctx context.Context, products []rapport.ProductInfo) error {
	if err := storecodec.CheckProducts(products); err != nil {
		return fmt.Errorf("put products: %w", err)
	}
	if len(products) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	for _, p := range products {
		b.Queue(putProductSQL, p.Key(), p.ID, p.SKU, text(p.Name), text(p.Category), text(p.Brand), p.Price, p.Cost,
			storecodec.NullNanos(p.UpdatedAt))
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("put %d products: %w", len(products), err)
	}
	return nil
}

// FindProducts returns the products the keys find, in one query.
func (s *Store) FindProducts(ctx context.Context, keys []string) (map[string]rapport.ProductInfo, error) {
	keys = storecodec.ProductKeys(keys)
	if len(keys) == 0 {
		return map[string]rapport.ProductInfo{}, nil
	}
	rows, _ := s.pool.Query(ctx, `SELECT `+productColumns+` FROM products
		WHERE product_key = ANY($1) OR sku = ANY($1)`, keys)
	found, err := pgx.CollectRows(rows, scanProduct)
	if err != nil {
		return nil, fmt.Errorf("find %d products: %w", len(keys), err)
	}
	return storecodec.PickProducts(keys, found), nil
}

// ListProducts returns a page of products by key.
func (s *Store) ListProducts(ctx context.Context, after string, limit int) ([]rapport.ProductInfo, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+productColumns+` FROM products WHERE product_key > $1 ORDER BY product_key LIMIT $2`,
		text(after), storecodec.PageLimit(limit))
	out, err := pgx.CollectRows(rows, scanProduct)
	if err != nil {
		return nil, fmt.Errorf("list products after %q: %w", after, err)
	}
	return out, nil
}

func scanProduct(row pgx.CollectableRow) (rapport.ProductInfo, error) {
	var p rapport.ProductInfo
	var updated *int64
	if err := row.Scan(&p.ID, &p.SKU, &p.Name, &p.Category, &p.Brand, &p.Price, &p.Cost, &updated); err != nil {
		return p, err
	}
	p.UpdatedAt = storecodec.FromNanos(updated)
	return p, nil
}
