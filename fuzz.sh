#!/usr/bin/env bash
# Fuzzes every Jazzer fuzz target (coverage-guided, JAZZER_FUZZ=1).
#
#   ./fuzz.sh            one session per target (its @FuzzTest maxDuration, 15 s): what CI runs, so that
#                        CI stays within its time with 20-odd targets
#   ./fuzz.sh 30         keep fuzzing each target for about 30 minutes, session after session
#
# Each target's corpus stays in <module>/.cifuzz-corpus between sessions, so a later session
# goes on from the coverage an earlier one reached. A finding fails the run and leaves a
# crash-* file in the module: add it under src/test/resources/<package>/<Class>Inputs/<method>/
# as a regression input once fixed. Plain `mvn test` replays those inputs without fuzzing.
set -euo pipefail
cd "$(dirname "$0")"
minutes=${1:-0}
targets=(
    "simulator ApduFuzzTest#apduSequences"
    "simulator ApduFuzzTest#extendedApdus"
    "simulator StateImageFuzzTest#anyImageLoadsOrIsDamaged"
    "serial-link FrameDecoderFuzzTest#arbitraryBytes"
    "serial-link FrameDecoderFuzzTest#encodedFramesSurviveNoiseAndOnlyIntactOnesPass"
    "host-provisioner OtpauthUriFuzzTest#parse"
    "host-provisioner GoogleMigrationFuzzTest#decodePayload"
    "host-provisioner GoogleMigrationFuzzTest#decodeUri"
    "host-provisioner QrImageReaderFuzzTest#readImage"
    "host-provisioner PskcReaderFuzzTest#read"
    "host-provisioner ManifestFuzzTest#parse"
    "host-provisioner SimpleExportsFuzzTest#freeOtpPlus"
    "host-provisioner SimpleExportsFuzzTest#bitwardenJson"
    "host-provisioner SimpleExportsFuzzTest#bitwardenCsv"
    "host-provisioner SimpleExportsFuzzTest#otpauthLines"
    "host-provisioner AegisVaultFuzzTest#read"
    "host-provisioner TwoFasBackupFuzzTest#read"
    "host-provisioner AndOtpBackupFuzzTest#read"
)
# Offline first (quietly: a first run on a new Maven repository lacks the install plugin), then online.
mvn -B -q -o install -DskipTests >/dev/null 2>&1 || mvn -B -q install -DskipTests
for entry in "${targets[@]}"; do
    read -r module test <<<"$entry"
    if ! grep -rqs --include='*.java' "class ${test%%#*}" "$module/src/test"; then
        echo "fuzz: $test is not in $module, skipped"
        continue
    fi
    deadline=$(( $(date +%s) + minutes * 60 ))
    session=0
    while :; do
        session=$((session + 1))
        echo "fuzz: $module $test (session $session)"
        JAZZER_FUZZ=1 mvn -B -q -o -pl "$module" test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false
        [ "$(date +%s)" -lt "$deadline" ] || break
    done
done
echo "fuzz: no findings"
