package clv

import (
	"errors"
	"fmt"
	"time"
)

// Customer summarises one customer's purchases in the calibration period, in
// the terms of the BG/NBD and Gamma-Gamma papers.
type Customer struct {
	ID string `json:"id"`
	// X is the number of repeat purchases: distinct purchase days minus one.
	X int `json:"x"`
	// TX is the time of the last purchase, in periods since the first.
	TX float64 `json:"t_x"`
	// T is the time from the first purchase to the calibration end, in
	// periods.
	T float64 `json:"T"`
	// Value is the mean amount of the repeat purchases (the first purchase
	// left out, as Gamma-Gamma wants); zero when X is zero.
	Value float64 `json:"value"`
}

// Summarise turns transactions into one Customer per buyer whose first
// purchase is on or before the calibration end; purchases after it are left
// out. Only calendar days count: end and the transaction dates are taken as
// days, whatever their time of day.
//
// Times are measured from the start of the first purchase day to the start
// of the end day, so a customer who first bought on 1997-01-01 has
// T = 272 days = 38.86 weeks at the end 1997-09-30. This is the convention of
// the published CDNOW fits (Fader, Hardie & Lee 2005, and Hardie's notes,
// which list T = 38.86 for that customer); measuring to the end of the end
// day (T = 39 weeks) gives a different fit (see the package tests).
//
// Transactions need not be ordered or merged by day; a customer's purchases
// on one day count as one purchase whose amount is their sum.
func Summarise(txs []Transaction, end time.Time, p Period) ([]Customer, error) {
	if p != Day && p != Week {
		return nil, fmt.Errorf("summarise: unknown period %d", int(p))
	}
	if end.IsZero() {
		return nil, errors.New("summarise: no calibration end date")
	}
	if !canonical(txs) {
		txs = mergeTransactions(txs)
	}
	endDay := dayNumber(end)
	var out []Customer
	for start := 0; start < len(txs); {
		stop := start + 1
		for stop < len(txs) && txs[stop].CustomerID == txs[start].CustomerID {
			stop++
		}
		if c, ok := summariseOne(txs[start:stop], endDay, p.days()); ok {
			out = append(out, c)
		}
		start = stop
	}
	return out, nil
}

// summariseOne summarises one customer's transactions, merged and ordered by
// day; ok is false when the first purchase is after the end day.
func summariseOne(txs []Transaction, endDay int64, periodDays float64) (Customer, bool) {
	first := dayNumber(txs[0].Date)
	if first > endDay {
		return Customer{}, false
	}
	last, sum, x := first, 0.0, 0
	for _, tx := range txs[1:] {
		d := dayNumber(tx.Date)
		if d > endDay {
			break
		}
		last, sum, x = d, sum+tx.Amount, x+1
	}
	c := Customer{
		ID: txs[0].CustomerID,
		X:  x,
		TX: float64(last-first) / periodDays,
		T:  float64(endDay-first) / periodDays,
	}
	if x > 0 {
		c.Value = sum / float64(x)
	}
	return c, true
}

// canonical reports whether txs are as ReadTransactions returns them: each
// customer's transactions together, on strictly increasing days.
func canonical(txs []Transaction) bool {
	seen := map[string]bool{}
	for i, tx := range txs {
		if i > 0 && tx.CustomerID == txs[i-1].CustomerID {
			if dayNumber(tx.Date) <= dayNumber(txs[i-1].Date) {
				return false
			}
			continue
		}
		if seen[tx.CustomerID] {
			return false
		}
		seen[tx.CustomerID] = true
	}
	return true
}

// mergeTransactions merges a customer's transactions on one day and orders
// them as ReadTransactions does.
func mergeTransactions(txs []Transaction) []Transaction {
	m := newMerger()
	for _, tx := range txs {
		m.merge(tx.CustomerID, dateOf(tx.Date), tx.Amount)
	}
	return m.transactions()
}
