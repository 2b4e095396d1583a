// Package predict trains and serves conversion models.
//
// It reads a table (ReadCSV), turns its columns into numeric features
// (Featurizer: standardised numbers, one-hot categories), and fits either an
// L2-regularised logistic regression (Logistic) or histogram gradient-boosted
// trees (Boosted) for a binary target. Both score a feature vector with a
// probability and explain it with per-feature contributions in log-odds. AUC
// and LogLoss measure them; a Model is stored and loaded as versioned JSON.
//
// The package does no I/O beyond the io.Reader it reads a table from.
package predict
