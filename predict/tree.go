package predict

// Tree is one regression tree of a Boosted model, its nodes in an array with
// the root first.
type Tree struct {
	Nodes []Node `json:"nodes"`
}

// Node is a split (Feature ≥ 0: rows with x[Feature] ≤ Threshold go Left,
// others and NaN go Right) or a leaf (Feature = -1). Value is the node's
// output in log-odds, learning rate applied: what the tree would return if
// the node were a leaf. Leaves' values are the tree's outputs; inner nodes'
// values attribute a prediction to the splits on its path.
type Node struct {
	Feature   int     `json:"f"`
	Threshold float64 `json:"t,omitempty"`
	Left      int     `json:"l,omitempty"`
	Right     int     `json:"r,omitempty"`
	Value     float64 `json:"v"`
	// Gain is the split's reduction of the loss (0 for leaves).
	Gain float64 `json:"g,omitempty"`
}

// leaf returns the index of the leaf x falls in.
func (t *Tree) leaf(x []float64) int {
	i := 0
	for t.Nodes[i].Feature >= 0 {
		n := &t.Nodes[i]
		if x[n.Feature] <= n.Threshold {
			i = n.Left
		} else {
			i = n.Right
		}
	}
	return i
}

// predict returns the tree's output for x.
func (t *Tree) predict(x []float64) float64 { return t.Nodes[t.leaf(x)].Value }

// attribute adds to contrib[f], along x's path, the change of value that each
// split on feature f makes (Saabas' method); it returns the root's value.
func (t *Tree) attribute(x []float64, contrib []float64) float64 {
	i := 0
	for t.Nodes[i].Feature >= 0 {
		n := &t.Nodes[i]
		next := n.Right
		if x[n.Feature] <= n.Threshold {
			next = n.Left
		}
		contrib[n.Feature] += t.Nodes[next].Value - n.Value
		i = next
	}
	return t.Nodes[0].Value
}
