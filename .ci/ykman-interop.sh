#!/usr/bin/env bash
# Interop with a real YKOATH client: serves a fresh simulated token in vpcd's first slot
# (SimulatorMain), adds credentials with Debian's ykman, and checks that the codes ykman reads
# from the token are oathtool's codes for the same secrets. Exits non-zero on any mismatch.
#
# Needs: pcscd running with the vpcd driver (port 35963), /usr/bin/ykman (yubikey-manager),
# oathtool, maven, java 17. .ci/run installs and starts all of them.
#
# TOTP codes depend on the time: ykman's code must equal oathtool's for one of the 30-s steps
# between the instants just before and just after the ykman call, so a step boundary falling
# during the call cannot make the check flaky, and a wrong code still fails.
set -euo pipefail
cd "$(dirname "$0")/.."

VPCD_PORT=35963
READER="Virtual PCD 00 00"        # vpcd's slot 0; the JUnit tests use slot 1
YKMAN=/usr/bin/ykman               # Debian's, run by the system python (REFERENCE section 7)
MVN=(mvn -B -q)

work=$(mktemp -d)
sim_pid=""
failures=0
checks=0

cleanup() {
    if [[ -n "$sim_pid" ]] && kill -0 "$sim_pid" 2>/dev/null; then
        kill "$sim_pid" 2>/dev/null || true
        wait "$sim_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

say() { printf 'ykman-interop: %s\n' "$*"; }
die() { say "FAILED: $*" >&2; if [[ -f "$work/sim.log" ]]; then sed 's/^/  simulator: /' "$work/sim.log" >&2; fi; exit 1; }
yk() { "$YKMAN" --reader "$READER" "$@"; }

for tool in "$YKMAN" oathtool java mvn; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done
# Not "ykman ... | grep -q": grep stops early, ykman dies of SIGPIPE, and pipefail fails the check.
readers=$("$YKMAN" list --readers 2>/dev/null || true)
grep -qx "$READER" <<<"$readers" \
    || die "no PC/SC reader \"$READER\": is pcscd running with vsmartcard-vpcd (port $VPCD_PORT)?"
if yk oath info >/dev/null 2>&1; then
    die "a token is already in \"$READER\" (another simulator?); stop it first"
fi

say "building the simulator classpath"
"${MVN[@]}" -pl simulator -am -DskipTests compile \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.outputFile="$work/cp.txt" >/dev/null
classpath="simulator/target/classes:serial-link/target/classes:firmware-javacard/target/classes:$(cat "$work/cp.txt")"

start_simulator() {
    java -cp "$classpath" io.totptoken.sim.SimulatorMain --vpcd "localhost:$VPCD_PORT" \
        --state "$work/token.state" </dev/null >>"$work/sim.log" 2>&1 &
    sim_pid=$!
    for _ in $(seq 1 60); do
        if yk oath info >/dev/null 2>&1; then
            return 0
        fi
        kill -0 "$sim_pid" 2>/dev/null || die "the simulator exited"
        sleep 0.5
    done
    die "the token did not appear in \"$READER\" within 30 s"
}

stop_simulator() {
    kill "$sim_pid"
    wait "$sim_pid" 2>/dev/null || true
    sim_pid=""
}

check() { # name expected-list actual
    checks=$((checks + 1))
    if grep -qx -- "$3" <<<"$2"; then
        say "ok   $1: ykman $3, oathtool $(tr '\n' ' ' <<<"$2")"
    else
        failures=$((failures + 1))
        say "FAIL $1: ykman '$3' is not among oathtool's: $(tr '\n' ' ' <<<"$2")"
    fi
}

# name algorithm digits period base32-secret
check_totp() {
    local name=$1 alg=$2 digits=$3 period=$4 secret=$5 before after code expected="" step
    yk oath accounts add -f -o TOTP -a "$alg" -d "$digits" -P "$period" "$name" "$secret" >/dev/null \
        || die "ykman could not add $name"
    before=$(date +%s)
    code=$(yk oath accounts code -s "$name" 2>&1) || true
    after=$(date +%s)
    for ((step = before / period; step <= after / period; step++)); do
        expected+="$(oathtool --totp="$alg" -d "$digits" -s "$period" -b -N "@$((step * period))" "$secret")"$'\n'
    done
    check "TOTP $alg/$digits/${period}s $name" "${expected%$'\n'}" "$code"
}

say "starting SimulatorMain behind vpcd port $VPCD_PORT"
start_simulator
say "$(yk oath info | tr '\n' ' ')"

check_totp sha1-6 SHA1 6 30 JBSWY3DPEHPK3PXP
check_totp "Example:alice@example.com" SHA256 8 30 HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ
check_totp sha512-8 SHA512 8 30 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ
check_totp period-60 SHA1 6 60 JBSWY3DPEHPK3PXP

# HOTP is deterministic: the card's counter starts at 7 and moves on by one per code.
yk oath accounts add -f -o HOTP -c 7 hotp-7 JBSWY3DPEHPK3PXP >/dev/null || die "ykman could not add hotp-7"
check "HOTP counter 7" "$(oathtool --hotp -b -c 7 JBSWY3DPEHPK3PXP)" "$(yk oath accounts code -s hotp-7 2>&1 || true)"
check "HOTP counter 8" "$(oathtool --hotp -b -c 8 JBSWY3DPEHPK3PXP)" "$(yk oath accounts code -s hotp-7 2>&1 || true)"

# The state file brings the same token back after a restart.
before_list=$(yk oath accounts list) || die "ykman could not list the accounts"
stop_simulator
start_simulator
checks=$((checks + 1))
if [[ "$(yk oath accounts list 2>&1 || true)" == "$before_list" ]]; then
    say "ok   the accounts survive a simulator restart ($(wc -l <<<"$before_list") accounts)"
else
    failures=$((failures + 1))
    say "FAIL the accounts changed across a simulator restart"
fi
check "HOTP counter 9 after restart" "$(oathtool --hotp -b -c 9 JBSWY3DPEHPK3PXP)" "$(yk oath accounts code -s hotp-7 2>&1 || true)"

if ((failures > 0)); then
    die "$failures of $checks checks disagree"
fi
say "all $checks checks agree"
