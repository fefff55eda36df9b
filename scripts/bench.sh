#!/usr/bin/env bash
# Quick benchmark profile (≤ 3 minutes on 2 cores): the JMH suite of kes-benchmarks with short
# iterations, next to OpenSSL's native floor measured in the same run, so that the results read as
# ratios rather than noisy absolutes. Not part of the test suite.
#   scripts/bench.sh                 # JDK from PATH (or $JAVA)
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java scripts/bench.sh
#   FULL=1 scripts/bench.sh          # JMH's default iterations (much longer)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA="${JAVA:-java}"
JAR="$ROOT/kes-benchmarks/target/benchmarks.jar"

if [[ ! -f "$JAR" || -n "$(find "$ROOT"/kes-*/src/main "$ROOT"/pom.xml -newer "$JAR" -type f -print -quit)" ]]; then
  echo "building $JAR ..." >&2
  (cd "$ROOT" && ./mvnw -B -q -pl kes-benchmarks -am package -DskipTests) >&2
fi

echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $("$JAVA" -version 2>&1 | head -1)"

# ---- native floor: OpenSSL, the same sizes as a KES seal (32-byte key, 16-byte IV) ---------------
ns_per_op() { # bytes-per-second size -> ns per operation
  awk -v bps="$1" -v size="$2" 'BEGIN { printf "%.0f", 1e9 / (bps / size) }'
}
if command -v openssl >/dev/null 2>&1; then
  gcm32=$(openssl speed -mr -evp aes-256-gcm -bytes 32 -seconds 1 2>/dev/null | awk -F: '/^\+F:/ {print $4}')
  gcm64=$(openssl speed -mr -evp aes-256-gcm -bytes 64 -seconds 1 2>/dev/null | awk -F: '/^\+F:/ {print $4}')
  hmac16=$(openssl speed -mr -hmac sha256 -bytes 16 -seconds 1 2>/dev/null | awk -F: '/^\+F:/ {print $4}')
  hmac64=$(openssl speed -mr -hmac sha256 -bytes 64 -seconds 1 2>/dev/null | awk -F: '/^\+F:/ {print $4}')
  g32=$(ns_per_op "$gcm32" 32); h16=$(ns_per_op "$hmac16" 16)
  echo "== OpenSSL: aes-256-gcm 32 B $g32 ns, 64 B $(ns_per_op "$gcm64" 64) ns; hmac-sha256 16 B $h16 ns, 64 B $(ns_per_op "$hmac64" 64) ns"
  echo "== native floor of one KES seal (HMAC(iv) + GCM(32 B)): $((g32 + h16)) ns; seal+open ≈ $((2 * (g32 + h16))) ns"
else
  echo "== openssl not found: no native floor in this run"
fi

# ---- JMH ----------------------------------------------------------------------------------------
if [[ -n "${FULL:-}" ]]; then
  JMH=(-f 1)
else
  JMH=(-f 1 -wi 1 -w 1s -i 3 -r 1s)
fi
"$JAVA" -jar "$JAR" "${JMH[@]}" -p format=BINARY 'SealBenchmark' -rf text -rff /tmp/kes4j-bench-seal.txt >/dev/null
"$JAVA" -jar "$JAR" "${JMH[@]}" 'EngineBenchmark|HttpApiBenchmark|CacheMissBenchmark' -rf text -rff /tmp/kes4j-bench-engine.txt >/dev/null
cat /tmp/kes4j-bench-seal.txt /tmp/kes4j-bench-engine.txt
