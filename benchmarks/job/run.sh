#!/usr/bin/env bash
# The Flink job's figures (issue 6 "Figures to report"), one run on this machine:
#   1. the benchmark master's own full-sync rate (drained by a null replica over loopback);
#   2. redis-benchmark -t set -d 100 -P 64 -c 8 -n N -r N against a fresh redis-server, per N, and
#      (2b) redis-cli --pipe of the same N distinct keys, the fair anchor;
#   3. a Dragonfly replica syncing the same N keys (only with DF2REDIS_DRAGONFLY_BIN; otherwise the
#      issue's figure is quoted as not measured here);
#   4. `java -jar target/df2redis-local.jar --mode snapshot` of N keys × 100 B from the benchmark
#      master into a fresh redis-server: whole-job time, keys/s, CPU per process, heap (GC log),
#      and a correctness check (DBSIZE = N, sampled values = the generator's);
#   5. replication lag during stable sync at constant write rates (master's next LSN − ACKed LSN),
#      and how far the target itself is behind (newest write visible in Redis, by binary search);
#   6. with --profile (or when the largest snapshot misses 0.8 × redis-benchmark): the largest
#      snapshot again under JFR, and where its CPU went; in that run also the live heap every 10 s
#      (jcmd GC.class_histogram forces a full GC: not done in the headline runs).
# Every process is started here and stopped by PID (also on failure). One summary line per figure
# at the end (also in $OUT/summary.txt).
#
# Usage: benchmarks/job/run.sh [--quick (200k keys, 20 s lag phases, no profile)] [--keys "1m 10m"] [--flows 2] [--lag-keys 200k]
#          [--lag-phases "20000:75,50000:75"] [--lag-warmup 15] [--no-lag] [--profile|--no-profile]
#          [--compression lz4|none] [--cluster M] [--out DIR]
#        --cluster M: the snapshot runs write into a cluster of M primaries (no replicas; M ≥ 3) instead of
#          one redis-server; the anchors and the lag run stay on one redis-server.
# Environment: JOB_HEAP (default 2g) — the local job JVM's -Xmx ("default": none, the JVM's own choice, a
#              quarter of the machine's memory); JOB_OPTIONS_FILE (default flink-conf/jvm.options, as the
#              README's command; "none" for the JVM's defaults); JOB_JVM_OPTS — extra JVM options of the
#              job runs, snapshot and lag (e.g. "-XX:+UseParallelGC"); JOB_ARGS — extra job flags;
#              MASTER_ARGS — extra benchmark master flags (e.g. "--lz4 java --flush-bytes 16384");
#              DF2REDIS_DRAGONFLY_BIN — a dragonfly binary to measure a real replica with.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
source "$HERE/lib.sh"

KEYS_LIST="1m 10m"
FLOWS=2
LAG_KEYS=200k
LAG_PHASES="20000:75,50000:75"
LAG_WARMUP=15
DO_LAG=1
PROFILE=auto
COMPRESSION=lz4
CLUSTER=0
OUT=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) KEYS_LIST="200k"; LAG_KEYS=50k; LAG_PHASES="20000:20,50000:20"; LAG_WARMUP=5
             [[ $PROFILE == auto ]] && PROFILE=no; shift ;;
    --keys) KEYS_LIST=$2; shift 2 ;;
    --flows) FLOWS=$2; shift 2 ;;
    --lag-keys) LAG_KEYS=$2; shift 2 ;;
    --lag-phases) LAG_PHASES=$2; shift 2 ;;
    --lag-warmup) LAG_WARMUP=$2; shift 2 ;;
    --no-lag) DO_LAG=0; shift ;;
    --profile) PROFILE=yes; shift ;;
    --no-profile) PROFILE=no; shift ;;
    --compression) COMPRESSION=$2; shift 2 ;;
    --cluster) CLUSTER=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) die "unknown flag $1 (see the header of $0)" ;;
  esac
