#!/usr/bin/env bash
# How long --mode cutover pauses writes on the source, at a given write rate, against the master
# simulator (DfSimMain: non-idempotent writes at RATE/s) and one redis-server, with the embedded job
# replicating. Each run: start all three, let the job reach stable sync, run the cut-over, report its
# READY line; stops every process by PID, also on failure.
# Usage: RATES="10000 50000" RUNS=3 benchmarks/cutover.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RATES=${RATES:-"10000 50000"}
RUNS=${RUNS:-3}
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
mvn -q -B -ntp ${MVN_OPTS:-} -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/bench.cp \
  -Dmdep.includeScope=test >/dev/null
CP="target/test-classes:target/classes:$(cat target/bench.cp)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(redis-server --version | cut -d' ' -f3); load $(cut -d' ' -f1-3 /proc/loadavg)"
for rate in $RATES; do
  for run in $(seq "$RUNS"); do
    dir="$WORK/$rate-$run"; mkdir -p "$dir"
    java -Xmx1g -cp "$CP" io.df2redis.testing.dfsim.DfSimMain 2 "$rate" > "$dir/sim.out" 2>&1 &
    PIDS+=($!); SIMPID=$!
    port=$(shuf -i 20000-40000 -n 1)
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" --logfile "$dir/redis.log" &
    PIDS+=($!); REDISPID=$!
    for _ in $(seq 200); do grep -q "dfsim:" "$dir/sim.out" 2>/dev/null && redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done
    sim=$(grep -o '127.0.0.1:[0-9]*' "$dir/sim.out")
    java -Xmx2g -jar target/df2redis-local.jar --source.url "redis://$sim" --target.url "redis://127.0.0.1:$port" \
      --state.dir "$dir/state" > "$dir/job.out" 2>&1 &
    PIDS+=($!); JOBPID=$!
    for _ in $(seq 600); do grep -q "every flow passed the stable cut" "$dir/job.out" && break; sleep 0.1; done
    sleep 12 # past the first checkpoint, at the rate
    start=$(date +%s.%N)
    java -jar target/df2redis-local.jar --mode cutover --source.url "redis://$sim" --target.url "redis://127.0.0.1:$port" \
      > "$dir/cut.out" 2>&1 || true
    end=$(date +%s.%N)
    line=$(grep "df2redis cutover" "$dir/cut.out" | sed 's/.*df2redis cutover: //')
    lag=$(grep "progress:" "$dir/job.out" | tail -1 | sed 's/.*stable: //' | cut -c1-120)
    printf 'rate %s/s run %s: command %.1f s; %s\n    last progress line: %s\n' "$rate" "$run" "$(awk -v a="$start" -v b="$end" 'BEGIN{print b-a}')" "$line" "$lag"
    kill -9 "$JOBPID" "$SIMPID" "$REDISPID" 2>/dev/null || true
    wait "$JOBPID" "$SIMPID" "$REDISPID" 2>/dev/null || true
  done
done
echo "load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
