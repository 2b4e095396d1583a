//go:build !race

package lead_test

const raceEnabled = false