done
JOB_HEAP=${JOB_HEAP:-2g}
JOB_BASE_OPTS=(-Xmx"$JOB_HEAP")
[[ $JOB_HEAP == default ]] && JOB_BASE_OPTS=()
# The JVM options the README's command hands the job (flink-conf/jvm.options); "none": the JVM's defaults.
JOB_OPTIONS_FILE=${JOB_OPTIONS_FILE:-$ROOT/flink-conf/jvm.options}
[[ $JOB_OPTIONS_FILE != none ]] && JOB_BASE_OPTS=("@$JOB_OPTIONS_FILE" "${JOB_BASE_OPTS[@]}")
JOB_ARGS=${JOB_ARGS:-}
JOB_JVM_OPTS=${JOB_JVM_OPTS:-}
MASTER_ARGS=${MASTER_ARGS:-}
OUT=${OUT:-$ROOT/target/bench-job/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
SUMMARY="$OUT/summary.txt"
: >"$SUMMARY"
say() { echo "$*" | tee -a "$SUMMARY"; }

# keys as a number: 200k → 200000, 10m → 10000000
count() { local v=${1,,}; case "$v" in *k) echo $(( ${v%k} * 1000 ));; *m) echo $(( ${v%m} * 1000000 ));; *) echo "$v";; esac; }
human() { awk -v n="$1" 'BEGIN { if (n >= 1e6 && n % 1e6 == 0) printf "%dM", n/1e6; else if (n >= 1e3 && n % 1e3 == 0) printf "%dk", n/1e3; else printf "%d", n }'; }

machine() {
  echo "machine: $(nproc) vCPU $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB RAM;" \
    "$(java -version 2>&1 | head -1); $(redis-server --version | awk '{print $1, $2, $3}')"
}
load() { awk '{print $1, $2, $3}' /proc/loadavg; }

build_all "$ROOT"
say "$(machine)"
say "job JVM: ${JOB_BASE_OPTS[*]:-(no options)} ${JOB_JVM_OPTS}"
say "load average at start (1/5/15 min): $(load)"
declare -A BENCH_RATE

# commands_per_read PORT...: redis-server's commands per socket read so far, over the given servers (its
# pipelining depth as seen by the server; fewer commands per read cost it more CPU per command).
commands_per_read() {
  local port
  for port in "$@"; do redis-cli -p "$port" info stats; done | tr -d '\r' \
    | awk -F: '/^total_commands_processed:/ {c += $2} /^total_reads_processed:/ {r += $2}
      END { if (r > 0) printf "%.1f", c / r; else print "?" }'
}

# cpu_sum PID...: CPU seconds the given live processes have used so far, together.
cpu_sum() {
  local pid t=0
  for pid in "$@"; do t=$(awk -v a="$t" -v b="$(cpu_seconds "$pid")" 'BEGIN { print a + b }'); done
  echo "$t"
}

# ---- 1. the benchmark master alone --------------------------------------------------------------
largest=0
for k in $KEYS_LIST; do n=$(count "$k"); (( n > largest )) && largest=$n; done
log "benchmark master alone: $(human "$largest") keys drained by a null replica"
# shellcheck disable=SC2086
benchmaster drain --keys "$largest" --flows "$FLOWS" --compression "$COMPRESSION" $MASTER_ARGS >"$OUT/master-drain.log" 2>&1 \
  || die "master drain failed: $(tail -3 "$OUT/master-drain.log")"
say "master alone ($(human "$largest") keys, $FLOWS flows, $COMPRESSION, null replica over loopback): $(grep -m1 '^drain:' "$OUT/master-drain.log" | sed 's/^drain: //')"

