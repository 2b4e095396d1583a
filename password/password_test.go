package password

import (
	"strings"
	"testing"
)

func TestHashAndVerify(t *testing.T) {
	h, err := Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not PHC argon2id with the default parameters", h)
	}
	h2, _ := Hash("correct horse battery")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not fresh")
	}
	for _, tt := range []struct {
		pw   string
		want bool
	}{
		{"correct horse battery", true},
		{"correct horse batterY", false},
		{"", false},
		{strings.Repeat("x", MaxLength+1), false},
	} {
		ok, err := Verify(h, tt.pw)
		if err != nil || ok != tt.want {
			t.Errorf("Verify(%q) = %v, %v; want %v", tt.pw, ok, err, tt.want)
		}
	}
}

// TestVerifyKnownHash checks a hash written by the reference
// implementation's command-line tool (Debian package argon2:
// `echo -n "correct horse battery" | argon2 somesaltsomesalt -id -t 2 -k 19456 -p 1 -l 32 -e`),
// so stored hashes are in the format other tools read and write.
func TestVerifyKnownHash(t *testing.T) {
	const known = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$/HetJC6LZ4lnwgLB+wJSS2a9bFu2Kq4HxwNWzoJq2qU"
	for pw, want := range map[string]bool{"correct horse battery": true, "correct horse battery!": false} {
		if ok, err := Verify(known, pw); err != nil || ok != want {
			t.Errorf("Verify(reference hash, %q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		pw      string
		wantErr string
	}{
		{"short", "5 characters, want at least 12"},
		{"            ", "only spaces"},
		{"ééééééééééé", "11 characters"}, // counted in characters, not bytes
		{"\xff\xfe not utf-8 at all", "not valid UTF-8"},
		{strings.Repeat("a", MaxLength+1), "longer than 1024 bytes"},
		{"a good long passphrase", ""},
	}
	for _, tt := range tests {
		err := Check(tt.pw)
		if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("Check(%q) = %v, want %q", tt.pw, err, tt.wantErr)
		}
	}
}

func TestVerifyRefusesDamagedHashes(t *testing.T) {
	good, _ := Hash("a good long passphrase")
	parts := strings.Split(good, "$")
	for name, h := range map[string]string{
		"empty":          "",
		"bcrypt":         "$2a$10$abcdefghijklmnopqrstuv",
		"argon2i":        strings.Replace(good, "argon2id", "argon2i", 1),
		"version":        strings.Replace(good, "v=19", "v=16", 1),
		"huge memory":    strings.Replace(good, "m=19456", "m=99999999", 1),
		"zero time":      strings.Replace(good, "t=2", "t=0", 1),
		"trailing param": strings.Replace(good, "p=1", "p=1,x=2", 1),
		"bad salt":       strings.Join(append(parts[:4:4], "!!", parts[5]), "$"),
		"short key":      strings.Join(append(parts[:5:5], "AAAA"), "$"),
	} {
		if ok, err := Verify(h, "a good long passphrase"); err == nil || ok {
			t.Errorf("%s: Verify = %v, %v; want an error", name, ok, err)
		}
	}
}

func FuzzVerify(f *testing.F) {
	good, _ := Hash("a good long passphrase")
	f.Add(good, "a good long passphrase")
	f.Add("$argon2id$v=19$m=8,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA", "x")
	f.Add("$argon2id$v=19$m=,t=,p=$$", "")
	f.Fuzz(func(t *testing.T, encoded, pw string) {
		h, err := parse(encoded)
		if err != nil {
			return
		}
		if h.memory > maxMemory || h.time > maxTime || len(h.key) > 64 {
			t.Fatalf("parse accepted out-of-range parameters: %+v", h)
		}
		if h.memory > 4096 || h.time > 2 {
			return // valid but too slow for a fuzz iteration
		}
		if _, err := Verify(encoded, pw); err != nil {
			t.Fatalf("Verify after a successful parse: %v", err)
		}
	})
}
