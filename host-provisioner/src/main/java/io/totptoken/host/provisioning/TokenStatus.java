package io.totptoken.host.provisioning;

import io.totptoken.host.session.OathSession;
import io.totptoken.host.session.TokenInfo;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What {@code info} shows about a token: from SELECT (version, ID, password) and, on tokens with
 * our TOKEN INFO extension, capacity, tries left and HMAC engines. Needs no password.
 *
 * @param details empty for a token without the extension (a YubiKey)
 */
public record TokenStatus(String label, String oathVersion, String id, boolean passwordSet, boolean keyRemembered,
                          Optional<Details> details) {
    /** TOKEN INFO: slots (SHA-512 credentials take two), credentials, tries, engines per algorithm. */
    public record Details(String firmware, int credentials, int slotsUsed, int slotsTotal, int triesLeft, int triesMax,
                          List<String> engines, boolean button) {
    }

    private static final String[] ENGINES = {"none", "precomputed HMAC states", "native HMAC", "HMAC over a digest"};
    private static final String[] ALGORITHMS = {"SHA-1", "SHA-256", "SHA-512"};

    public static TokenStatus of(TokenConnection token, RememberedKeys keys) {
        OathSession s = token.session();
        Optional<TokenInfo> info = s.info();
        boolean password = info.map(TokenInfo::passwordSet).orElse(s.locked());
        return new TokenStatus(token.target().label(), s.version().toString(), HexFormat.of().formatHex(s.deviceId()),
                password, keys.find(s.deviceId()) != null, info.map(TokenStatus::details));
    }

    private static Details details(TokenInfo i) {
        List<String> engines = new ArrayList<>();
        for (int a = 0; a < ALGORITHMS.length; a++) {
            int e = a < i.engines().length ? i.engines()[a] : 0;
            engines.add(ALGORITHMS[a] + ": " + (e >= 0 && e < ENGINES.length ? ENGINES[e] : "engine " + e));
        }
        return new Details(i.firmwareVersion(), i.credentials(), i.slotsUsed(), i.slotsTotal(), i.triesLeft(), i.triesMax(),
                engines, i.button());
    }
}
