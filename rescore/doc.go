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
// Hot holds every profile's scoring state in memory, kept current from
// the batches the processor stores (Live.Applied): a pass then rescores
// it in place on every core in about a second for a million profiles,
// readers are served from it (Scores), and the store is written behind
// (Hot.WriteBehind). Until Hot is filled, passes go through the store.
//
// Keeper ties them to the store's model versions: it loads the declared
// model at start, stores a replacement made through the API as the next
// version, fills Hot, and runs one pass at a time, restarting it when the
// model changes under it.
package rescore