# ---- 2. redis-benchmark -------------------------------------------------------------------------
for k in $KEYS_LIST; do
  n=$(count "$k")
  start_redis "$OUT/redis-benchmark-$k"
  log "redis-benchmark -t set -d 100 -P 64 -c 8 -n $n -r $n (redis on port $REDIS_PORT)"
  rcpu0=$(cpu_seconds "$REDIS_PID")
  redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -t set -d 100 -P 64 -c 8 -n "$n" -r "$n" -q \
    >"$OUT/redis-benchmark-$k.txt" 2>&1 || die "redis-benchmark failed: $(tail -3 "$OUT/redis-benchmark-$k.txt")"
  rate=$(tr '\r' '\n' <"$OUT/redis-benchmark-$k.txt" | grep -m1 '^SET: .* requests per second' | awk '{print $2}')
  BENCH_RATE[$k]=${rate%.*}
  rcpu=$(awk -v a="$rcpu0" -v b="$(cpu_seconds "$REDIS_PID")" -v n="$n" 'BEGIN { printf "%.1f s (%.1f µs/SET)", b - a, (b - a) * 1e6 / n }')
  cpr=$(commands_per_read "$REDIS_PORT")
  stop_pid "$REDIS_PID"
  say "redis-benchmark -t set -d 100 -P 64 -c 8 -n $(human "$n") -r $(human "$n"): ${BENCH_RATE[$k]} SET/s; redis-server CPU $rcpu, $cpr commands per read; load $(load)"
done

# ---- 2b. the target's own mass insertion: redis-cli --pipe of the same N distinct keys -----------
# The fair anchor (issue 14): redis-benchmark -r N writes only ~63 % distinct keys; this writes
# SET key:<i> <100 B> for every i < N, generated while piped.
declare -A PIPE_RATE
for k in $KEYS_LIST; do
  n=$(count "$k")
  start_redis "$OUT/redis-pipe-$k"
  log "redis-cli --pipe of $n distinct SET key:<i> <100 B> (redis on port $REDIS_PORT)"
  rcpu0=$(cpu_seconds "$REDIS_PID")
  t0=$(date +%s.%N)
  awk -v n="$n" 'BEGIN { v = sprintf("%0100d", 0); for (i = 0; i < n; i++) { k = "key:" i;
      printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$100\r\n%s\r\n", length(k), k, v } }' \
    | redis-cli -p "$REDIS_PORT" --pipe >"$OUT/redis-pipe-$k.txt" 2>&1 || die "redis-cli --pipe failed: $(tail -3 "$OUT/redis-pipe-$k.txt")"
  t1=$(date +%s.%N)
  keys=$(redis-cli -p "$REDIS_PORT" DBSIZE)
  [[ "$keys" == "$n" ]] || die "redis-cli --pipe left $keys keys, not $n"
  PIPE_RATE[$k]=$(awk -v a="$t0" -v b="$t1" -v n="$n" 'BEGIN { printf "%d", n / (b - a) }')
  rcpu=$(awk -v a="$rcpu0" -v b="$(cpu_seconds "$REDIS_PID")" -v n="$n" 'BEGIN { printf "%.1f s (%.2f µs/SET)", b - a, (b - a) * 1e6 / n }')
  stop_pid "$REDIS_PID"
  say "redis-cli --pipe of $(human "$n") distinct SET key:<i> <100 B>: ${PIPE_RATE[$k]} SET/s; redis-server CPU $rcpu; load $(load)"
done

# ---- 3. a Dragonfly replica ---------------------------------------------------------------------
if [[ -n "${DF2REDIS_DRAGONFLY_BIN:-}" ]]; then
  for k in $KEYS_LIST; do
    n=$(count "$k")
    "$HERE/dragonfly-replica.sh" "$n" "$FLOWS" "$OUT/dragonfly-$k" | tee -a "$SUMMARY"
  done
else
  say "Dragonfly replica syncing the same data: NOT MEASURED here (no DF2REDIS_DRAGONFLY_BIN, no Docker); the issue's reference is ≈ 580 k keys/s on this kind of machine"
fi

