package io.totptoken.host.fleet;

import io.totptoken.host.provisioning.HashAlgorithm;
import io.totptoken.host.provisioning.OathType;

/**
 * How a seed is used, when a seed file says so (PSKC, privacyIDEA or LinOTP rows); manifest rows
 * take these from the run's options instead.
 *
 * @param counter HOTP initial counter (0 for TOTP)
 */
public record SeedParams(OathType type, HashAlgorithm algorithm, int digits, int period, long counter) {
}
