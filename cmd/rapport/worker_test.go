package main

import (
	"io"
	"strings"
	"testing"
)

// TestServeRefusesPartitionMisconfiguration checks the clear errors of
// roles and partitioning the backend cannot run.
func TestServeRefusesPartitionMisconfiguration(t *testing.T) {
	const pg, nats = "--postgres=postgres://x/y", "--nats=nats://127.0.0.1:1"
	for _, tt := range []struct {
		args []string
		want string // "" when the flags are valid
	}{
		{[]string{"--role", "worker"}, "--role worker needs --postgres and --nats"},
		{[]string{"--role", "worker", pg}, "--role worker needs --postgres and --nats"},
		{[]string{"--role", "worker", nats}, "--role worker needs --postgres and --nats"},
		{[]string{"--role", "worker", pg, nats}, ""},
		{[]string{"--role", "ingest", "--partitions", "8"}, "--partitions needs --postgres and --nats"},
		{[]string{"--partitions", "8", pg, nats}, "--partitions needs --role ingest or worker"},
		{[]string{"--role", "ingest", "--partitions", "-1", pg, nats}, "want 0 or more"},
		{[]string{"--role", "worker", "--lease-ttl", "1ms", pg, nats}, "--lease-ttl"},
		{[]string{"--role", "boss"}, "want all, ingest or worker"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			cfg, err := parseServe(tt.args, io.Discard)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("got %v, want no error", err)
			case tt.want == "" && cfg.store.partitions != defaultPartitions:
				t.Fatalf("worker partitions = %d, want %d", cfg.store.partitions, defaultPartitions)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