# ---- 4. the job, --mode snapshot ----------------------------------------------------------------
# run_snapshot KEYS NAME [extra JVM options…]: one snapshot run; sets JOB_RATE (keys/s, whole job).
run_snapshot() {
  local k=$1 name=$2; shift 2
  local n dir stats mport jpid t0 t1 rc secs
  n=$(count "$k")
  dir="$OUT/$name"
  mkdir -p "$dir"
  stats="$dir/master.stats"
  local target_pids target_ports target_desc
  if (( CLUSTER > 0 )); then
    start_cluster "$dir" "$CLUSTER"
    target_pids=("${CLUSTER_PIDS[@]}"); target_ports=("${CLUSTER_PORTS[@]}"); target_desc="a $CLUSTER-primary cluster"
  else
    start_redis "$dir"
    target_pids=("$REDIS_PID"); target_ports=("$REDIS_PORT"); target_desc="one redis-server"
  fi
  start_bg "$dir/master.log" java -Xmx1g -Dorg.apache.logging.log4j.level=INFO -cp "$CP" \
    io.df2redis.testing.benchmaster.BenchMaster serve --keys "$n" --flows "$FLOWS" --compression "$COMPRESSION" --stats "$stats" $MASTER_ARGS
  local mpid=$BG_PID
  wait_stat "$stats" port 30 || die "benchmark master did not start: $(tail -5 "$dir/master.log")"
  mport=$(stat_of "$stats" port)
  local redis_cpu0 master_cpu0
  redis_cpu0=$(cpu_sum "${target_pids[@]}"); master_cpu0=$(cpu_seconds "$mpid")
  log "job --mode snapshot, $(human "$n") keys: master :$mport → $target_desc :$REDIS_PORT (load $(load))"
  echo "load average before: $(load)" >"$dir/load.txt"
  local mj0 mj1
  mj0=$(machine_jiffies)
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  start_bg "$dir/job.log" java "${JOB_BASE_OPTS[@]}" -Xlog:gc:file="$dir/gc.log":uptime $JOB_JVM_OPTS "$@" -jar "$LOCAL_JAR" \
    --source.url "redis://127.0.0.1:$mport" --target.url "redis://127.0.0.1:$REDIS_PORT" \
    --mode snapshot --source.flows "$FLOWS" --full-sync.target-policy flush --state.dir "$dir/state" $JOB_ARGS
  jpid=$BG_PID
  sample_cpu "$jpid" "$dir/job.cpu"
  [[ -n "${LIVE_HEAP_EVERY:-}" ]] && sample_live_heap "$jpid" "$dir/live-heap.txt" "$LIVE_HEAP_EVERY"
  set +e; wait "$jpid"; rc=$?; set -e
  t1=$(date +%s%N)
  mj1=$(machine_jiffies)
  echo "load average after: $(load)" >>"$dir/load.txt"
  [[ $rc -eq 0 ]] || die "the job exited with $rc: $(tail -20 "$dir/job.log")"
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
  JOB_RATE=$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%d", n / s }')
  local job_cpu redis_cpu master_cpu sync_ms end_ms sync_secs sync_rate
  sleep 0.6 # the CPU sampler's last reading
  job_cpu=$(cat "$dir/job.cpu" 2>/dev/null || echo "?")
  redis_cpu=$(awk -v a="$redis_cpu0" -v b="$(cpu_sum "${target_pids[@]}")" 'BEGIN { printf "%.1f", b - a }')
  master_cpu=$(awk -v a="$master_cpu0" -v b="$(cpu_seconds "$mpid")" 'BEGIN { printf "%.1f", b - a }')
  sync_ms=$(stat_of "$stats" sync_ms); end_ms=$(stat_of "$stats" session_end_ms)
  sync_secs=$(awk -v a="$sync_ms" -v b="$end_ms" 'BEGIN { if (a && b) printf "%.2f", (b - a) / 1000; else print "?" }')
  sync_rate=$(awk -v n="$n" -v s="$sync_secs" 'BEGIN { if (s + 0 > 0) printf "%d", n / s; else print "?" }')
  benchmaster verify --target "$(printf '127.0.0.1:%s,' "${target_ports[@]}" | sed 's/,$//')" --keys "$n" --samples 2000 \
    >"$dir/verify.txt" 2>&1 || true
  local verify p
  verify=$(grep -m1 '^verify:' "$dir/verify.txt" | sed 's/^verify: //')
  for p in "${target_ports[@]}"; do redis-cli -p "$p" info memory | tr -d '\r' | grep -E '^used_memory_human'; done >"$dir/redis-memory.txt" || true
  local cpr
  cpr=$(commands_per_read "${target_ports[@]}")
  stop_pid "$mpid"
  for p in "${target_pids[@]}"; do stop_pid "$p"; done
  kill "$CPU_SAMPLER_PID" 2>/dev/null || true
  {
    echo "job --mode snapshot $(human "$n") keys × 100 B, $FLOWS flows into $target_desc ($name): whole job $secs s (JVM start → exit) = $JOB_RATE keys/s;" \
      "DFLY SYNC → session end $sync_secs s = $sync_rate keys/s; verify $verify"
    echo "  CPU s during the run: job $job_cpu ($(awk -v c="$job_cpu" -v n="$n" 'BEGIN { printf "%.2f", c * 1e6 / n }') µs/key), benchmark master $master_cpu, redis-server$( (( CLUSTER > 0 )) && echo " ×$CLUSTER") $redis_cpu ($(awk -v c="$redis_cpu" -v n="$n" 'BEGIN { printf "%.1f", c * 1e6 / n }') µs/key, $cpr commands per read) (wall $secs s × $(nproc) cores, machine $(machine_busy "$mj0" "$mj1") % busy counting every process); $(tr '\n' ' ' <"$dir/load.txt")"
    read -r ju js jminflt jmajflt <"$dir/job.cpu.detail" || true
    echo "  job CPU split: user $ju s, kernel $js s ($(awk -v c="$js" -v n="$n" 'BEGIN { printf "%.2f", c * 1e6 / n }') µs/key); page faults $jminflt minor ($(awk -v f="$jminflt" -v n="$n" 'BEGIN { printf "%.3f", f / n }') per key), $jmajflt major"
    echo "  job CPU by thread group (names cut to 15 characters by the kernel; each thread's last reading, ≤ 0.5 s before it ended): $(thread_cpu_summary "$dir/job.cpu.threads")"
    echo "  job heap ($([[ $JOB_HEAP == default ]] && echo "the JVM's default -Xmx" || echo "-Xmx$JOB_HEAP"), GC log): $(gc_summary "$dir/gc.log")"
    if [[ -s "$dir/live-heap.txt" ]]; then
      echo "  live heap (after a full GC forced by jcmd GC.class_histogram every ${LIVE_HEAP_EVERY} s; elapsed s:MB): $(awk '{printf "%s%d:%d", (NR > 1 ? ", " : ""), $1, $2}' "$dir/live-heap.txt")"
    fi
  } | tee -a "$SUMMARY"
  [[ "$verify" == OK* ]] || die "the target is not the generator's dataset: $(cat "$dir/verify.txt")"
}

