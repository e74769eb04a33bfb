#!/usr/bin/env bash
# Cold starts the way Lambda starts a Java function, Keyward next to baselines, on Java 17 and the
# newest JDK here. Usage: make bench-cold [ROUNDS=15] [JAVAS=/path/to/bin/java,...] [CLASS_LOG=true] [QUICK=true]
# [ONLY=list,authorizer] [PROBE_FLAGS="-Xlog:..."]
# (QUICK: without the "before" and AppCDS cases, to measure one change at a time; ONLY: just these
# functions, without the baselines and the SDK levers; PROBE_FLAGS: JVM flags for the SnapStart probe)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
MVN=${MVN:-mvn -B -ntp}
ROUNDS=${ROUNDS:-15}
# The emulator and the runtime client, pinned.
RIE_MODULE=github.com/aws/aws-lambda-runtime-interface-emulator
RIE_VERSION=v0.0.0-20261030222936-bef5c4ba774d
BEFORE_COMMIT=${BEFORE_COMMIT:-89232c7}

default_javas() {
  local javas
  javas=$(readlink -f "$(command -v java)")
  for jdk in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25*; do
    if [ -x "$jdk/bin/java" ]; then javas="$javas,$jdk/bin/java"; break; fi
  done
  echo "$javas"
}
JAVAS=${JAVAS:-$(default_javas)}

echo "== building the functions' jar and the benchmark"
$MVN -q package -DskipTests -pl bench -am
rm -rf bench/target/runtime
$MVN -q -f bench/runtime/pom.xml dependency:copy-dependencies -DoutputDirectory="$ROOT/bench/target/runtime"

if [ ! -x bench/target/bin/aws-lambda-rie ]; then
  echo "== building the Runtime Interface Emulator $RIE_VERSION"
  GOBIN="$ROOT/bench/target/bin" GOFLAGS=-mod=mod go install "$RIE_MODULE/cmd/aws-lambda-rie@$RIE_VERSION"
fi

BEFORE=bench/target/before
if ! git cat-file -e "$BEFORE_COMMIT^{commit}" 2>/dev/null; then
  # a shallow clone: the "before" cases are left out, the rest is measured as usual
  echo "== $BEFORE_COMMIT is not in this clone's history: measuring without the \"before\" cases"
  rm -rf "$BEFORE"
elif [ "${QUICK:-false}" = true ]; then
  echo "== QUICK: without the \"before\" cases"
elif [ ! -f "$BEFORE/keyward-functions.jar" ] || [ "$(cat "$BEFORE/commit" 2>/dev/null)" != "$BEFORE_COMMIT" ]; then
  echo "== building the functions' jar as of $BEFORE_COMMIT (\"before\")"
  rm -rf "$BEFORE" && mkdir -p "$BEFORE/src"
  git archive "$BEFORE_COMMIT" | tar -x -C "$BEFORE/src"
  $MVN -q -f "$BEFORE/src/pom.xml" package -DskipTests -pl functions -am
  cp "$BEFORE/src/functions/target/keyward-functions.jar" "$BEFORE/"
  echo "$BEFORE_COMMIT" > "$BEFORE/commit"
fi

if [ ! -x .venv/bin/moto_server ]; then make .venv/.installed; fi

echo "== measuring ($ROUNDS rounds on $JAVAS)"
cd bench
java --add-exports jdk.internal.jvmstat/sun.jvmstat.monitor=ALL-UNNAMED \
  -cp "target/classes:target/lib/*:../functions/target/keyward-functions.jar" \
  dev.keyward.bench.ColdStart --root "$ROOT" --rounds "$ROUNDS" --java "$JAVAS" --class-log "${CLASS_LOG:-false}" \
  --quick "${QUICK:-false}" --only "${ONLY:-}" --probe-flags "${PROBE_FLAGS:-}"

echo
echo "== warm handler overhead (AWS calls answered from memory), Lambda's JVM flags"
cd "$ROOT"
for java in ${JAVAS//,/ }; do
  "$java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
    -cp functions/target/keyward-functions.jar:bench/target/classes dev.keyward.bench.HandlerOverheadBenchmark
done
