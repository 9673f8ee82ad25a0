#!/usr/bin/env bash
# The Redis writer against redis-benchmark's ceiling, in one run on one machine.
#
# Per round (ROUNDS, default 3), interleaved so that a shared machine's drift hits both sides alike:
#   one redis-server:  redis-benchmark -P 64 -c 8 -t set -d 100 (one key, as given; and -r 1000000)
#                      the writer (JMH WriterThroughputBenchmark): SET (one key; 1 M random keys) and
#                      RESTORE of the same 100-byte values (1 M random keys)
#   a 6-node cluster (3 primaries + 3 replicas, all on this machine, CLUSTER_ROUNDS, default 2):
#                      redis-benchmark --cluster … -r 1000000, the writer SET and RESTORE (1 M random keys)
# Optional CLIENT_CHOICE=1: Jedis Pipeline on 1–8 connections against the writer's client (one Redis).
# Every redis-server is started here and stopped by PID on exit. Results and a summary go to OUT.
# Knobs: N (redis-benchmark requests, default 3000000), JMH_ARGS (default 1 warm-up of 5 s, 3 runs of
# 5 s), MVN_OPTS (e.g. -o), OUT (default target/writer-bench).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-3000000}
ROUNDS=${ROUNDS:-3}
CLUSTER_ROUNDS=${CLUSTER_ROUNDS:-2}
JMH_ARGS=${JMH_ARGS:--wi 1 -w 5 -i 3 -r 5 -f 1}
OUT=${OUT:-target/writer-bench}
mkdir -p "$OUT"
rm -f "$OUT"/*.csv "$OUT"/*.log
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

ceiling() {   # ceiling TARGET WORKLOAD ROUND redis-benchmark-args…  → "target,workload,round,rps"
  local target=$1 workload=$2 round=$3; shift 3
  local rps
  rps=$(redis-benchmark "$@" -P 64 -c 8 -t set -d 100 -n "$N" --csv 2>/dev/null | tail -1 | cut -d, -f2 | tr -d '"')
  echo "$target,$workload,$round,$rps" | tee -a "$OUT/ceilings.csv"
}

writer() {   # writer TARGET ROUND URL jmh-params…  → appends "target,workload,round,rps" to writer.csv
  local target=$1 round=$2 url=$3; shift 3
  local csv="$OUT/jmh-$target-$round.csv"
  # ignoreLock: other JMH runs on a shared machine must not make this one give up (their load shows in the figures).
  java -Xmx1g -Djmh.ignoreLock=true -cp "$CP" org.openjdk.jmh.Main WriterThroughputBenchmark -p target="$url" "$@" \
    $JMH_ARGS -rf csv -rff "$csv" >"$OUT/jmh-$target-$round.log" 2>&1
  # columns: …, Score (5), …, command (8), connections (9), keys (10), target (11)
  tail -n +2 "$csv" | tr -d '"' | awk -F, -v t="$target" -v r="$round" '{
      w = ($8 == "SET" ? "SET" : "RESTORE") ($10 == 1 ? " one key" : " random");
      printf "%s,writer %s,%s,%.0f\n", t, w, r, $5 }' | tee -a "$OUT/writer.csv"
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
for r in $(seq "$ROUNDS"); do
  ceiling standalone "SET one key" "$r" -p "$SP"
  ceiling standalone "SET random" "$r" -p "$SP" -r 1000000
  redis-cli -p "$SP" flushall >/dev/null
  writer standalone "$r" "redis://127.0.0.1:$SP" -p command=SET,RESTORE -p keys=1,1000000
  redis-cli -p "$SP" flushall >/dev/null
done

if [ "${CLIENT_CHOICE:-0}" = 1 ]; then
  echo "== Jedis Pipeline vs the writer's client (SET random, one Redis)"
  java -Xmx1g -Djmh.ignoreLock=true -cp "$CP" org.openjdk.jmh.Main RedisClientChoiceBenchmark \
    -p target="redis://127.0.0.1:$SP" $JMH_ARGS -rf csv -rff "$OUT/client-choice.csv" >"$OUT/client-choice.log" 2>&1
  tail -n +2 "$OUT/client-choice.csv" | tr -d '"' | awk -F, '{ printf "%s on %s connection(s): %.0f ops/s\n", $9, $10, $5 }' \
    | tee "$OUT/client-choice.txt"
  redis-cli -p "$SP" flushall >/dev/null
fi

echo "== cluster: 3 primaries + 3 replicas"
NODES=()
for _ in 1 2 3 4 5 6; do
  p=$(free_port)
  start_redis "$p" --cluster-enabled yes --cluster-config-file "$WORK/nodes-$p.conf" --cluster-node-timeout 5000
  NODES+=("127.0.0.1:$p")
done
redis-cli --cluster create "${NODES[@]}" --cluster-replicas 1 --cluster-yes >"$OUT/cluster-create.log"
CP1=${NODES[0]#127.0.0.1:}
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
flush_cluster() {
  local n
  for n in "${NODES[@]}"; do redis-cli -p "${n#127.0.0.1:}" flushall >/dev/null 2>&1 || true; done
}
for r in $(seq "$CLUSTER_ROUNDS"); do
  ceiling cluster "SET random" "$r" --cluster -p "$CP1" -r 1000000
  flush_cluster
  writer cluster "$r" "redis://127.0.0.1:$CP1" -p command=SET,RESTORE -p keys=1000000
  flush_cluster
done

echo "end: $(date -Is), load average: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"

echo
echo "== summary: ops/s per round, and the writer against the ceiling of the same round"
{
  echo "target,workload,round,ops/s,ceiling (same round),ratio"
  awk -F, 'NR == FNR { c[$1 "," $3 "," $2] = $4; next }
    {
      key = $2; sub(/^writer /, "", key); sub(/^RESTORE/, "SET", key)   # RESTORE is compared with the SET ceiling
      ceil = c[$1 "," $3 "," key]
      printf "%s,%s,%s,%s,%s,%.2f\n", $1, $2, $3, $4, ceil, (ceil > 0 ? $4 / ceil : 0)
    }' "$OUT/ceilings.csv" "$OUT/writer.csv"
} | tee "$OUT/summary.csv" | column -s, -t
