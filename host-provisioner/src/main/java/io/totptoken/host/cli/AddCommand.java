package io.totptoken.host.cli;

import io.totptoken.host.provisioning.AccountCode;
import io.totptoken.host.provisioning.Accounts;
import io.totptoken.host.provisioning.CredentialSource;
import io.totptoken.host.provisioning.CredentialSpec;
import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.ManualEntry;
import io.totptoken.host.provisioning.OathType;
import io.totptoken.host.provisioning.OtpauthUri;
import io.totptoken.host.provisioning.TokenConnection;
import io.totptoken.host.provisioning.TokenTarget;
import io.totptoken.host.provisioning.imports.AegisBackup;
import java.nio.CharBuffer;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "add", description = {
    "Add credentials and print each one's current code and seconds left: the code an enrolment page asks for.",
    "Inputs: otpauth:// URIs, Google Authenticator exports (otpauth-migration:// URIs, or QR images of them; "
        + "an export spread over several QR codes is put together from all the images given), QR images of "
        + "enrolment pages, export files of authenticator apps (FreeOTP+, Bitwarden JSON or CSV, a text file of "
        + "otpauth:// URIs; known by their content), or a manual entry (--secret with --name). "
        + "\"-\" reads any of them from standard input, "
        + "and --secret - the secret: neither then shows in the process list or the shell history.",
    "Every input is read and checked before any token is touched; with several --reader/--sim, every token is "
        + "opened and checked before any is written."})
final class AddCommand extends TokenCommand {
    @Parameters(paramLabel = "URI|FILE", arity = "0..*",
            description = "otpauth:// or otpauth-migration:// URIs (quote them in the shell), image files, or export "
                    + "files; - reads URIs (one a line), an image or an export from standard input.")
    List<String> uris = new ArrayList<>();

    @Option(names = "--qr", paramLabel = "IMAGE", arity = "1..*",
            description = "Images (PNG, JPEG, GIF, BMP) with QR codes: screenshots, photos, export pages.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--screen", description = "Read every QR code on the screen (all screens): the enrolment page as it is "
            + "shown. X11 through java.awt.Robot, else the desktop's screenshot tool (grim, gnome-screenshot, spectacle, "
            + "screencapture).")
    boolean screen;

    @Option(names = {"-s", "--secret"}, paramLabel = "BASE32",
            description = "Manual entry: the base32 secret the service shows (with --name); - reads it from standard "
                    + "input (one line). Asked without echo when --name is given alone on a terminal.")
    String secret;

    @Option(names = {"-N", "--name"}, paramLabel = "ISSUER:ACCOUNT",
            description = "Manual entry: the account's name (with --issuer, all of it is the account).")
    String name;

    @Option(names = {"-i", "--issuer"}, paramLabel = "ISSUER",
            description = "The issuer: of the manual entry, or instead of the one in the URI (one credential only).")
    String issuer;

    @Option(names = {"-o", "--type", "--oath-type"}, paramLabel = "TYPE", description = "Manual entry: totp (default) or hotp.")
    String type;

    @Option(names = {"-a", "--algorithm"}, paramLabel = "ALG", description = "Manual entry: SHA1 (default), SHA256 or SHA512.")
    String algorithm;

    @Option(names = {"-d", "--digits"}, paramLabel = "N", description = "Manual entry: 6 (default), 7 or 8.")
    Integer digits;

    @Option(names = {"-P", "--period"}, paramLabel = "SECONDS", description = "Manual entry: TOTP period (default 30).")
    Integer period;

    @Option(names = {"-c", "--counter"}, paramLabel = "N", description = "Manual entry: HOTP initial counter (default 0).")
    Long counter;

    @Option(names = "--touch", description = "The token asks for a touch before each code of these credentials.")
    boolean touch;

    @Option(names = {"-f", "--force"}, description = "Replace accounts of the same name; without it they are refused.")
    boolean force;

    @Option(names = "--show-secret", description = "Also print each credential as an otpauth:// URI, secret included.")
    boolean showSecret;

    @Option(names = "--yes", description = "Import without showing what will be added and asking first (on a terminal).")
    boolean yes;

    @Mixin
    PasswordOptions password = new PasswordOptions();

    @Mixin
    ImportPasswordOptions importPassword = new ImportPasswordOptions();

    @Mixin
    BackupOptions backup = new BackupOptions();

