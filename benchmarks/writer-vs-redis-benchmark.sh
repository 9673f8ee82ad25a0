#!/usr/bin/env bash
# The Redis writer against redis-benchmark's ceiling, in one run on one machine:
#   1. redis-benchmark -P 64 -c 8 -t set -d 100 (one key, as given; and -r 1000000 random keys) into one redis-server
#   2. the writer (JMH WriterThroughputBenchmark): SET and RESTORE of the same 100-byte values into it
#   3. the ceiling again (the machine is shared: bracketing shows the drift)
#   4. the same into a 6-node cluster (3 primaries + 3 replicas, all on this machine)
#   5. optional (CLIENT_CHOICE=1): Jedis Pipeline on 1-8 connections against the writer's own client
# Every redis-server is started here and stopped by PID on exit.
# Knobs: N (redis-benchmark requests, default 3000000), JMH_ARGS (default: 2 warm-ups of 5 s, 5 runs of 10 s),
#        MVN_OPTS (e.g. -o), CLIENT_CHOICE=1, OUT (results directory, default target/writer-bench).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-3000000}
JMH_ARGS=${JMH_ARGS:--wi 2 -w 5 -i 5 -r 10 -f 1}
OUT=${OUT:-target/writer-bench}
mkdir -p "$OUT"
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

ceiling() {   # ceiling LABEL redis-benchmark-args…   → one CSV line "LABEL,rps"
  local label=$1; shift
  local rps
  rps=$(redis-benchmark "$@" -P 64 -c 8 -t set -d 100 -n "$N" --csv | tail -1 | cut -d, -f2 | tr -d '"')
  echo "$label,$rps" | tee -a "$OUT/ceilings.csv"
}

jmh() {   # jmh NAME benchmark-regex jmh-args…
  local name=$1; shift
  # ignoreLock: other JMH runs on a shared machine must not make this one give up (their load shows in the figures).
  java -Xmx1g -Djmh.ignoreLock=true -cp "$CP" org.openjdk.jmh.Main "$@" $JMH_ARGS -rf csv -rff "$OUT/$name.csv" | tee "$OUT/$name.log" \
    | grep -E '^(Writer|Redis)[A-Za-z]+Benchmark\.' || true
}

echo "== build (mvn -Pbench test-compile)"
mvn -q -B -ntp ${MVN_OPTS:-} -Pbench test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
CP="target/test-classes:target/classes:$(cat target/bench.cp)"

{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/{print $2}') GB"
  echo "$(redis-server --version)"
  echo "$(java -version 2>&1 | head -1)"
  echo "start: $(date -Is), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/machine.txt"
: > "$OUT/ceilings.csv"

echo "== one redis-server"
SP=$(free_port)
start_redis "$SP"
ceiling "standalone one key (as given), before" -p "$SP"
ceiling "standalone -r 1000000, before" -p "$SP" -r 1000000
redis-cli -p "$SP" flushall >/dev/null
jmh standalone WriterThroughputBenchmark -p target="redis://127.0.0.1:$SP" -p command=SET,RESTORE -p keys=1,1000000
ceiling "standalone one key (as given), after" -p "$SP"
ceiling "standalone -r 1000000, after" -p "$SP" -r 1000000

if [ "${CLIENT_CHOICE:-0}" = 1 ]; then
  echo "== Jedis Pipeline vs the writer's client"
  redis-cli -p "$SP" flushall >/dev/null
  jmh client-choice RedisClientChoiceBenchmark -p target="redis://127.0.0.1:$SP"
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
    redis-cli -p "${n#127.0.0.1:}" cluster info | grep -q 'cluster_state:ok' || ok=0
    role=$(redis-cli -p "${n#127.0.0.1:}" info replication | tr -d '\r' | awk -F: '/^role:/{print $2}')
    if [ "$role" = slave ]; then
      redis-cli -p "${n#127.0.0.1:}" info replication | grep -q 'master_link_status:up' || ok=0
    fi
  done
  [ $ok = 1 ] && break
  sleep 0.1
done
ceiling "cluster -r 1000000, before" --cluster -p "$CP1" -r 1000000
redis-cli --cluster call "127.0.0.1:$CP1" flushall >/dev/null 2>&1 || true
jmh cluster WriterThroughputBenchmark -p target="redis://127.0.0.1:$CP1" -p command=SET,RESTORE -p keys=1000000
ceiling "cluster -r 1000000, after" --cluster -p "$CP1" -r 1000000

echo "end: $(date -Is), load average: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"
echo
echo "== summary (ops/s)"
cat "$OUT/ceilings.csv"
for f in "$OUT"/standalone.csv "$OUT"/cluster.csv "$OUT"/client-choice.csv; do
  [ -f "$f" ] || continue
  echo "-- $(basename "$f")"
  cat "$f"
done