for k in $KEYS_LIST; do
  run_snapshot "$k" "snapshot-$k"
  ratio=$(awk -v a="$JOB_RATE" -v b="${BENCH_RATE[$k]}" 'BEGIN { printf "%.2f", a / b }')
  pratio=$(awk -v a="$JOB_RATE" -v b="${PIPE_RATE[$k]}" 'BEGIN { printf "%.2f", a / b }')
  if (( CLUSTER > 0 )); then
    say "  → $(human "$(count "$k")") into a $CLUSTER-primary cluster: job $JOB_RATE keys/s; the job's CPU projects to" \
      "$(awk -v c="$(cat "$OUT/snapshot-$k/job.cpu")" -v n="$(count "$k")" 'BEGIN { printf "%d", n / c }') keys/s per core of its own" \
      "(the anchors above are one redis-server)"
  fi
  say "  → $(human "$(count "$k")"): job $JOB_RATE keys/s = $ratio × redis-benchmark (${BENCH_RATE[$k]} SET/s) = $pratio × redis-cli --pipe (${PIPE_RATE[$k]} SET/s); aim ≥ 0.80 × --pipe for 10M"
  LAST_K=$k
  LAST_RATIO=$ratio
done

# phase_cpu SERIES START_MS END_MS WARMUP_S RATE: the job's CPU per journal command between the end of
# the warm-up and the end of a phase (SERIES: "epoch_ms cpu_s" lines), from the samples nearest both ends.
phase_cpu() {
  awk -v a="$(( $2 + $4 * 1000 ))" -v b="$3" -v r="$5" '
    $1 <= a { ca = $2 } $1 <= b { cb = $2 }
    END { if (ca == "" || cb == "" || r + 0 <= 0 || b <= a) { print "?"; exit }
          printf "%.2f s over %.0f s = %.1f µs per journal command (%.0f %% of a core)", cb - ca, (b - a) / 1000,
                 (cb - ca) * 1e6 / (r * (b - a) / 1000), 100 * (cb - ca) / ((b - a) / 1000) }' "$1"
}

