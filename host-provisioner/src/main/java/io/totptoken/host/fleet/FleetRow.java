package io.totptoken.host.fleet;

import java.util.Objects;

/**
 * One token to provision: who it is for, and optionally which token (serial) and which seed.
 *
 * @param line     line of the manifest (or entry of the seed file) it came from, for messages
 * @param issuer   issuer, or null for the run's issuer
 * @param account  account name, never empty
 * @param serial   the token that must get it, or null for any token
 * @param seed     the seed to write, or null to generate one
 * @param params   type, algorithm, digits, period, counter from a seed file, or null for the run's options
 * @param user     privacyIDEA user and pam_oath login (defaults to the account), realm and resolver; may be empty
 * @param upn      the Microsoft Entra ID user principal name, or empty for the account when it is an e-mail address
 */
public record FleetRow(int line, String issuer, String account, Long serial, byte[] seed, SeedParams params,
                       String user, String realm, String resolver, String upn) {
    public FleetRow {
        Objects.requireNonNull(account);
        user = user == null || user.isBlank() ? account : user;
        realm = realm == null ? "" : realm;
        resolver = resolver == null ? "" : resolver;
        upn = upn == null ? "" : upn;
    }

    /** A row without a UPN column (seed files, older callers). */
    public FleetRow(int line, String issuer, String account, Long serial, byte[] seed, SeedParams params,
                    String user, String realm, String resolver) {
        this(line, issuer, account, serial, seed, params, user, realm, resolver, "");
    }

    @Override
    public String toString() {
        return "FleetRow[line=" + line + ", issuer=" + issuer + ", account=" + account + ", serial=" + serial
                + ", seed=" + (seed == null ? "none" : "<hidden>") + "]";
    }
}
