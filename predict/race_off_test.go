//go:build !race

package predict

// raceEnabled is true when the tests run under the race detector.
const raceEnabled = false
