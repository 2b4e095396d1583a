package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/rapportdev/rapport"
)

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "events" {
		return errors.New("export: want 'export events'")
	}
	var sf storeFlags
	fs := flag.NewFlagSet("export events", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sf.register(fs)
	out := fs.String("o", "-", "output file (- for standard output)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	w := stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return fmt.Errorf("export events: %w", err)
		}
		defer f.Close()
		w = f
	}
	n, err := exportEvents(ctx, st, w)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "exported %d events\n", n)
	return nil
}

// exportEvents writes every stored event as one JSON object per line, in
// log order, each with its messageId.
func exportEvents(ctx context.Context, log rapport.EventLog, w io.Writer) (int, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	var after int64
	total := 0
	for {
		events, err := log.ReadEvents(ctx, after, 5000)
		if err != nil {
			return total, fmt.Errorf("export events after seq %d: %w", after, err)
		}
		if len(events) == 0 {
			break
		}
		for i := range events {
			if err := enc.Encode(&events[i]); err != nil {
				return total, fmt.Errorf("export events: %w", err)
			}
		}
		total += len(events)
		after = events[len(events)-1].Seq
	}
	if err := bw.Flush(); err != nil {
		return total, fmt.Errorf("export events: %w", err)
	}
	return total, nil
}
