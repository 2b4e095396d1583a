// Package clv estimates customer lifetime value from a transaction history.
//
// ReadTransactions reads purchases (customer, day, amount) from CSV, merging
// a customer's purchases on one day into one. Summarise turns them into one
// Customer per buyer for a calibration period: the number of repeat purchases
// x, the time of the last one t_x, the customer's age T, and the mean value
// of the repeat purchases.
//
// Two models are fitted by maximum likelihood on those summaries:
//
//   - BG/NBD (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy
//     Way"): how many purchases a customer makes and whether they are still
//     "alive". FitBGNBD estimates r, alpha, a, b; the fitted BGNBD gives
//     P(alive), expected purchases of a customer over the next t periods,
//     and of a new customer.
//   - Gamma-Gamma (Colombo & Jiang 1999; Fader, Hardie & Lee 2005, "RFM and
//     CLV"): the value of a customer's purchases. FitGammaGamma estimates p,
//     q, gamma on customers with at least one repeat purchase; the fitted
//     GammaGamma gives a customer's expected spend per purchase.
//
// Value combines the two into a discounted lifetime value over a horizon.
//
// The package does no I/O beyond the io.Reader it reads transactions from.
package clv
