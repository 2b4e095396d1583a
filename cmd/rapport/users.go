package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/rapportdev/rapport"
	"github.com/rapportdev/rapport/password"
)

// usersUsage lists the subcommands of `rapport users`.
const usersUsage = "users: want add, list, password or remove"

// runUsers manages the accounts that sign in to the dashboard with an
// email and a password.
func runUsers(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(usersUsage)
	}
	var sf storeFlags
	fs := flag.NewFlagSet("users "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	sf.register(fs)
	email := fs.String("email", "", "add, password, remove: the user's email address")
	name := fs.String("name", "", "add: the user's name")
	fromStdin := fs.Bool("password-stdin", false, "add, password: read the password from the first line of standard input "+
		"(without it, a terminal is asked twice)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("users %s: unexpected argument %q (flags go before it?)", args[0], fs.Arg(0))
	}
	needEmail := args[0] == "add" || args[0] == "password" || args[0] == "remove"
	if needEmail && strings.TrimSpace(*email) == "" {
		return fmt.Errorf("users %s: --email is required", args[0])
	}
	switch args[0] {
	case "add", "password", "list", "remove":
	default:
		return fmt.Errorf("users: unknown subcommand %q (want add, list, password or remove)", args[0])
	}
	b, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer b.Close()
	st := b.Store
	switch args[0] {
	case "add":
		hash, err := readPassword(os.Stdin, stderr, *fromStdin)
		if err != nil {
			return fmt.Errorf("users add: %w", err)
		}
		now := time.Now().UTC()
		u := &rapport.User{ID: rapport.NewID("u_"), Email: *email, Name: strings.TrimSpace(*name), PasswordHash: hash,
			CreatedAt: now, UpdatedAt: now}
		if err := st.CreateUser(ctx, u); err != nil {
			return fmt.Errorf("users add: %w", err)
		}
		fmt.Fprintf(stdout, "id:    %s\nemail: %s\n(signs in to the dashboard with this email and the password)\n", u.ID, u.Email)
		return nil
	case "password":
		u, err := st.FindUserByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("users password: %w", err)
		}
		hash, err := readPassword(os.Stdin, stderr, *fromStdin)
		if err != nil {
			return fmt.Errorf("users password: %w", err)
		}
		if err := st.SetUserPassword(ctx, u.ID, hash, time.Now().UTC()); err != nil {
			return fmt.Errorf("users password: %w", err)
		}
		fmt.Fprintf(stdout, "password of %s changed; their earlier sessions end within 10 seconds\n", u.Email)
		return nil
	case "remove":
		u, err := st.FindUserByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("users remove: %w", err)
		}
		if err := st.DeleteUser(ctx, u.ID); err != nil {
			return fmt.Errorf("users remove: %w", err)
		}
		fmt.Fprintf(stdout, "removed %s; their sessions end within 10 seconds\n", u.Email)
		return nil
	}
	return listUsers(ctx, st, stdout)
}

func listUsers(ctx context.Context, st rapport.UserStore, stdout io.Writer) error {
	users, err := st.FindUsers(ctx)
	if err != nil {
		return fmt.Errorf("users list: %w", err)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tCREATED\tPASSWORD CHANGED")
	for _, u := range users {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.CreatedAt.Format(time.RFC3339), u.UpdatedAt.Format(time.RFC3339))
	}
	return tw.Flush()
}

// readPassword returns the hash of a password read from the first line of
// in (fromStdin), or typed twice at the terminal in is.
func readPassword(in *os.File, prompt io.Writer, fromStdin bool) (string, error) {
	var pw string
	switch {
	case fromStdin:
		line, err := bufio.NewReader(in).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read the password from standard input: %w", err)
		}
		pw = strings.TrimRight(line, "\r\n")
	case term.IsTerminal(int(in.Fd())):
		first, err := ask(in, prompt, "Password: ")
		if err != nil {
			return "", err
		}
		if err := password.Check(first); err != nil {
			return "", err
		}
		again, err := ask(in, prompt, "Same password again: ")
		if err != nil {
			return "", err
		}
		if again != first {
			return "", errors.New("the two passwords differ")
		}
		pw = first
	default:
		return "", errors.New("standard input is not a terminal: pass the password on it with --password-stdin")
	}
	return password.Hash(pw)
}

// ask reads a line from the terminal without echoing it.
func ask(in *os.File, prompt io.Writer, question string) (string, error) {
	fmt.Fprint(prompt, question)
	b, err := term.ReadPassword(int(in.Fd()))
	fmt.Fprintln(prompt)
	if err != nil {
		return "", fmt.Errorf("read the password: %w", err)
	}
	return string(b), nil
}

// Demo account, seeded by `serve --demo` so the dashboard can be tried
// the way a marketer signs in.
const (
	demoUserEmail    = "demo@rapport.dev"
	demoUserPassword = "demo-password"
)

// seedDemoUser stores the demo account unless it is there.
func seedDemoUser(ctx context.Context, st rapport.UserStore, logger interface{ Warn(string, ...any) }) error {
	if _, err := st.FindUserByEmail(ctx, demoUserEmail); err == nil {
		return nil
	} else if rapport.ErrorCode(err) != rapport.ENOTFOUND {
		return fmt.Errorf("find the demo user: %w", err)
	}
	hash, err := password.Hash(demoUserPassword)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	err = st.CreateUser(ctx, &rapport.User{ID: rapport.NewID("u_"), Email: demoUserEmail, Name: "Demo",
		PasswordHash: hash, CreatedAt: now, UpdatedAt: now})
	if err != nil && rapport.ErrorCode(err) != rapport.ECONFLICT {
		return fmt.Errorf("store the demo user: %w", err)
	}
	logger.Warn("demo user in use; do not expose this server", "email", demoUserEmail, "password", demoUserPassword)
	return nil
}
