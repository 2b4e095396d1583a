package offer

import (
	"fmt"
	"io"
	"strings"
)

// chartColours are the policies' line colours, in SimResult order.
var chartColours = []string{"#1f77b4", "#9467bd", "#7f7f7f", "#ff7f0e"}

// panel is one chart of the figure: curves over the decisions.
type panel struct {
	title  string
	x      int // left edge
	max    float64
	series []series
}

type series struct {
	name   string
	colour string
	ys     []float64
}

// WriteSVG draws a simulation's curves as an SVG figure: the cumulative
// accept rate of each policy, the regret of each, and the share of offers
// shown that the person never accepts, stretch by stretch.
func (res SimResult) WriteSVG(w io.Writer) error {
	if len(res.Curves) == 0 || len(res.Curves[0].Rounds) == 0 {
		return fmt.Errorf("simulation has no curves to draw")
	}
	rounds := res.Curves[0].Rounds
	var rate, regret, irrelevant []series
	top := [3]float64{}
	for i, c := range res.Curves {
		col := chartColours[i%len(chartColours)]
		rate = append(rate, series{c.Policy, col, c.AcceptRate})
		regret = append(regret, series{c.Policy, col, c.Regret})
		irrelevant = append(irrelevant, series{c.Policy, col, c.Irrelevant})
		for k, ys := range [][]float64{c.AcceptRate, c.Regret, c.Irrelevant} {
			for _, y := range ys {
				top[k] = max(top[k], y)
			}
		}
	}
	panels := []panel{
		{"cumulative accept rate", 60, niceMax(top[0]), rate},
		{"cumulative regret (accepts lost)", 380, niceMax(top[1]), regret},
		{"share shown that the person never accepts", 700, niceMax(top[2]), irrelevant},
	}
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="330" font-family="sans-serif" font-size="11">` + "\n")
	b.WriteString(`<rect width="1000" height="330" fill="white"/>` + "\n")
	for _, p := range panels {
		p.draw(&b, rounds)
	}
	for i, c := range res.Curves {
		x := 60 + 230*i
		fmt.Fprintf(&b, `<line x1="%d" y1="312" x2="%d" y2="312" stroke="%s" stroke-width="2"/><text x="%d" y="316">%s</text>`+"\n",
			x, x+20, chartColours[i%len(chartColours)], x+26, c.Policy)
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// niceMax rounds a maximum up to 1, 2 or 5 times a power of ten.
func niceMax(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := 1.0
	for p*10 <= v {
		p *= 10
	}
	for p > v {
		p /= 10
	}
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// draw writes one panel: 260 × 220 pixels of plot below its title.
func (p panel) draw(b *strings.Builder, rounds []int) {
	const top, h, w = 40, 220, 260
	last := float64(rounds[len(rounds)-1])
	px := func(r int) float64 { return float64(p.x) + w*float64(r)/last }
	py := func(y float64) float64 { return top + h - h*y/p.max }
	fmt.Fprintf(b, `<text x="%d" y="24" font-size="13">%s</text>`+"\n", p.x, p.title)
	fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#999"/>`+"\n", p.x, top, w, h)
	for i := 0; i <= 4; i++ {
		y := p.max * float64(i) / 4
		fmt.Fprintf(b, `<text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n", p.x-4, py(y)+4, tick(y))
		if i > 0 && i < 4 {
			fmt.Fprintf(b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#eee"/>`+"\n", p.x, py(y), p.x+w, py(y))
		}
	}
	fmt.Fprintf(b, `<text x="%d" y="%d">0</text><text x="%d" y="%d" text-anchor="end">%d decisions</text>`+"\n",
		p.x, top+h+14, p.x+w, top+h+14, int(last))
	for _, s := range p.series {
		var pts []string
		for i, y := range s.ys {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(rounds[i]), py(y)))
		}
		fmt.Fprintf(b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"><title>%s</title></polyline>`+"\n",
			s.colour, strings.Join(pts, " "), s.name)
	}
}

// tick writes an axis value without trailing zeros.
func tick(v float64) string {
	if v >= 100 {
		return fmt.Sprintf("%.0f", v)
	}
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3f", v), "0"), ".")
}
