// Checks Ssr2Ledger's checkpoint notes and Merkle proofs with Go's own sumdb packages (golang.org/x/mod/sumdb/note
// and sumdb/tlog), code the ledger did not write. Input: one JSON file (see Input). Exit status 0 when every note
// verifies with the key (and carries a valid cosignature of each witness named) and every proof checks against roots
// computed here from the entries' hashes; 1 otherwise.
package main

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type Proof struct {
	Index    int64    `json:"index"`
	TreeSize int64    `json:"treeSize"`
	From     int64    `json:"from"`
	To       int64    `json:"to"`
	Hashes   []string `json:"hashes"`
}

type Input struct {
	VerifierKey string   `json:"verifierKey"`
	Origin      string   `json:"origin"`
	Notes       []string `json:"notes"`
	Leaves      []string `json:"leaves"` // the entries' hashes, hex, in version order: the leaves' data
	Inclusion   []Proof  `json:"inclusion"`
	Consistency []Proof  `json:"consistency"`
	Witnesses   []string `json:"witnesses"` // cosignature verifier keys (C2SP tlog-cosignature, type 0x04)
}

// cosigner verifies C2SP cosignature/v1 (Ed25519) signatures. Debian's golang.org/x/mod (0.7) knows only the note key
// type 0x01, so this implements its note.Verifier interface over crypto/ed25519 as the C2SP text says: the signature is
// an 8-byte big-endian timestamp and an Ed25519 signature of "cosignature/v1\ntime <timestamp>\n" followed by the text.
type cosigner struct {
	name string
	hash uint32
	key  ed25519.PublicKey
}

func (c cosigner) Name() string    { return c.name }
func (c cosigner) KeyHash() uint32 { return c.hash }
func (c cosigner) Verify(msg, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	signed := fmt.Sprintf("cosignature/v1\ntime %d\n%s", binary.BigEndian.Uint64(sig[:8]), msg)
	return ed25519.Verify(c.key, []byte(signed), sig[8:])
}

func newCosigner(vkey string) cosigner {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 {
		fail("witness key %q", vkey)
	}
	hash, err1 := strconv.ParseUint(parts[1], 16, 32)
	key, err2 := base64.StdEncoding.DecodeString(parts[2])
	if err1 != nil || err2 != nil || len(key) != 1+ed25519.PublicKeySize || key[0] != 0x04 {
		fail("witness key %q is not an Ed25519 cosignature key", vkey)
	}
	id := sha256.Sum256(append(append([]byte(parts[0]+"\n"), 0x04), key[1:]...))
	if binary.BigEndian.Uint32(id[:4]) != uint32(hash) {
		fail("witness key %q: key hash does not match", vkey)
	}
	return cosigner{parts[0], uint32(hash), ed25519.PublicKey(key[1:])}
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "FAIL: "+format+"\n", args...)
	os.Exit(1)
}

func hashes(b64 []string) []tlog.Hash {
	out := make([]tlog.Hash, len(b64))
	for i, s := range b64 {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil || len(b) != tlog.HashSize {
			fail("bad proof hash %q", s)
		}
		copy(out[i][:], b)
	}
	return out
}

func main() {
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail("%v", err)
	}
	var in Input
	if err := json.Unmarshal(raw, &in); err != nil {
		fail("%v", err)
	}

	// The tree, built here from the leaves' data alone.
	var stored []tlog.Hash
	reader := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			out[i] = stored[x]
		}
		return out, nil
	})
	leaves := make([][]byte, len(in.Leaves))
	for n, h := range in.Leaves {
		data, err := hex.DecodeString(h)
		if err != nil || len(data) != 32 {
			fail("bad leaf %q", h)
		}
		leaves[n] = data
		more, err := tlog.StoredHashes(int64(n), data, reader)
		if err != nil {
			fail("%v", err)
		}
		stored = append(stored, more...)
	}
	root := func(size int64) tlog.Hash {
		h, err := tlog.TreeHash(size, reader)
		if err != nil {
			fail("tree hash of size %d: %v", size, err)
		}
		return h
	}

	verifier, err := note.NewVerifier(in.VerifierKey)
	if err != nil {
		fail("verifier key: %v", err)
	}
	verifiers := []note.Verifier{verifier}
	for _, w := range in.Witnesses {
		verifiers = append(verifiers, newCosigner(w))
	}
	for _, text := range in.Notes {
		n, err := note.Open([]byte(text), note.VerifierList(verifiers...))
		if err != nil {
			fail("note does not verify: %v", err)
		}
		for _, w := range verifiers {
			found := false
			for _, sig := range n.Sigs {
				found = found || (sig.Name == w.Name() && sig.Hash == w.KeyHash())
			}
			if !found {
				fail("the note carries no valid signature by %s", w.Name())
			}
		}

		lines := strings.SplitN(n.Text, "\n", 4)
		if len(lines) < 4 || lines[0] != in.Origin {
			fail("note is not a checkpoint of %q: %q", in.Origin, n.Text)
		}
		size, err := strconv.ParseInt(lines[1], 10, 64)
		if err != nil || size < 1 || size > int64(len(leaves)) {
			fail("checkpoint size %q", lines[1])
		}
		signed, err := base64.StdEncoding.DecodeString(lines[2])
		want := root(size)
		if err != nil || string(signed) != string(want[:]) {
			fail("checkpoint of size %d signs a root the entries do not make", size)
		}
	}
	for _, p := range in.Inclusion {
		if p.Index < 0 || p.Index >= int64(len(leaves)) {
			fail("inclusion index %d", p.Index)
		}
		if err := tlog.CheckRecord(hashes(p.Hashes), p.TreeSize, root(p.TreeSize), p.Index, tlog.RecordHash(leaves[p.Index])); err != nil {
			fail("inclusion of %d in %d: %v", p.Index, p.TreeSize, err)
		}
	}
	for _, p := range in.Consistency {
		if err := tlog.CheckTree(hashes(p.Hashes), p.To, root(p.To), p.From, root(p.From)); err != nil {
			fail("consistency of %d with %d: %v", p.From, p.To, err)
		}
	}
	fmt.Printf("ok: %d notes, %d inclusion proofs, %d consistency proofs, %d leaves\n",
		len(in.Notes), len(in.Inclusion), len(in.Consistency), len(leaves))
	if len(in.Witnesses) > 0 {
		fmt.Printf("ok: %d notes cosigned by %d witnesses\n", len(in.Notes), len(in.Witnesses))
	}
}
