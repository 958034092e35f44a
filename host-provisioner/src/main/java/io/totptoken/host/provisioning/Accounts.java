package io.totptoken.host.provisioning;

import io.totptoken.host.session.ApduException;
import io.totptoken.host.session.CardCredential;
import io.totptoken.host.session.Code;
import io.totptoken.host.session.OathSession;
import io.totptoken.host.session.TokenInfo;
import io.totptoken.host.session.Ykoath;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The accounts on one unlocked token: list, codes, add, rename, delete. Everything that can be
 * checked is checked before the first write, so a refused command leaves the token unchanged.
 *
 * <p>APDUs: codes take SELECT + CALCULATE ALL (plus one CALCULATE per account whose period is
 * not 30 s, or that needs a touch or is HOTP and was asked for alone); adding one credential
 * takes SELECT + PUT + CALCULATE, plus LIST when an existing account must not be replaced.
 */
public final class Accounts {
    /** By name, any case, then by stored name (a class, not a lambda: no method-handle spinning at start-up). */
    private static final Comparator<Account> BY_NAME = new ByName();

    private static final class ByName implements Comparator<Account> {
        @Override
        public int compare(Account a, Account b) {
            int c = a.name().compareToIgnoreCase(b.name());
            return c != 0 ? c : a.idText().compareTo(b.idText());
        }
    }

    private final TokenConnection token;
    private final OathSession session;

    public Accounts(TokenConnection token) {
        this.token = token;
        this.session = token.session();
    }

    /** Every account, sorted by name. */
    public List<Account> list() {
        List<Account> out = new ArrayList<>();
        for (CardCredential c : session.list()) {
            out.add(Account.of(c));
        }
        out.sort(BY_NAME);
        return out;
    }

    /**
     * The stored names of the TOTP accounts that need a touch. YKOATH's LIST does not say; CALCULATE
     * ALL (at {@code at}'s 30-second step, as {@code codes} would send) marks them. It marks HOTP
     * accounts only as HOTP, so whether those need a touch is not known. Empty when the token
     * refuses CALCULATE ALL: a listing does not fail for want of the touch marks.
     */
    public Optional<Set<String>> needingTouch(Instant at) {
        Set<String> out = new HashSet<>();
        List<OathSession.Entry> entries;
        try {
            entries = session.calculateAll(step(at, CardName.DEFAULT_PERIOD));
        } catch (ApduException e) {
            return Optional.empty();
        }
        for (OathSession.Entry e : entries) {
            if (e.touch()) {
                out.add(e.credential().nameText());
            }
        }
        return Optional.of(out);
    }

    /**
     * Codes for the accounts matching the query (all when null) at {@code at}, or at the time step
     * after it with {@code next}. TOTP codes use each account's period. HOTP and touch accounts
     * get a code only when the query picks out that one account, as a code uses up a counter value
     * or needs the user. Hidden accounts take part.
     */
    public List<AccountCode> codes(String query, Instant at, boolean next) {
        return codes(query, at, next, true, false);
    }

