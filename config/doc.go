// Package config reads rapport.yaml, the one file that declares what a
// Rapport server runs: the scoring model and how often scores are
// recomputed (segments, offers and vendors join it as they arrive). Unknown
// fields are errors that name their line, so a typo never passes silently.
package config
