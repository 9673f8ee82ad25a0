#!/usr/bin/env bash
# The Redis writer against redis-benchmark's ceiling, in one run on one machine.
#
# Headline figures: WriterPairedComparison (benchmarks/jmh/java/io/df2redis/bench) runs, in PAIRS
# pairs of COMMANDS commands each, `redis-benchmark -P 64 -c 8 -t set -d 100 [-r 1000000] [--cluster]`
# and the writer back to back (alternating which goes first) into the same server(s) and keys, and
# reports the median of the pairs' ratios: on a shared machine the load hits both sides of a pair alike.
#   one redis-server:  SET one key (redis-benchmark as given), SET random keys (-r 1000000),
#                      RESTORE of the same 100-byte values (against the SET random ceiling)
#   client choice:     Jedis Pipeline on 1/2/4/8 connections vs the writer on 1/2/4/8 (SET random), and
#                      the same through a delay proxy adding a 1 ms round trip (RedisDelayProxy)
#   6-node cluster:    3 primaries + 3 replicas on this machine: SET random, RESTORE random
# JMH=1 also runs the JMH benchmarks (WriterThroughputBenchmark, RedisClientChoiceBenchmark) for
# absolute figures. Every redis-server is started here and stopped by PID on exit.
# Knobs: PAIRS (default 5), COMMANDS (default 1000000), CLIENT_CHOICE (default 1), JMH (default 0),
#        MVN_OPTS (e.g. -o), OUT (default target/writer-bench).
set -euo pipefail
cd "$(dirname "$0")/.."

PAIRS=${PAIRS:-5}
COMMANDS=${COMMANDS:-1000000}
OUT=${OUT:-target/writer-bench}
mkdir -p "$OUT"
rm -f "$OUT"/*.txt "$OUT"/*.csv "$OUT"/*.log
WORK=$(mktemp -d /tmp/df2redis-writer-bench-XXXXXX)
PIDS=()

cleanup() {
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

port_free() { ! (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }
free_port() {   # a port p with p and p+10000 free (cluster bus)
  local p
  for p in $(shuf -i 20000-40000 -n 200); do
    if port_free "$p" && port_free $((p + 10000)); then echo "$p"; return; fi
  done
  echo "no free port" >&2; exit 1
}

start_redis() {   # start_redis PORT [extra redis-server args…]
  local port=$1; shift
  local dir="$WORK/$port"
  mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" \
    --logfile "$dir/redis.log" --repl-diskless-sync-delay 0 "$@" &
  PIDS+=($!)
  disown $!
  for _ in $(seq 200); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && return
    sleep 0.05
  done
  echo "redis-server on $port did not start: $(tail -5 "$dir/redis.log")" >&2; exit 1
}

paired() {   # paired URL WORKLOAD CLIENT [DELAY_MICROS]
  java -Xmx1g -XX:+UseParallelGC -cp "$CP" io.df2redis.bench.WriterPairedComparison "$1" "$2" "$3" "$PAIRS" "$COMMANDS" "${4:-0}" \
    >>"$OUT/pairs.log" 2>&1
  grep '^RESULT' "$OUT/pairs.log" | tail -1 | tee -a "$OUT/results.txt"
}

echo "== build (mvn -Pbench test-compile)"
mvn -q -B -ntp ${MVN_OPTS:-} -Pbench test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
CP="target/test-classes:target/classes:$(cat target/bench.cp)"

{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/{print $2}') GB RAM"
  echo "$(redis-server --version)"
  echo "$(java -version 2>&1 | head -1)"
  echo "start: $(date -Is), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/machine.txt"

echo "== one redis-server"
SP=$(free_port)
start_redis "$SP"
for w in set-one set-random restore-random; do
  paired "redis://127.0.0.1:$SP" "$w" writer:1
done
if [ "${CLIENT_CHOICE:-1}" = 1 ]; then
  echo "== Jedis Pipeline vs the writer's own client (SET random keys)"
  for c in jedis:1 jedis:2 jedis:4 jedis:8 writer:1 writer:2 writer:4 writer:8; do
    paired "redis://127.0.0.1:$SP" set-random "$c"
  done
  echo "== the same through a 1 ms round trip (RedisDelayProxy, 0.5 ms each way; redis-benchmark direct)"
  for c in jedis:1 jedis:2 jedis:4 writer:1 writer:2; do
    paired "redis://127.0.0.1:$SP" set-random "$c" 500
  done
fi
if [ "${JMH:-0}" = 1 ]; then
  echo "== JMH (absolute figures)"
  java -Xmx1g -Djmh.ignoreLock=true -cp "$CP" org.openjdk.jmh.Main 'WriterThroughputBenchmark|RedisClientChoiceBenchmark' \
    -p target="redis://127.0.0.1:$SP" -rf csv -rff "$OUT/jmh.csv" >"$OUT/jmh.log" 2>&1
  grep -E '^(Writer|Redis)[A-Za-z]+Benchmark\.' "$OUT/jmh.log" || true
fi

echo "== cluster: 3 primaries + 3 replicas"
NODES=()
for _ in 1 2 3 4 5 6; do
  p=$(free_port)
  start_redis "$p" --cluster-enabled yes --cluster-config-file "$WORK/nodes-$p.conf" --cluster-node-timeout 5000
  NODES+=("127.0.0.1:$p")
done
redis-cli --cluster create "${NODES[@]}" --cluster-replicas 1 --cluster-yes >"$OUT/cluster-create.log"
for _ in $(seq 300); do
  ok=1
  for n in "${NODES[@]}"; do
    p=${n#127.0.0.1:}
    redis-cli -p "$p" cluster info | grep -q 'cluster_state:ok' || ok=0
    [ "$(redis-cli -p "$p" cluster nodes | grep -c slave)" = 3 ] || ok=0
    if redis-cli -p "$p" info replication | grep -q '^role:slave'; then
      redis-cli -p "$p" info replication | grep -q 'master_link_status:up' || ok=0
    fi
  done
  [ $ok = 1 ] && break
  sleep 0.1
done
for w in set-random restore-random; do
  paired "redis://${NODES[0]}" "$w" writer:1
done

echo "end: $(date -Is), load average: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"
echo "pairs: $OUT/pairs.log, results: $OUT/results.txt"