# ---- 5. replication lag at a sustained write rate -----------------------------------------------
if [[ $DO_LAG -eq 1 ]]; then
  n=$(count "$LAG_KEYS")
  dir="$OUT/lag"
  mkdir -p "$dir"
  stats="$dir/master.stats"
  start_redis "$dir"
  start_bg "$dir/master.log" java -Xmx1g -Dorg.apache.logging.log4j.level=INFO -cp "$CP" \
    io.df2redis.testing.benchmaster.BenchMaster serve --keys "$n" --flows "$FLOWS" --compression "$COMPRESSION" \
    --phases "$LAG_PHASES" --stable-delay 5 --lag-warmup "$LAG_WARMUP" --sample-ms 100 --stats "$stats" \
    --probe-target "127.0.0.1:$REDIS_PORT" $MASTER_ARGS
  mpid=$BG_PID
  wait_stat "$stats" port 30 || die "benchmark master did not start: $(tail -5 "$dir/master.log")"
  mport=$(stat_of "$stats" port)
  log "job --mode replicate, $(human "$n") keys then stable writes $LAG_PHASES (load $(load))"
  echo "load average before: $(load)" >"$dir/load.txt"
  # shellcheck disable=SC2086
  start_bg "$dir/job.log" java "${JOB_BASE_OPTS[@]}" -Xlog:gc:file="$dir/gc.log":uptime $JOB_JVM_OPTS -jar "$LOCAL_JAR" \
    --source.url "redis://127.0.0.1:$mport" --target.url "redis://127.0.0.1:$REDIS_PORT" \
    --source.flows "$FLOWS" --full-sync.target-policy flush --state.dir "$dir/state" $JOB_ARGS
  jpid=$BG_PID
  sample_cpu "$jpid" "$dir/job.cpu"
  # The job's CPU seconds over time ("epoch_ms cpu_s"), for its CPU per journal command in each phase.
  ( while kill -0 "$jpid" 2>/dev/null; do echo "$(date +%s%3N) $(cpu_seconds "$jpid")"; sleep 0.5; done ) >"$dir/job.cpu.series" &
  BENCH_PIDS+=("$!")
  total=$(awk -v p="$LAG_PHASES" 'BEGIN { n = split(p, a, ","); s = 0; for (i = 1; i <= n; i++) { split(a[i], b, ":"); s += b[2] } print int(s) }')
  wait_stat "$stats" done $((total + 600)) || { kill -0 "$jpid" 2>/dev/null || die "the job exited: $(tail -20 "$dir/job.log")"; die "stable writes did not finish: $(cat "$stats")"; }
  echo "load average after: $(load)" >>"$dir/load.txt"
  writes=$(stat_of "$stats" writes_total)
  benchmaster verify --target "127.0.0.1:$REDIS_PORT" --keys "$n" --writes "$writes" --samples 2000 >"$dir/verify.txt" 2>&1 || true
  verify=$(grep -m1 '^verify:' "$dir/verify.txt" | sed 's/^verify: //')
  # The local jar configures no checkpointing of its own: the job's default interval applies.
  interval=$(grep -oE 'DEFAULT_CHECKPOINT_INTERVAL_MS = [0-9_]+' "$ROOT/src/main/java/io/df2redis/flink/job/Df2RedisJob.java" \
    | grep -oE '[0-9_]+$' | tr -d _ || true)
  stop_pid "$jpid"
  stop_pid "$mpid"
  stop_pid "$REDIS_PID"
  i=1
  IFS=',' read -ra phases <<<"$LAG_PHASES"
  for p in "${phases[@]}"; do
    say "replication lag at $(stat_of "$stats" "phase.$i.rate") SET/s (achieved $(stat_of "$stats" "phase.$i.achieved_rate")/s, ${p#*:} s, first $LAG_WARMUP s left out, $(stat_of "$stats" "phase.$i.samples") samples every 100 ms):" \
      "median $(stat_of "$stats" "phase.$i.lag_median") entries (≈ $(stat_of "$stats" "phase.$i.lag_median_ms") ms of writes), max $(stat_of "$stats" "phase.$i.lag_max") (≈ $(stat_of "$stats" "phase.$i.lag_max_ms") ms);" \
      "writes not yet visible in Redis: median ≈ $(stat_of "$stats" "phase.$i.visible_lag_median_ms") ms, p99 ≈ $(stat_of "$stats" "phase.$i.visible_lag_p99_ms") ms, max ≈ $(stat_of "$stats" "phase.$i.visible_lag_max_ms") ms;" \
      "job CPU $(phase_cpu "$dir/job.cpu.series" "$(stat_of "$stats" "phase.$i.start_ms")" "$(stat_of "$stats" "phase.$i.end_ms")" "$LAG_WARMUP" "$(stat_of "$stats" "phase.$i.achieved_rate")")"
    i=$((i + 1))
  done
  say "  lag = Σ over $FLOWS flows (DFLY REPLICAOFFSET − last REPLCONF ACK); job checkpoint interval ${interval:-?} ms (Df2RedisJob default); all writes ACKed $(stat_of "$stats" catchup_ms) ms after the last one; verify after $writes writes: $verify; $(tr '\n' ' ' <"$dir/load.txt")"
  say "  job heap during the lag run: $(gc_summary "$dir/gc.log")"
  say "  job CPU by thread group over the whole lag run (snapshot, phases, catch-up): $(thread_cpu_summary "$dir/job.cpu.threads")"