    /**
     * As {@link #codes(String, Instant, boolean)}, where {@code showHidden} says whether hidden
     * accounts ({@link Account#hidden}) take part at all (ykman leaves them out of its search
     * unless asked), and {@code one} that exactly one account must match, query or not; that one
     * gets its code even when it is HOTP or needs a touch.
     *
     * @throws TokenOperationException when the query matches nothing, or with {@code one} not exactly one account
     */
    public List<AccountCode> codes(String query, Instant at, boolean next, boolean showHidden, boolean one) {
        int shift = next ? 1 : 0;
        List<OathSession.Entry> entries = session.calculateAll(step(at, CardName.DEFAULT_PERIOD) + shift);
        List<Account> accounts = new ArrayList<>();
        List<OathSession.Entry> byAccount = new ArrayList<>();
        for (OathSession.Entry e : entries) {
            Account a = Account.of(e.credential());
            if (showHidden || !a.hidden()) {
                accounts.add(a);
                byAccount.add(e);
            }
        }
        List<Account> chosen = query == null ? accounts : match(accounts, query, one);
        if (chosen.isEmpty() && query != null) {
            throw new TokenOperationException("no account on " + token.target().label() + " matches '" + query + "'");
        }
        if (one && chosen.size() != 1) {
            chosen.sort(BY_NAME);
            throw new TokenOperationException(chosen.isEmpty() ? token.target().label() + " has no accounts"
                    : token.target().label() + " has " + chosen.size() + " accounts (" + names(chosen)
                    + "); give a query that names one");
        }
        boolean single = (query != null || one) && chosen.size() == 1;
        List<AccountCode> out = new ArrayList<>();
        for (Account a : chosen) {
            OathSession.Entry e = byAccount.get(accounts.indexOf(a));
            long step = step(at, a.period()) + shift;
            if (a.type() == OathType.HOTP) {
                out.add(single ? new AccountCode(a, session.calculate(a.credential(), 0).value(), AccountCode.Missing.NONE,
                        e.touch(), null, null) : new AccountCode(a, null, AccountCode.Missing.HOTP, e.touch(), null, null));
                continue;
            }
            Code code = null;
            AccountCode.Missing missing = AccountCode.Missing.NONE;
            if (e.touch()) {
                if (single) {
                    token.beforeTouch();
                    code = session.calculate(a.credential(), step);
                } else {
                    missing = AccountCode.Missing.TOUCH;
                }
            } else if (a.period() != CardName.DEFAULT_PERIOD || e.code() == null) {
                code = session.calculate(a.credential(), step);
            } else {
                code = e.code();
            }
            out.add(new AccountCode(a, text(a, code), missing, e.touch(), Instant.ofEpochSecond(step * a.period()),
                    Instant.ofEpochSecond((step + 1) * a.period())));
        }
        out.sort(new Comparator<AccountCode>() {
            @Override
            public int compare(AccountCode a, AccountCode b) {
                return BY_NAME.compare(a.account(), b.account());
            }
        });
        return out;
    }

    /**
     * The code of the time step after each of {@code codes}, for the TOTP codes that were computed
     * without a touch (another code would need another touch), else null: what a user about to
     * type an expiring code wants to see. One CALCULATE ALL serves every 30-s account.
     */
    public List<AccountCode> following(List<AccountCode> codes) {
        List<AccountCode> out = new ArrayList<>();
        List<OathSession.Entry> all = null;
        long allStep = -1;
        for (AccountCode current : codes) {
            Account a = current.account();
            if (current.code() == null || current.validTo() == null || current.touch()) {
                out.add(null);
                continue;
            }
            long step = current.validTo().getEpochSecond() / a.period();
            Code code = null;
            if (a.period() == CardName.DEFAULT_PERIOD) {
                if (all == null || allStep != step) {
                    all = session.calculateAll(step);
                    allStep = step;
                }
                for (OathSession.Entry e : all) {
                    if (Arrays.equals(e.credential().name(), a.id()) && e.code() != null) {
                        code = e.code();
                    }
                }
            }
            if (code == null) {
                code = session.calculate(a.credential(), step);
            }
            out.add(new AccountCode(a, text(a, code), AccountCode.Missing.NONE, false,
                    Instant.ofEpochSecond(step * a.period()), Instant.ofEpochSecond((step + 1) * a.period())));
        }
        return out;
    }

    /** A code as the account's users see it: digits, or Steam's five characters. */
    private static String text(Account a, Code code) {
        if (code == null) {
            return null;
        }
        return a.steam() ? SteamCode.format(code.truncated()) : code.value();
    }