    /** The export files read, and how many of their entries were skipped. */
    private ImportInputs imports;

    /** A secret typed at the prompt, wiped once parsed. */
    private char[] typedSecret;

    AddCommand(Invocation run) {
        super(run);
        token.createsSimulated = true;
    }

    @Override
    public Integer call() {
        List<CredentialSpec> specs = read();
        try (AegisBackup vault = backup.open(run)) {
            return add(specs, vault);
        } finally {
            specs.forEach(CredentialSpec::wipe);
        }
    }

    /** Every input parsed and checked; nothing sent to a token yet. */
    private List<CredentialSpec> read() {
        boolean manual = secret != null || name != null;
        if (!manual && (type != null || algorithm != null || digits != null || period != null || counter != null)) {
            throw new UsageException("--type, --algorithm, --digits, --period and --counter go with --secret and --name");
        }
        if (!manual && uris.isEmpty() && images.isEmpty() && !screen) {
            throw new UsageException("nothing to add: give an otpauth:// URI, --qr IMAGE, --screen, or --secret and --name");
        }
        if (issuer != null && (issuer.isBlank() || issuer.indexOf(':') >= 0)) {
            throw new UsageException("--issuer needs a non-empty issuer without ':'");
        }
        int fromStdin = "-".equals(secret) ? 1 : 0;
        for (String uri : uris) {
            fromStdin += uri.equals("-") ? 1 : 0;
        }
        if (fromStdin > 1) {
            throw new UsageException("standard input can be read only once: give - or --secret - once");
        }
        CredentialSource source = new CredentialSource();
        imports = new ImportInputs(run, importPassword);
        for (String uri : uris) {
            if (uri.equals("-")) {
                new StandardInput(run).addCredentials(source, imports);
            } else if (!CredentialSource.isUriText(uri) && existingFile(uri) != null) {
                imports.addFile(source, existingFile(uri));
            } else {
                source.add(uri);
            }
        }
        for (Path image : images) {
            source.addImage(image);
        }
        if (screen) {
            ScreenInput.add(run, source);
        }
        if (manual) {
            try {
                source.addManual(manualEntry());
            } finally {
                if (typedSecret != null) {
                    Arrays.fill(typedSecret, '\0');
                }
            }
        }
        List<CredentialSpec> specs = source.credentials();
        if (issuer != null && specs.size() != 1) {
            specs.forEach(CredentialSpec::wipe);
            throw new UsageException("--issuer sets the issuer of one credential, but the inputs hold " + specs.size());
        }
        if (!touch && issuer == null) {
            return specs;
        }
        List<CredentialSpec> changed = new ArrayList<>();
        for (CredentialSpec s : specs) {
            changed.add(new CredentialSpec(s.type(), s.algorithm(), s.digits(), s.period(), s.counter(),
                    issuer != null ? issuer : s.issuer(), s.account(), s.secret(), s.touch() || touch));
            s.wipe();
        }
        return changed;
    }

