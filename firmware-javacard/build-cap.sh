#!/usr/bin/env bash
# Converts the OATH applet into a CAP file with Oracle's Java Card 3.0.5 converter.
#
#   JC_HOME=/path/to/jc305u3_kit firmware-javacard/build-cap.sh
#
# Needs: JC_HOME, a Java Card 3.0.5 Classic SDK (the converter is not redistributable, so
# neither this repository nor CI carries it); java on PATH or JAVA_HOME (8 to 25 work);
# mvn when the classes are missing or older than the sources.
# Writes firmware-javacard/target/cap/platform.cap (the platform-service interfaces, a library
# package the device's platform applet and the OATH applet both import) and
# firmware-javacard/target/cap/oath.cap, plus the converter's EXP and JCA files under
# target/cap/io/totptoken/*/javacard/. See docs/cap.md.
set -euo pipefail

PLATFORM_PACKAGE=io.totptoken.platform
PLATFORM_PACKAGE_AID=0xF0:0x74:0x6F:0x74:0x70:0x00
PACKAGE=io.totptoken.oath
PACKAGE_AID=0xA0:0x00:0x00:0x05:0x27:0x21:0x01
APPLET_AID=0xA0:0x00:0x00:0x05:0x27:0x21:0x01:0x01
APPLET_CLASS=io.totptoken.oath.OathApplet
VERSION=1.0

module=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$module")
classes=$module/target/classes
out=$module/target/cap

die() { echo "build-cap: $*" >&2; exit 1; }

[ -n "${JC_HOME:-}" ] || die "set JC_HOME to a Java Card 3.0.5 Classic SDK (e.g. jc305u3_kit)"
exports=$JC_HOME/api_export_files
[ -f "$JC_HOME/lib/tools.jar" ] && [ -f "$exports/javacard/framework/javacard/framework.exp" ] \
    || die "$JC_HOME does not look like a Java Card 3.0.5 SDK (no lib/tools.jar or api_export_files)"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

# Compile when there are no classes yet or a source is newer than them.
marker=$classes/io/totptoken/oath/OathApplet.class
if [ ! -f "$marker" ] || [ -n "$(find "$module/src/main" -newer "$marker" -print -quit)" ]; then
    (cd "$root" && mvn -q -pl firmware-javacard package -DskipTests)
fi

# The converter's own class path, as the SDK's bin/converter.bat builds it.
cp=""
for jar in api_classic tools jctasks commons-logging-1.1 commons-httpclient-3.0 commons-codec-1.3 \
           commons-cli-1.0 bcel-5.2 asm-all-3.1 api_classic_annotations ant-contrib-1.0b3; do
    [ -f "$JC_HOME/lib/$jar.jar" ] && cp=$cp${cp:+:}$JC_HOME/lib/$jar.jar
done

rm -rf "$out"
mkdir -p "$out"

# No -i: the applet must not need the optional int support.
# -useproxyclass: for a package with a Shareable interface (PlatformButton) the converter
# otherwise generates Connected-edition proxy classes and compiles them with the running JDK,
# which fails on anything newer than JDK 8 ("Java SDK version is 17..., which is incorrect").
# Those proxies only go into APPLET-INF/ of the CAP; a Classic card loads the *.cap
# components alone, so skipping them changes nothing on the card.
convert() {
    "$java" -Djc.home="$JC_HOME" -cp "$cp" com.sun.javacard.converter.Main \
        -useproxyclass \
        -classdir "$classes" \
        -exportpath "$exports:$out" \
        -out CAP EXP JCA \
        -d "$out" \
        "$@"
}
verify() { # built-file-prefix, then the export files it depends on beyond the API
    local built=$1
    shift
    mapfile -t api < <(find "$exports" -name '*.exp' | sort)
    "$java" -Djc.home="$JC_HOME" -cp "$cp" com.sun.javacard.offcardverifier.Verifier \
        "${api[@]}" "$@" "$built.exp" "$built.cap"
}

convert "$PLATFORM_PACKAGE" "$PLATFORM_PACKAGE_AID" "$VERSION"
platform=$out/${PLATFORM_PACKAGE//.//}/javacard/${PLATFORM_PACKAGE##*.}
[ -f "$platform.cap" ] || die "the converter wrote no platform CAP file"
verify "$platform"

convert -applet "$APPLET_AID" "$APPLET_CLASS" "$PACKAGE" "$PACKAGE_AID" "$VERSION"
built=$out/${PACKAGE//.//}/javacard/${PACKAGE##*.}
[ -f "$built.cap" ] || die "the converter wrote no CAP file"
verify "$built" "$platform.exp"

cp "$platform.cap" "$out/platform.cap"
cp "$built.cap" "$out/oath.cap"
echo "build-cap: wrote $out/platform.cap and $out/oath.cap"
echo "build-cap: install with: gp --load $out/platform.cap && gp --install $out/oath.cap --params 00C80800"