    private static String names(List<Account> accounts) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < accounts.size() && i < 10; i++) {
            names.add(accounts.get(i).name());
        }
        return String.join(", ", names) + (accounts.size() > 10 ? ", ..." : "");
    }

    /** The one account the query names; refused when it names none or several. */
    public Account find(String query) {
        return match(list(), query, true).get(0);
    }

    public Account delete(String query) {
        return delete(find(query));
    }

    /** Deletes the account (one {@link #find} gave). */
    public Account delete(Account a) {
        session.delete(a.id());
        return a;
    }

    /** A rename: the account before and after. */
    public record Renamed(Account from, Account to) {
    }

    /**
     * A rename worked out before anything is written: the account, its new form, and the account
     * that already has the new name (null when none), which the rename would replace.
     */
    public record RenamePlan(Account from, Account to, Account taken) {
    }

    /** Renames without replacing an account that has the new name. */
    public Renamed rename(String query, String newName) {
        return rename(planRename(query, newName), false);
    }

    /**
     * Checks a rename to {@code ISSUER:ACCOUNT} or {@code ACCOUNT}, keeping the type and period
     * (the period is part of the stored name); writes nothing.
     */
    public RenamePlan planRename(String query, String newName) {
        if (newName == null || newName.isBlank()) {
            throw new InvalidCredentialException("the new name is empty; give ACCOUNT or ISSUER:ACCOUNT");
        }
        int colon = newName.indexOf(':');
        String issuer = colon < 0 ? null : newName.substring(0, colon).strip();
        String account = (colon < 0 ? newName : newName.substring(colon + 1)).strip();
        if (account.isEmpty()) {
            throw new InvalidCredentialException("the new name has no account after the ':'");
        }
        // The same checks as for a new credential (characters, length), before the token is asked anything.
        new CredentialSpec(OathType.HOTP, HashAlgorithm.SHA1, 6, CardName.DEFAULT_PERIOD, 0, issuer, account, new byte[1], false);
        List<Account> all = list();
        Account from = match(all, query, true).get(0);
        byte[] id = CardName.encode(from.type(), from.period(), issuer == null || issuer.isEmpty() ? null : issuer, account);
        Account to = Account.of(new CardCredential(id, from.type().code(), from.algorithm() == null ? 0 : from.algorithm().code()));
        Account taken = null;
        for (Account other : all) {
            if (Arrays.equals(other.id(), id) && !Arrays.equals(id, from.id())) {
                taken = other;
            }
        }
        return new RenamePlan(from, to, taken);
    }

    /**
     * Renames as planned. An account that has the new name is deleted first when {@code replace}
     * is given, and refused otherwise.
     *
     * @throws NameTakenException when the name is taken and replacing was not asked for
     */
    public Renamed rename(RenamePlan plan, boolean replace) {
        if (Arrays.equals(plan.to().id(), plan.from().id())) {
            return new Renamed(plan.from(), plan.to());
        }
        if (plan.taken() != null) {
            if (!replace) {
                throw new NameTakenException(token.target().label(), List.of(plan.to().name()));
            }
            session.delete(plan.taken().id());
        }
        session.rename(plan.from().id(), plan.to().id());
        return new Renamed(plan.from(), plan.to());
    }

    /** What adding will do on this token, worked out before anything is written. */
    public record AddPlan(List<CredentialSpec> specs, Optional<TokenInfo> info) {
    }

    /**
     * Checks that the credentials can be added: without {@code replace}, no account of the same
     * name may exist (LIST); with more than one credential, the token must have room for all
     * (TOKEN INFO, on tokens that have it). Writes nothing.
     *
     * @throws NameTakenException when a name is taken and replacing was not asked for
     * @throws TokenOperationException when the token lacks room
     */
    public AddPlan plan(List<CredentialSpec> specs, boolean replace) {
        if (!replace) {
            List<String> clashes = new ArrayList<>();
            Set<String> existing = new HashSet<>();
            for (CardCredential c : session.list()) {
                existing.add(c.nameText());
            }
            for (CredentialSpec s : specs) {
                String id = new String(s.cardName(), java.nio.charset.StandardCharsets.UTF_8);
                if (existing.contains(id)) {
                    clashes.add(id);
                }
            }
            if (!clashes.isEmpty()) {
                throw new NameTakenException(token.target().label(), clashes);
            }
        }
        Optional<TokenInfo> info = Optional.empty();
        if (specs.size() > 1) {
            info = session.info();
            if (info.isPresent()) {
                int needed = 0;
                for (CredentialSpec s : specs) {
                    needed += s.algorithm() == HashAlgorithm.SHA512 ? 2 : 1;
                }
                if (needed > info.get().slotsFree()) {
                    throw new TokenOperationException(token.target().label() + " has room for " + info.get().slotsFree()
                            + " more slots but these " + specs.size() + " credentials need " + needed
                            + " (SHA-512 takes two); delete some accounts first");
                }
            }
        }
        return new AddPlan(List.copyOf(specs), info);
    }

    /** An added credential and, for TOTP without touch, its current code. */
    public record Added(Account account, AccountCode code) {
    }

    /**
     * Writes the planned credentials (PUT), then computes the current code of each TOTP
     * credential without touch: the code an enrolment page asks for. HOTP codes are not
     * computed, as that would use up a counter value the server has not seen.
     */
    public List<Added> add(AddPlan plan, Instant now) {
        List<Account> added = new ArrayList<>();
        for (CredentialSpec s : plan.specs()) {
            put(s, plan.info());
            added.add(new Account(s.cardName(), s.type(), s.algorithm(), s.period(), s.issuer(), s.account()));
        }
        List<Added> out = new ArrayList<>();
        List<OathSession.Entry> all = null;
        long thirty = step(now, CardName.DEFAULT_PERIOD);
        for (int i = 0; i < added.size(); i++) {
            Account a = added.get(i);
            CredentialSpec s = plan.specs().get(i);
            if (a.type() != OathType.TOTP || s.touch()) {
                out.add(new Added(a, null));
                continue;
            }
            long step = step(now, a.period());
            Code code = null;
            if (a.period() == CardName.DEFAULT_PERIOD && added.size() > 1) {
                // One CALCULATE ALL serves every 30-s credential of a batch.
                if (all == null) {
                    all = session.calculateAll(thirty);
                }
                for (OathSession.Entry e : all) {
                    if (Arrays.equals(e.credential().name(), a.id()) && e.code() != null) {
                        code = e.code();
                    }
                }
            }
            if (code == null) {
                code = session.calculate(a.credential(), step);
            }
            out.add(new Added(a, new AccountCode(a, text(a, code), AccountCode.Missing.NONE, false,
                    Instant.ofEpochSecond(step * a.period()),
                    Instant.ofEpochSecond((step + 1) * a.period()))));
        }
        return out;
    }

    /**
     * PUT, with the precomputed HMAC states when the token takes them, and a TOTP period other
     * than 30 s in tag D2 when the token stores it (so its own clock's codes use it; the name
     * keeps the YKOATH prefix for every other client). A token that did not report (no TOKEN
     * INFO asked, to save an APDU) gets both too; one that refuses the unknown tags (6A80)
     * gets the plain PUT that every YKOATH token reads.
     */
    private void put(CredentialSpec s, Optional<TokenInfo> info) {
        int alg = s.algorithm().code();
        boolean states = info.isEmpty() || info.get().takesStates(alg);
        boolean longPeriod = s.type() == OathType.TOTP && s.period() != CardName.DEFAULT_PERIOD;
        int period = longPeriod && (info.isEmpty() || info.get().takesPeriod(s.period())) ? s.period() : 0;
        byte[] secret = s.secret();
        try {
            session.put(s.cardName(), s.type().code(), alg, s.digits(), secret, s.touch(), s.counter(), states, period);
        } catch (ApduException e) {
            if ((!states && period == 0) || info.isPresent() || e.sw() != Ykoath.SW_WRONG_DATA) {
                throw e;
            }
            session.put(s.cardName(), s.type().code(), alg, s.digits(), secret, s.touch(), s.counter(), false, 0);
        }
    }

    /** The TOTP time step of an instant (RFC 6238, T0 = 0). */
    public static long step(Instant at, int period) {
        return Math.floorDiv(at.getEpochSecond(), period);
    }

    /**
     * Accounts matching the query: a case-insensitive substring of either form of the name; an
     * exact match wins over the others.
     */
    private List<Account> match(List<Account> accounts, String query, boolean exactlyOne) {
        List<Account> exact = new ArrayList<>();
        List<Account> partial = new ArrayList<>();
        for (Account a : accounts) {
            if (a.isExactly(query)) {
                exact.add(a);
            } else if (a.contains(query)) {
                partial.add(a);
            }
        }
        List<Account> found = exact.isEmpty() ? partial : exact;
        if (exactlyOne && found.isEmpty()) {
            throw new TokenOperationException("no account on " + token.target().label() + " matches '" + query + "'");
        }
        if (exactlyOne && found.size() > 1) {
            found.sort(BY_NAME);
            throw new TokenOperationException("'" + query + "' matches " + found.size() + " accounts ("
                    + names(found) + "); give more of the name");
        }
        return found;
    }
}
