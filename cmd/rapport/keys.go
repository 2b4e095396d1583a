package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"text/tabwriter"
	"time"

	"github.com/rapportdev/rapport"
)

// Demo credentials, seeded by `serve --demo` when the environment names
// none, so the README's curl example works as printed.
const (
	demoWriteKey   = "wk_demo"
	demoAdminToken = "at_demo"
)

// seedKeys stores the write key and admin token named by RAPPORT_WRITE_KEY
// and RAPPORT_ADMIN_TOKEN (or the demo ones), and tells a first-time user
// how to create keys when there are none.
func seedKeys(ctx context.Context, st rapport.KeyStore, logger *slog.Logger, demo bool) error {
	write, admin := os.Getenv("RAPPORT_WRITE_KEY"), os.Getenv("RAPPORT_ADMIN_TOKEN")
	if demo && write == "" {
		write = demoWriteKey
		logger.Warn("demo write key in use; do not expose this server", "writeKey", demoWriteKey)
	}
	if demo && admin == "" {
		admin = demoAdminToken
		logger.Warn("demo admin token in use; do not expose this server", "adminToken", demoAdminToken)
	}
	if err := ensureKey(ctx, st, rapport.KeyWrite, "env", write); err != nil {
		return err
	}
	if err := ensureKey(ctx, st, rapport.KeyAdmin, "env", admin); err != nil {
		return err
	}
	keys, err := st.FindKeys(ctx)
	if err != nil {
		return fmt.Errorf("list keys: %w", err)
	}
	if len(keys) == 0 {
		logger.Warn("no keys yet: create a write key and an admin token with " +
			"'rapport keys create --kind write --name web' and 'rapport keys create --kind admin --name me' " +
			"(same --data/--postgres flags), or set RAPPORT_WRITE_KEY and RAPPORT_ADMIN_TOKEN")
	}
	return nil
}

// ensureKey stores secret as a key of the given kind unless it is there.
func ensureKey(ctx context.Context, st rapport.KeyStore, kind rapport.KeyKind, name, secret string) error {
	if secret == "" {
		return nil
	}
	k := &rapport.Key{ID: rapport.NewID("k_"), Kind: kind, Name: name, Hash: rapport.HashSecret(secret), CreatedAt: time.Now().UTC()}
	err := st.CreateKey(ctx, k)
	if rapport.ErrorCode(err) == rapport.ECONFLICT {
		return checkKeyKind(ctx, st, k)
	}
	if err != nil {
		return fmt.Errorf("store %s key: %w", kind, err)
	}
	return nil
}

// checkKeyKind refuses a secret seeded as one kind that is stored as another:
// an admin token must never double as a write key.
func checkKeyKind(ctx context.Context, st rapport.KeyStore, want *rapport.Key) error {
	keys, err := st.FindKeys(ctx)
	if err != nil {
		return fmt.Errorf("list keys: %w", err)
	}
	for _, k := range keys {
		if k.Hash == want.Hash && k.Kind != want.Kind {
			return fmt.Errorf("the %s secret from the environment is already stored as a %s key", want.Kind, k.Kind)
		}
	}
	return nil
}

func runKeys(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("keys: want create, list or revoke")
	}
	var sf storeFlags
	fs := flag.NewFlagSet("keys "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	sf.register(fs)
	kind := fs.String("kind", "write", "create: write (send events) or admin (admin API)")
	name := fs.String("name", "", "create: a name to recognise the key by")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	b, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer b.Close()
	st := b.Store
	switch args[0] {
	case "create":
		return createKey(ctx, st, rapport.KeyKind(*kind), *name, stdout)
	case "list":
		return listKeys(ctx, st, stdout)
	case "revoke":
		if fs.NArg() != 1 {
			return errors.New("keys revoke: want one key id")
		}
		return st.DeleteKey(ctx, fs.Arg(0))
	}
	return fmt.Errorf("keys: unknown subcommand %q (want create, list or revoke)", args[0])
}

func createKey(ctx context.Context, st rapport.KeyStore, kind rapport.KeyKind, name string, stdout io.Writer) error {
	prefix := map[rapport.KeyKind]string{rapport.KeyWrite: "wk_", rapport.KeyAdmin: "at_"}[kind]
	if prefix == "" {
		return fmt.Errorf("keys create: --kind %q: want write or admin", kind)
	}
	secret := rapport.NewSecret(prefix)
	k := &rapport.Key{ID: rapport.NewID("k_"), Kind: kind, Name: name, Hash: rapport.HashSecret(secret), CreatedAt: time.Now().UTC()}
	if err := st.CreateKey(ctx, k); err != nil {
		return fmt.Errorf("keys create: %w", err)
	}
	fmt.Fprintf(stdout, "id:     %s\nkind:   %s\nsecret: %s\n(the secret is shown once; only its hash is stored)\n", k.ID, k.Kind, secret)
	return nil
}

func listKeys(ctx context.Context, st rapport.KeyStore, stdout io.Writer) error {
	keys, err := st.FindKeys(ctx)
	if err != nil {
		return fmt.Errorf("keys list: %w", err)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tNAME\tCREATED")
	for _, k := range keys {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", k.ID, k.Kind, k.Name, k.CreatedAt.Format(time.RFC3339))
	}
	return tw.Flush()
}
