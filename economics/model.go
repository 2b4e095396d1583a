package economics

import (
	"fmt"

	"github.com/rapportdev/rapport/clv"
)

// How a Model values a purchase.
const (
	// SpendGammaGamma is the Gamma-Gamma expected spend: the customer's
	// average order value shrunk towards the population's.
	SpendGammaGamma = "gamma-gamma"
	// SpendAverageOrderValue is the customer's own average order value,
	// used when Gamma-Gamma cannot be fitted or has no finite mean.
	SpendAverageOrderValue = "average order value"
)

// Model is the population's fitted purchase and spend models. A nil BGNBD
// means none could be fitted: no customer is then modelled.
type Model struct {
	BGNBD      *clv.BGNBDFit      `json:"bgnbd"`
	GammaGamma *clv.GammaGammaFit `json:"gamma_gamma"`
	// Spend is SpendGammaGamma or SpendAverageOrderValue.
	Spend string `json:"spend"`
	// Problems say why a model is missing or used with caution.
	Problems []string `json:"problems,omitempty"`
}

// Fit fits BG/NBD on the histories (in weeks, as History gives them) and
// Gamma-Gamma on those with repeat purchases. A model that cannot be
// fitted is left out and said why in Problems: the historical figures do
// not need it.
func Fit(histories []clv.Customer) Model {
	m := Model{Spend: SpendAverageOrderValue}
	if len(histories) == 0 {
		m.Problems = append(m.Problems, "no customer with order times: lifetime value is not modelled")
		return m
	}
	bg, err := clv.FitBGNBD(histories)
	if err == nil {
		err = bg.Validate()
	}
	switch {
	case err != nil:
		m.Problems = append(m.Problems, fmt.Sprintf("lifetime value is not modelled: %v", err))
	case !bg.Converged:
		// Still used: the parameters ran to an edge the data allow (a
		// history where nobody has stopped buying sends a to 0), and the
		// forecasts stay finite.
		m.BGNBD = &bg
		m.Problems = append(m.Problems, fmt.Sprintf("bg/nbd did not converge on %d customers: read forecasts as rough", bg.Customers))
	default:
		m.BGNBD = &bg
	}
	gg, err := clv.FitGammaGamma(histories)
	switch {
	case err != nil:
		m.Problems = append(m.Problems, fmt.Sprintf("spend per purchase is the average order value: %v", err))
	case !gg.Converged || gg.Validate() != nil:
		m.Problems = append(m.Problems, fmt.Sprintf("spend per purchase is the average order value: gamma-gamma did not converge on %d customers", gg.Customers))
	case gg.Q <= 1:
		m.Problems = append(m.Problems, fmt.Sprintf("spend per purchase is the average order value: gamma-gamma q = %.3g gives no finite mean", gg.Q))
	default:
		m.GammaGamma, m.Spend = &gg, SpendGammaGamma
	}
	return m
}

// expectedSpend is the value of one future purchase of c.
func (m Model) expectedSpend(c Customer) float64 {
	if m.GammaGamma != nil {
		return m.GammaGamma.ExpectedSpend(c.History)
	}
	return max(c.Revenue/float64(c.Orders), 0)
}
