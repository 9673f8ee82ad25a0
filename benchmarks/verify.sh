#!/usr/bin/env bash
# Keys/s of --mode verify's comparison (VerifyThroughput, benchmarks/jmh/java) against a plain
# SCAN + DUMP loop over the same data: two redis-servers on free loopback ports filled alike
# (KEYS strings of 100 B by DEBUG POPULATE, HASHES hashes of 50 fields, ZSETS zsets of 50 members),
# RUNS alternating pairs. Stops both servers by PID, also on failure.
# Usage: KEYS=1000000 HASHES=20000 ZSETS=20000 RUNS=3 PARALLELISM=4 benchmarks/verify.sh
set -euo pipefail
cd "$(dirname "$0")/.."
KEYS=${KEYS:-1000000}
HASHES=${HASHES:-20000}
ZSETS=${ZSETS:-20000}
RUNS=${RUNS:-3}
PARALLELISM=${PARALLELISM:-4}
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
start() {
  local port=$1
  mkdir -p "$WORK/$port"
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK/$port" \
    --enable-debug-command yes --logfile "$WORK/$port/redis.log" &
  PIDS+=($!)
  for _ in $(seq 200); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done
}
SRC=$(shuf -i 20000-30000 -n 1)
DST=$(shuf -i 30001-40000 -n 1)
start "$SRC"
start "$DST"
awk -v h="$HASHES" -v z="$ZSETS" 'BEGIN {
  for (i = 0; i < h; i++) { printf "HSET hash:%d", i; for (f = 0; f < 50; f++) printf " f%d value-%d-%d", f, i, f; printf "\n" }
  for (i = 0; i < z; i++) { printf "ZADD zset:%d", i; for (m = 0; m < 50; m++) printf " %d.5 member-%d", m * 7 + i, m; printf "\n" }
}' > "$WORK/more.txt"
for port in "$SRC" "$DST"; do
  redis-cli -p "$port" DEBUG POPULATE "$KEYS" key 100 >/dev/null
  redis-cli -p "$port" < "$WORK/more.txt" >/dev/null
done
mvn -q -B -ntp ${MVN_OPTS:-} -Pbench test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
CP="target/test-classes:target/classes:$(cat target/bench.cp)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(redis-server --version | cut -d' ' -f3); $(redis-cli -p "$SRC" DBSIZE) keys per side; load $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx1g -XX:+UseParallelGC -cp "$CP" io.df2redis.bench.VerifyThroughput "redis://127.0.0.1:$SRC" "redis://127.0.0.1:$DST" "$RUNS" "$PARALLELISM"
echo "load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
