-- The product catalogue (`rapport import products`): what the order lines
-- that name a product by id or SKU lack, its cost above all, so orders get
-- a margin. product_key is the product's id, else its SKU. Empty text and
-- zero amounts mean unknown. updated_at is unix nanoseconds.
CREATE TABLE products (
	product_key TEXT    PRIMARY KEY,
	id          TEXT    NOT NULL,
	sku         TEXT    NOT NULL,
	name        TEXT    NOT NULL,
	category    TEXT    NOT NULL,
	brand       TEXT    NOT NULL,
	price       REAL    NOT NULL,
	cost        REAL    NOT NULL,
	updated_at  INTEGER
) WITHOUT ROWID;
-- Order lines may name a product by its SKU alone.
CREATE INDEX products_sku ON products (sku) WHERE sku <> '';
