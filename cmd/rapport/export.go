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
	"github.com/rapportdev/rapport/processor"
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
	b, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer b.Close()
	// Apply what is still only in the log first, so the export holds every
	// event acknowledged before it started, once per messageId.
	if _, err := processor.New(b.Log, b.Store, processor.Options{Logger: quietLogger(stderr)}).CatchUp(ctx); err != nil {
		return fmt.Errorf("export events: apply the log: %w", err)
	}
	w := stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return fmt.Errorf("export events: %w", err)
		}
		defer f.Close()
		w = f
	}
	n, err := exportEvents(ctx, b.Store, w)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "exported %d events\n", n)
	return nil
}

// exportEvents writes every stored event as one JSON object per line, in
// log order, each with its messageId.
func exportEvents(ctx context.Context, st rapport.EventStore, w io.Writer) (int, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	var after int64
	total := 0
	for {
		events, err := st.ReadEvents(ctx, after, 5000)
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
