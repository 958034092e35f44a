package io.totptoken.host.provisioning;

import io.totptoken.host.session.CardCredential;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A credential on a token, its YKOATH name split as clients split it ({@link CardName}).
 *
 * @param id        the name as the token stores it, {@code [period/][issuer:]account}
 * @param algorithm the hash, or null when the token did not say (CALCULATE ALL does not)
 * @param period    TOTP period in seconds (30 for HOTP)
 */
public record Account(byte[] id, OathType type, HashAlgorithm algorithm, int period, String issuer, String account) {
    /** The issuer of hidden accounts, {@code _hidden:NAME}, as ykman ({@code ykman/oath.py}, {@code is_hidden}) reads it. */
    public static final String HIDDEN_ISSUER = "_hidden";

    /** From a LIST or CALCULATE ALL entry. */
    public static Account of(CardCredential credential) {
        OathType type = credential.type() == CardCredential.HOTP ? OathType.HOTP : OathType.TOTP;
        CardName name = CardName.parse(credential.name(), type);
        HashAlgorithm algorithm = credential.algorithm() >= 1 && credential.algorithm() <= 3
                ? HashAlgorithm.fromCode(credential.algorithm()) : null;
        return new Account(credential.name().clone(), type, algorithm, name.period(), name.issuer(), name.account());
    }

    /** {@code issuer:account} or {@code account}: the name users see, as ykman shows it. */
    public String name() {
        return issuer == null ? account : issuer + ":" + account;
    }

    /** Hidden from lists and codes unless asked for: ykman's and Yubico Authenticator's issuer {@code _hidden}. */
    public boolean hidden() {
        return HIDDEN_ISSUER.equals(issuer);
    }

    /** A Steam account: its codes are written in Steam's alphabet ({@link SteamCode}), as ykman writes them. */
    public boolean steam() {
        return type == OathType.TOTP && SteamCode.ISSUER.equals(issuer);
    }

    /** The stored name as text. */
    public String idText() {
        return new String(id, StandardCharsets.UTF_8);
    }

    public CardCredential credential() {
        return new CardCredential(id, type.code(), algorithm == null ? 0 : algorithm.code());
    }

    /** Whether the query names this account exactly (either form of the name, any case). */
    boolean isExactly(String query) {
        return name().equalsIgnoreCase(query) || idText().equalsIgnoreCase(query);
    }

    boolean contains(String query) {
        String q = query.toLowerCase(Locale.ROOT);
        return idText().toLowerCase(Locale.ROOT).contains(q) || name().toLowerCase(Locale.ROOT).contains(q);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Account a && java.util.Arrays.equals(id, a.id) && type == a.type;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(id) * 31 + type.hashCode();
    }

    @Override
    public String toString() {
        return "Account[" + idText() + ", " + type + "]";
    }
}