    /** The regular file {@code arg} names, or null (then it is a URI, or a mistake said so by CredentialSource). */
    private static Path existingFile(String arg) {
        try {
            Path p = Path.of(arg.strip());
            return !arg.isBlank() && Files.isRegularFile(p) ? p : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private ManualEntry manualEntry() {
        if (name == null) {
            throw new UsageException("--secret needs --name ISSUER:ACCOUNT");
        }
        char[] typed = null;
        if ("-".equals(secret)) {
            typed = new StandardInput(run).secretLine();
            typedSecret = typed;
        } else if (secret == null) {
            Terminal t = run.env.terminal();
            if (t == null) {
                throw new UsageException("--name needs --secret BASE32, --secret - (read from standard input) "
                        + "or a terminal to type it on");
            }
            typed = t.readPassword("Secret (base32) for " + name + ": ");
            if (typed == null) {
                throw new UsageException("no secret typed");
            }
            typedSecret = typed;
        }
        // With --issuer, the whole of --name is the account, as with ykman's NAME and -i.
        ManualEntry entry = new ManualEntry(typed != null ? CharBuffer.wrap(typed) : secret,
                issuer != null ? issuer + ":" + name : name);
        if (type != null) {
            entry.type(OathType.fromName(type));
        }
        if (algorithm != null) {
            entry.algorithm(HashAlgorithm.fromName(algorithm));
        }
        if (digits != null) {
            entry.digits(digits);
        }
        if (period != null) {
            entry.period(period);
        }
        if (counter != null) {
            entry.counter(counter);
        }
        return entry;
    }

    /** @param vault the backup to write before any token, or null */
    private int add(List<CredentialSpec> specs, AegisBackup vault) {
        List<TokenTarget> targets = token.targets(run);
        List<TokenConnection> open = new ArrayList<>();
        try {
            // Open, unlock and check every token before writing to any.
            List<Accounts.AddPlan> plans = new ArrayList<>();
            for (TokenTarget target : targets) {
                TokenConnection c = openUnlocked(target, password);
                open.add(c);
                plans.add(new Accounts(c).plan(specs, force));
            }
            Terminal t = run.env.terminal();
            if (imports.any() && !yes && t != null && !ImportPreview.confirmed(run, t, specs,
                    targets.size() == 1 ? open.get(0).target().label() : targets.size() + " tokens")) {
                return ExitCodes.FAILED;
            }
            if (vault != null) {
                backup.write(run, vault, specs);
            }
            Instant now = run.env.clock().instant();
            int failed = 0;
            for (int i = 0; i < open.size(); i++) {
                TokenConnection c = open.get(i);
                try {
                    Accounts accounts = new Accounts(c);
                    List<Accounts.Added> added = accounts.add(plans.get(i), now);
                    List<AccountCode> codes = new ArrayList<>();
                    for (Accounts.Added a : added) {
                        codes.add(a.code());
                    }
                    List<AccountCode> next = CodeLines.nextWhenEnding(accounts, codes, now);
                    done(c);
                    print(c, added, next, now, targets.size() > 1);
                } catch (RuntimeException e) {
                    if (vault != null) {
                        // The backup is kept: it holds what was meant to be on the token, which a retry puts there.
                        run.note("Note: the backup " + vault.file() + " holds the credentials " + c.target().label()
                                + " failed to take.");
                    }
                    if (targets.size() == 1) {
                        throw e;
                    }
                    failed++;
                    run.err().println("tokenctl: " + c.target().label() + ": " + Failures.message(e));
                    Failures.trace(run, e);
                }
            }
            if (showSecret) {
                printSecrets(specs);
            }
            if (failed > 0) {
                throw new PartialFailureException(failed + " of " + targets.size() + " tokens failed; the others hold the "
                        + (specs.size() == 1 ? "credential" : "credentials")
                        + (imports.skipped() > 0 ? " (and " + skippedEntries() + " skipped)" : ""));
            }
            if (imports.skipped() > 0) {
                throw new PartialFailureException(skippedEntries() + " of the import skipped (listed above); the other "
                        + (specs.size() == 1 ? "one was" : specs.size() + " were") + " added");
            }
            return ExitCodes.OK;
        } finally {
            open.forEach(TokenConnection::close);
        }
    }

    private String skippedEntries() {
        return imports.skipped() + (imports.skipped() == 1 ? " entry" : " entries");
    }

    private void print(TokenConnection c, List<Accounts.Added> added, List<AccountCode> next, Instant now, boolean several) {
        if (several) {
            run.out().println(c.target().label() + ":");
        }
        run.note("Added " + added.size() + (added.size() == 1 ? " account to " : " accounts to ") + c.target().label() + ".");
        int width = 0;
        for (Accounts.Added a : added) {
            width = Math.max(width, a.account().name().length());
        }
        for (int i = 0; i < added.size(); i++) {
            Accounts.Added a = added.get(i);
            String n = a.account().name();
            StringBuilder line = new StringBuilder(several ? "  " : "").append(n).append(" ".repeat(width - n.length())).append("  ");
            AccountCode code = a.code();
            String hint = CodeHint.command(c.target(), a.account(), password.passwordFile);
            if (code != null) {
                line.append(code.code());
                CodeLines.appendSecondsLeft(line, code, next.get(i), now);
            } else if (a.account().type() == OathType.HOTP) {
                line.append("[HOTP: no code computed, it would use up a counter value; ").append(hint).append("]");
            } else {
                line.append("[touch: get the code with ").append(hint).append("]");
            }
            run.out().println(line);
        }
    }

    /** With --show-secret, the URIs (after the codes, so the code is what catches the eye). */
    private void printSecrets(List<CredentialSpec> specs) {
        for (CredentialSpec s : specs) {
            run.out().println(OtpauthUri.format(s));
        }
    }
}
