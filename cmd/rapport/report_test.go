package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapportdev/rapport"
)

// reportStore makes a data directory holding two customers and a visitor,
// and a rule segment of the first customer: ann (3 orders for 300 over
// ten weeks, service_effort 8, 10 emails: cost to serve 80.20) and bob (1
// order of 50, 2 support tickets: cost 20).
func reportStore(t *testing.T) string {
	t.Helper()
	data := t.TempDir()
	now := time.Now().UTC()
	ago := func(weeks int) time.Time { return now.Add(-time.Duration(weeks) * 7 * 24 * time.Hour) }
	withStore(t, data, func(st rapport.Store) {
		ctx := context.Background()
		profiles := []*rapport.Profile{
			{ID: "p_ann", Kind: rapport.ProfilePerson, Traits: map[string]any{"service_effort": 8.0}, Aggregates: rapport.Aggregates{
				FirstSeen: ago(12), Orders: 3, Revenue: 300, AverageOrderValue: 100, FirstOrderAt: ago(10), LastOrderAt: ago(1),
				Events: map[string]int64{"Email Sent": 10}}},
			{ID: "p_bob", Kind: rapport.ProfilePerson, Aggregates: rapport.Aggregates{
				FirstSeen: ago(6), Orders: 1, Revenue: 50, AverageOrderValue: 50, FirstOrderAt: ago(6), LastOrderAt: ago(6),
				Events: map[string]int64{"Support Ticket Opened": 2}}},
			{ID: "p_visitor", Kind: rapport.ProfilePerson, Aggregates: rapport.Aggregates{FirstSeen: ago(2)}},
		}
		if err := st.ApplyChanges(ctx, rapport.Changes{Profiles: profiles, Checkpoint: 1}); err != nil {
			t.Fatal(err)
		}
		if err := st.PutSegment(ctx, &rapport.Segment{ID: "repeat", Name: "Repeat buyers", Kind: rapport.SegmentRule,
			Expression: "orders >= 2", CreatedAt: now, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
		if err := st.ApplyMemberships(ctx, []rapport.MembershipChange{{SegmentID: "repeat", ProfileID: "p_ann", Entered: true, At: now}}); err != nil {
			t.Fatal(err)
		}
	})
	return data
}

// runReportArgs runs `rapport report ARGS...` in process.
func runReportArgs(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := runReport(context.Background(), args, &stdout, &stderr)
	return stdout.String(), err
}

func TestReportCommand(t *testing.T) {
	data := reportStore(t)
	free := filepath.Join(t.TempDir(), "rapport.yaml")
	if err := os.WriteFile(free, []byte("economics:\n  cost_per_effort_unit: 0\n  cost_per_message: 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"segments", []string{"segments", "--data", data},
			[]string{`"profiles": 3`, `"id": "repeat"`, `"members": 1`}},
		{"segments as CSV", []string{"segments", "--data", data, "--format", "csv"},
			[]string{"segment,name,kind,members,share\nrepeat,Repeat buyers,rule,1,0.3333\n"}},
		{"economics", []string{"economics", "--data", data},
			[]string{`"segment": "all"`, `"customers": 2`, `"revenue": 350`, `"cost_to_serve": 100.2`, `"segment": "repeat"`, `"bgnbd"`}},
		{"economics as CSV", []string{"economics", "--data", data, "--format", "csv"},
			[]string{"segment,name,kind,members,customers,revenue,gross_margin,", "\nall,All customers,all,3,2,350,105,estimated,0,10,10,100.2,4.8,2.4,",
				"\nrepeat,Repeat buyers,rule,1,1,300,90,estimated,"}},
		{"economics with rapport.yaml: serving is free", []string{"economics", "--data", data, "--config", free},
			[]string{`"cost_per_effort_unit": 0`, `"cost_to_serve": 0,`, `"roi": null`}},
		{"personas: none yet", []string{"personas", "--data", data}, []string{`"personas": []`}},
		{"rfm", []string{"rfm", "--data", data}, []string{`"customers": 2`, `"cells": [`, `"group": "champions"`}},
		{"rfm as CSV", []string{"rfm", "--data", data, "--format", "csv"}, []string{"table,r,f,group,customers,share,revenue\n"}},
		{"serve first", []string{"serve-first", "--data", data, "--limit", "1"},
			[]string{`"customers": 2`, `"limit": 1`, `"rank": 1`}},
		{"serve first as CSV", []string{"serve-first", "--data", data, "--format", "csv", "--limit", "0"},
			[]string{"rank,profile_id,user_id,orders,", "\n1,p_", "\n2,p_"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runReportArgs(t, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if !strings.Contains(strings.Join(tt.args, " "), "csv") && !json.Valid([]byte(out)) {
				t.Errorf("output is not JSON:\n%s", out)
			}
		})
	}
}

func TestReportCommandErrors(t *testing.T) {
	data := reportStore(t)
	bad := filepath.Join(t.TempDir(), "rapport.yaml")
	if err := os.WriteFile(bad, []byte("economics:\n  default_margin_rate: 30\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no kind", nil, "want one of"},
		{"unknown kind", []string{"revenue", "--data", data}, "want one of"},
		{"unknown format", []string{"rfm", "--data", data, "--format", "xlsx"}, "--format"},
		{"negative limit", []string{"serve-first", "--data", data, "--limit", "-1"}, "--limit"},
		{"no store", []string{"segments", "--data", filepath.Join(t.TempDir(), "nowhere")}, "no store"},
		{"invalid rapport.yaml names the field and line", []string{"economics", "--data", data, "--config", bad},
			"economics.default_margin_rate (line 2)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := runReportArgs(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("runReport(%q) = %v, want an error mentioning %q", tt.args, err, tt.want)
			}
		})
	}
}
