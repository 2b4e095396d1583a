package postgres

import (
	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/storecodec"
)

// storableBodies returns the JSON body of each event as text a json column
// accepts (see text: a json.RawMessage may carry invalid UTF-8).
func storableBodies(events []rapport.Event, w storecodec.Workers) ([]string, error) {
	raw, err := storecodec.EncodeEvents(events, w)
	if err != nil {
		return nil, err
	}
	bodies := make([]string, len(raw))
	for i, b := range raw {
		bodies[i] = text(string(b))
	}
	return bodies, nil
}
