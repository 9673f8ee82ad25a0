#!/usr/bin/env bash
# Cost of exactly-once journal apply against at-least-once (ExactlyOnceCost, benchmarks/jmh/java):
# a mixed journal of non-idempotent and blind writes through the sink's applier and writer into one
# redis-server, PAIRS pairs alternating which mode goes first; then 3 pairs with EVAL instead of FCALL
# (the fallback for Redis < 7). Starts its own redis-server on a free
# loopback port and stops it by PID, also on failure.
# Usage: PAIRS=5 COMMANDS=1000000 benchmarks/exactly-once-cost.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PAIRS=${PAIRS:-5}
COMMANDS=${COMMANDS:-1000000}
WORK=$(mktemp -d)
PID=""
cleanup() {
  [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
PORT=$(shuf -i 20000-40000 -n 1)
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" --logfile "$WORK/redis.log" &
PID=$!
for _ in $(seq 200); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done
mvn -q -B -ntp ${MVN_OPTS:-} -Pbench test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
CP="target/test-classes:target/classes:$(cat target/bench.cp)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(redis-server --version | cut -d' ' -f3); load $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx1g -XX:+UseParallelGC -cp "$CP" io.df2redis.bench.ExactlyOnceCost "redis://127.0.0.1:$PORT" "$PID" "$PAIRS" "$COMMANDS"
java -Xmx1g -XX:+UseParallelGC -Dexactly-once.eval=true -cp "$CP" io.df2redis.bench.ExactlyOnceCost "redis://127.0.0.1:$PORT" "$PID" 3 "$COMMANDS"
echo "load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
