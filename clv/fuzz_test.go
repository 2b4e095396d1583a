package clv

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// FuzzReadTransactions checks that no input panics ReadTransactions and
// that every input is either read into well-formed transactions (a trimmed,
// non-empty customer on each, finite non-negative amounts, each customer's
// transactions together on strictly increasing days) or refused with an
// error that says where.
func FuzzReadTransactions(f *testing.F) {
	f.Add([]byte("customer_id,date,amount\n0001,1997-01-01,29.33\n0001,19970118,29.73\n0001,1997-01-18,1\n"))
	f.Add([]byte("amount;date;customer_id\n1;1997-01-01;a\n"))
	f.Add([]byte("\xef\xbb\xbfCustomer_ID,Date,Amount,x\n\"a,b\",1997-02-28,0\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		txs, err := ReadTransactions(bytes.NewReader(data))
		if err != nil {
			msg := err.Error()
			if !strings.Contains(msg, "line") && !strings.Contains(msg, "header") && !strings.Contains(msg, "empty input") {
				t.Fatalf("error %q says neither line nor header", msg)
			}
			return
		}
		if !canonical(txs) {
			t.Fatalf("transactions not grouped by customer on increasing days: %v", txs)
		}
		for _, tx := range txs {
			if strings.TrimSpace(tx.CustomerID) != tx.CustomerID || tx.CustomerID == "" {
				t.Fatalf("customer %q is empty or not trimmed", tx.CustomerID)
			}
			if !(tx.Amount >= 0) || math.IsInf(tx.Amount, 0) {
				t.Fatalf("amount %v is not finite and non-negative", tx.Amount)
			}
		}
	})
}
