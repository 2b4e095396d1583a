// Package cluster discovers customer buckets: it groups customers by their
// numeric features with k-means and describes each group as a persona.
//
// The steps, each usable alone:
//
//   - ReadCSV reads a numeric table into a Matrix (flat, row-major, so a
//     million rows of eight features is one 64 MB slice).
//   - FitScaler and Scaler.Transform standardise columns to z-scores and keep
//     the means and deviations, so new customers can be placed later.
//   - KMeans fits k-means (k-means++ seeding as scikit-learn does it, Lloyd
//     iterations, several seedings keeping the lowest inertia), in parallel
//     over row chunks yet with results that depend only on the seed.
//   - Silhouette, SilhouetteSample and ChooseK judge the groups and pick k;
//     AdjustedRand compares two labelings.
//   - Describe turns members' features and channel, category and brand
//     mixes into a Persona per cluster: medians, a label and a one-line story.
//
// The package does no I/O beyond the io.Reader ReadCSV reads from.
package cluster