fi

# ---- 6. where the time goes -------------------------------------------------------------------
missed=$(awk -v r="${LAST_RATIO:-1}" 'BEGIN { print (r < 0.8) ? 1 : 0 }')
if [[ $PROFILE == yes ]] || [[ $PROFILE == auto && $missed == 1 ]]; then
  log "profiling the $(human "$(count "$LAST_K")") snapshot under JFR"
  LIVE_HEAP_EVERY=10 run_snapshot "$LAST_K" "profile-$LAST_K" -XX:StartFlightRecording=filename="$OUT/profile-$LAST_K/job.jfr",settings=profile
  java -cp "$CP" io.df2redis.testing.benchmaster.JfrProfile "$OUT/profile-$LAST_K/job.jfr" 25 >"$OUT/profile-$LAST_K/profile.txt"
  say "profile of the job (JFR execution samples, $OUT/profile-$LAST_K/profile.txt):"
  sed -n '/^by stage/,/^$/p' "$OUT/profile-$LAST_K/profile.txt" | tee -a "$SUMMARY"
  grep -E '^(GC|CPU)' "$OUT/profile-$LAST_K/profile.txt" | tee -a "$SUMMARY"
  java -cp "$CP" io.df2redis.testing.benchmaster.JfrProfile "$OUT/profile-$LAST_K/job.jfr" 25 'Writer (' \
    >"$OUT/profile-$LAST_K/profile-sink-threads.txt"
  say "the sink's task threads alone ($(head -1 "$OUT/profile-$LAST_K/profile-sink-threads.txt" | cut -d' ' -f2) samples):"
  sed -n '/^by stage/,/^$/p; /^hottest df2redis/,/^$/p' "$OUT/profile-$LAST_K/profile-sink-threads.txt" | head -24 | tee -a "$SUMMARY"
fi

say "load average at the end (1/5/15 min): $(load)"
log "figures in $SUMMARY"
