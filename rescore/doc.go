// Package rescore keeps every profile's 3D score computed with the current
// scoring model.
//
// Live is the scoring the processor runs per event (a processor.Scorer)
// with a model that can be swapped while it runs. Pass walks every stored
// profile in the background and writes its score again: after the model
// changes, and from time to time so that engagement decays and customers
// move to at-risk and lapsed without a new event. A pass never stops
// ingestion or the processor: it writes each score only if the processor
// has not written a newer one meanwhile (rapport.ScoreUpdate).
//
// Keeper ties them to the store's model versions: it loads the declared
// model at start, stores a replacement made through the API as the next
// version, and runs one pass at a time, restarting it when the model
// changes under it.
package rescore
