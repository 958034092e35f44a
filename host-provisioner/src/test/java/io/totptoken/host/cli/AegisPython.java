package io.totptoken.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An Aegis vault implementation independent of tokenctl's, written from Aegis's docs/vault.md in
 * Debian's python3 (hashlib.scrypt, the cryptography package's AESGCM): it makes plain and encrypted
 * vaults for the reader to read, opens the vaults tokenctl writes, and computes Steam codes.
 * Passwords go through the environment, never the command line.
 */
final class AegisPython {
    static final String SCRIPT = """
            import base64, hashlib, hmac, json, os, struct, sys, uuid
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM

            def scrypt(password, salt, n, r, p):
                return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32)

            def make(entries_file, out):
                db = {"version": 2, "entries": json.load(open(entries_file))}
                password = os.environ.get("AEGIS_PASSWORD")
                if password is None:
                    vault = {"version": 1, "header": {"slots": None, "params": None}, "db": db}
                else:
                    master, salt = os.urandom(32), os.urandom(32)
                    key = scrypt(password, salt, 32768, 8, 1)
                    key_nonce, db_nonce = os.urandom(12), os.urandom(12)
                    wrapped = AESGCM(key).encrypt(key_nonce, master, None)
                    sealed = AESGCM(master).encrypt(db_nonce, json.dumps(db).encode(), None)
                    slot = {"type": 1, "uuid": str(uuid.uuid4()), "key": wrapped[:-16].hex(),
                            "key_params": {"nonce": key_nonce.hex(), "tag": wrapped[-16:].hex()},
                            "n": 32768, "r": 8, "p": 1, "salt": salt.hex(), "repaired": True}
                    vault = {"version": 1, "header": {"slots": [{"type": 2, "uuid": str(uuid.uuid4()),
                             "key": "00" * 32, "key_params": {"nonce": "00" * 12, "tag": "00" * 16}}, slot],
                             "params": {"nonce": db_nonce.hex(), "tag": sealed[-16:].hex()}},
                             "db": base64.b64encode(sealed[:-16]).decode()}
                open(out, "w").write(json.dumps(vault, indent=2))

            def unlock(path):
                vault = json.load(open(path))
                slots = [s for s in vault["header"]["slots"] if s["type"] == 1]
                assert len(slots) == 1, "one password slot"
                s = slots[0]
                assert s["n"] >= 32768 and s["r"] >= 8 and s["p"] >= 1, "scrypt weaker than Aegis's defaults"
                key = scrypt(os.environ["AEGIS_PASSWORD"], bytes.fromhex(s["salt"]), s["n"], s["r"], s["p"])
                kp = s["key_params"]
                master = AESGCM(key).decrypt(bytes.fromhex(kp["nonce"]), bytes.fromhex(s["key"]) + bytes.fromhex(kp["tag"]), None)
                p = vault["header"]["params"]
                db = AESGCM(master).decrypt(bytes.fromhex(p["nonce"]), base64.b64decode(vault["db"]) + bytes.fromhex(p["tag"]), None)
                print(json.dumps({"salt": s["salt"], "keyNonce": kp["nonce"], "dbNonce": p["nonce"],
                                  "master": hashlib.sha256(master).hexdigest(), "db": json.loads(db)}))

            def steam(secret, t):
                pad = "=" * (-len(secret) % 8)
                mac = hmac.new(base64.b32decode(secret + pad), struct.pack(">Q", int(t) // 30), hashlib.sha1).digest()
                o = mac[-1] & 15
                v = struct.unpack(">I", mac[o:o + 4])[0] & 0x7fffffff
                out = ""
                for _ in range(5):
                    out += "23456789BCDFGHJKMNPQRTVWXY"[v % 26]
                    v //= 26
                print(out)

            {"make": make, "open": unlock, "steam": steam}[sys.argv[1]](*sys.argv[2:])
            """;

    private final Path dir;

    AegisPython(Path dir) {
        this.dir = dir;
    }

    /** A vault of {@code entriesJson} (Aegis entries), encrypted under {@code password}, or plain when it is null. */
    Path make(String name, String entriesJson, String password) {
        Path entries = dir.resolve(name + ".entries.json");
        Path out = dir.resolve(name);
        write(entries, entriesJson);
        run(password, "make", entries.toString(), out.toString());
        return out;
    }

    /** The vault opened: {"salt","keyNonce","dbNonce","master" (its SHA-256),"db"} as JSON. */
    String open(Path vault, String password) {
        return run(password, "open", vault.toString());
    }

    /** The Steam Guard code of {@code base32} at {@code epochSeconds}. */
    String steam(String base32, long epochSeconds) {
        return run(null, "steam", base32, Long.toString(epochSeconds));
    }

    private String run(String password, String... args) {
        Path script = dir.resolve("aegis_reference.py");
        write(script, SCRIPT);
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString()));
        command.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().remove("AEGIS_PASSWORD");
            if (password != null) {
                pb.environment().put("AEGIS_PASSWORD", password);
            }
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(true, p.waitFor(60, TimeUnit.SECONDS), "python3 finished");
            assertEquals(0, p.exitValue(), "python3 " + args[0] + ": " + out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
