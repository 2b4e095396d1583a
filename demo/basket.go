package demo

import (
	"math"
	mrand "math/rand/v2"
)

// line is one product line of an order: the product, how many, and the
// unit price paid (below the list price on sale).
type line struct {
	product  product
	quantity int
	price    float64
}

// Product ranges the personas choose from.
var (
	// northpeak is the trusted brand's range of shoes and jackets.
	northpeak = productsWhere(func(p product) bool { return p.brand == "Northpeak" && p.price >= 100 })
	// premium is everything else over a hundred.
	premium = productsWhere(func(p product) bool { return p.brand != "Northpeak" && p.price >= 100 })
	// small is the cheap end of the catalogue, from every brand: socks,
	// caps, gloves, bottles, lamps, a daypack.
	small = productsWhere(func(p product) bool { return p.price < 60 })
	// everyday is the catalogue without the big-ticket items.
	everyday = productsWhere(func(p product) bool { return p.price < 200 })
)

// productsWhere returns the catalogue's products that keep says to.
func productsWhere(keep func(product) bool) []product {
	var out []product
	for _, p := range catalog {
		if keep(p) {
			out = append(out, p)
		}
	}
	return out
}

// basket draws lo to hi products, one of each, from a range at list price.
func basket(rng *mrand.Rand, from []product, lo, hi int) []line {
	n := lo + rng.IntN(hi-lo+1)
	lines := make([]line, 0, n)
	for _, i := range rng.Perm(len(from))[:min(n, len(from))] {
		lines = append(lines, line{product: from[i], quantity: 1, price: from[i].price})
	}
	return lines
}

// trustedBasket is one or two products, nearly always Northpeak's.
func trustedBasket(rng *mrand.Rand) []line {
	lines := basket(rng, northpeak, 1, 2)
	if rng.IntN(100) < 10 {
		lines = append(lines, basket(rng, premium, 1, 1)...)
	}
	return lines
}

// saleBasket is one small thing, now and then two, at 30% off.
func saleBasket(rng *mrand.Rand) []line {
	n := 1
	if rng.IntN(100) < 20 {
		n = 2
	}
	lines := basket(rng, small, n, n)
	for i := range lines {
		lines[i].price = math.Round(lines[i].price*70) / 100
	}
	return lines
}
