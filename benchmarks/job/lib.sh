# Shared helpers of the job benchmark scripts (sourced, not run).
# Every process started here is recorded by PID and stopped by PID on exit, also on failure.

set -euo pipefail

BENCH_PIDS=()

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Stops every recorded process by its PID: SIGTERM, then SIGKILL after 15 s.
stop_all() {
  local pid
  for pid in "${BENCH_PIDS[@]:-}"; do
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${BENCH_PIDS[@]:-}"; do
    [[ -z "$pid" ]] && continue
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { log "pid $pid still alive after SIGTERM: SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; }
  done
  BENCH_PIDS=()
}

# Stops one recorded process by PID and forgets it.
stop_pid() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local keep=() p
  for p in "${BENCH_PIDS[@]:-}"; do [[ "$p" != "$pid" && -n "$p" ]] && keep+=("$p"); done
  BENCH_PIDS=("${keep[@]:-}")
}

trap 'rc=$?; stop_all; exit $rc' EXIT
trap 'exit 130' INT TERM

# A free loopback port (bound and released: good enough for a local benchmark).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_bg LOGFILE CMD...: starts CMD in the background, records its PID in BG_PID.
start_bg() {
  local logfile=$1; shift
  "$@" >"$logfile" 2>&1 &
  BG_PID=$!
  BENCH_PIDS+=("$BG_PID")
}

# start_redis DIR [REDIS-SERVER OPTIONS…]: a Debian redis-server on a free loopback port, no persistence.
# Sets REDIS_PORT, REDIS_PID.
start_redis() {
  local dir=$1; shift
  mkdir -p "$dir"
  REDIS_PORT=$(free_port)
  start_bg "$dir/redis.log" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$dir" --daemonize no "$@"
  REDIS_PID=$BG_PID
  for _ in $(seq 1 100); do
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0
    kill -0 "$REDIS_PID" 2>/dev/null || die "redis-server exited: $(tail -5 "$dir/redis.log")"
    sleep 0.1
  done
  die "redis-server on port $REDIS_PORT did not answer PING"
}

# start_cluster DIR M: M cluster-enabled redis-servers (primaries, no replicas) on free loopback
# ports, the 16384 slots spread evenly by redis-cli --cluster create. Sets CLUSTER_PORTS and
# CLUSTER_PIDS (the nodes), and REDIS_PORT / REDIS_PID to the first node's.
start_cluster() {
  local dir=$1 m=$2 i port
  CLUSTER_PORTS=(); CLUSTER_PIDS=()
  for i in $(seq 1 "$m"); do
    # the default bus port, port + 10000, does not exist above 55535
    start_redis "$dir/node$i" --cluster-enabled yes --cluster-config-file "$dir/node$i/nodes.conf" --cluster-port "$(free_port)"
    CLUSTER_PORTS+=("$REDIS_PORT"); CLUSTER_PIDS+=("$REDIS_PID")
  done
  # shellcheck disable=SC2046
  redis-cli --cluster create $(printf '127.0.0.1:%s ' "${CLUSTER_PORTS[@]}") --cluster-replicas 0 --cluster-yes \
    >"$dir/cluster-create.log" 2>&1 || die "redis-cli --cluster create failed: $(tail -5 "$dir/cluster-create.log")"
  for port in "${CLUSTER_PORTS[@]}"; do
    for i in $(seq 1 100); do
      redis-cli -p "$port" cluster info | grep -q '^cluster_state:ok' && break
      (( i == 100 )) && die "the cluster node on port $port did not reach cluster_state:ok"
      sleep 0.1
    done
  done
  REDIS_PORT=${CLUSTER_PORTS[0]}; REDIS_PID=${CLUSTER_PIDS[0]}
}

# CPU seconds (user + system) a live process has used so far.
cpu_seconds() {
  local pid=$1
  [[ -r /proc/$pid/stat ]] || { echo 0; return; }
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print ($12 + $13) / hz }' "/proc/$pid/stat"
}

# "USER_S SYSTEM_S MINOR_FAULTS MAJOR_FAULTS" of a live process so far (kernel time and page faults).
cpu_detail() {
  local pid=$1
  [[ -r /proc/$pid/stat ]] || { echo "0 0 0 0"; return; }
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f %.2f %d %d\n", $12 / hz, $13 / hz, $8, $10 }' "/proc/$pid/stat"
}

# "busy total" jiffies of the whole machine (/proc/stat), for machine_busy.
machine_jiffies() { awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t }' /proc/stat; }

# machine_busy "BUSY0 TOTAL0" "BUSY1 TOTAL1": percent of all cores busy in between (every process).
machine_busy() {
  awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.0f", 100 * (y[1] - x[1]) / (y[2] - x[2]) }'
}

# Samples a process's CPU seconds every 0.5 s into FILE until it exits (its last line ≈ its total),
# and every thread's CPU ticks into FILE.threads ("tid ticks name" per thread and reading: threads
# that end before the process keep their last reading).
sample_cpu() {
  local pid=$1 file=$2
  ( while kill -0 "$pid" 2>/dev/null; do
      cpu_seconds "$pid" >"$file.tmp" && mv "$file.tmp" "$file"
      cpu_detail "$pid" >"$file.detail.tmp" && mv "$file.detail.tmp" "$file.detail"
      cat /proc/"$pid"/task/*/stat 2>/dev/null \
        | awk '{ n = $0; sub(/^[0-9]+ \(/, "", n); sub(/\) .*$/, "", n); r = $0; sub(/^.*\) /, "", r); split(r, f, " ");
                 print $1, f[12] + f[13], n }' >>"$file.threads" || true
      sleep 0.5
    done ) &
  BENCH_PIDS+=("$!")
  CPU_SAMPLER_PID=$!
}

# CPU seconds per thread group (names without numbers, groups under 0.05 s left out) from
# sample_cpu's FILE.threads, biggest first.
thread_cpu_summary() {
  awk -v hz="$(getconf CLK_TCK)" '{ tid = $1; t = $2; $1 = ""; $2 = ""; n = substr($0, 3); gsub(/[0-9]+/, "n", n)
      if (t >= last[tid]) { last[tid] = t; name[tid] = n } }
    END { for (id in last) { s[name[id]] += last[id]; tot += last[id] }
          for (k in s) if (s[k] >= 5) printf "%.1f\t%s\n", s[k] / hz, k; printf "%.1f\t(all threads)\n", tot / hz }' "$1" \
    | sort -rn | awk -F'\t' '{ printf "%s%s %s s", (NR > 1 ? "; " : ""), $2, $1 } END { print "" }'
}

# Live heap of a JVM every SECONDS until it exits: jcmd GC.class_histogram (it forces a full GC, so
# use it only in runs whose figures are not the headline), one "elapsed_s MB" line each into FILE.
sample_live_heap() {
  local pid=$1 file=$2 every=$3
  ( t0=$(date +%s); while kill -0 "$pid" 2>/dev/null; do
      sleep "$every"
      b=$(timeout 60 jcmd "$pid" GC.class_histogram 2>/dev/null | awk '/^Total/ {print $3}')
      [[ -n "$b" ]] && echo "$(( $(date +%s) - t0 )) $(( b / 1048576 ))" >>"$file"
    done ) &
  BENCH_PIDS+=("$!")
}

# stat_of FILE KEY: a value of the benchmark master's key=value stats file.
stat_of() { grep -m1 "^$2=" "$1" 2>/dev/null | cut -d= -f2- || true; }

# wait_stat FILE KEY SECONDS: waits until the stats file has KEY.
wait_stat() {
  local file=$1 key=$2 secs=$3 i
  for i in $(seq 1 $((secs * 10))); do
    [[ -n "$(stat_of "$file" "$key")" ]] && return 0
    sleep 0.1
  done
  return 1
}

# Heap figures of a JVM GC log (-Xlog:gc:file=…:uptime): collections, peak before GC, max and
# per-tenth after-GC heap (MB), committed heap at the end.
gc_summary() {
  local file=$1
  awk '
    /GC\([0-9]+\) Pause/ && /->/ {
      t = $1; gsub(/[\[\]s]/, "", t)
      for (i = 1; i <= NF; i++) if ($i ~ /->/) { split($i, a, /->|\(|\)/); break }
      b = a[1]; aft = a[2]; c = a[3]
      gsub(/M/, "", b); gsub(/M/, "", aft); gsub(/M/, "", c)
      n++; T[n] = t + 0; A[n] = aft + 0
      if (b + 0 > peak) peak = b + 0
      if (aft + 0 > maxa) maxa = aft + 0
      commit = c + 0
      if ($0 ~ /Pause Full/) full++
      ms = $NF; if (ms ~ /ms$/) { sub(/ms$/, "", ms); pause += ms; if (ms + 0 > longest) longest = ms + 0 }
    }
    END {
      if (n == 0) { print "no GC in the log"; exit }
      tenths = ""
      for (k = 1; k <= 10; k++) {
        lim = T[n] * k / 10; best = "-"
        for (i = 1; i <= n; i++) if (T[i] <= lim) best = A[i]
        tenths = tenths " " best
      }
      printf "%d GCs (%d full, pauses %.1f s in total, longest %d ms), peak before GC %d MB, after-GC max %d MB, last %d MB, committed %d MB; after-GC heap by tenth of the run (MB):%s\n", n, full, pause / 1000, longest, peak, maxa, A[n], commit, tenths
    }' "$file"
}

# Builds the jars and the test classpath (the benchmark master is test code). Sets CP, LOCAL_JAR.
build_all() {
  local root=$1
  log "building (mvn -o package -DskipTests, test classpath)"
  ( cd "$root" && mvn -q -B -ntp -o -DskipTests package \
      && mvn -q -B -ntp -o dependency:build-classpath -Dmdep.outputFile=target/bench-test-cp.txt -Dmdep.includeScope=test ) \
    >"$OUT/build.log" 2>&1 || die "build failed: see $OUT/build.log"
  CP="$root/target/classes:$root/target/test-classes:$(cat "$root/target/bench-test-cp.txt")"
  LOCAL_JAR="$root/target/df2redis-local.jar"
  [[ -f "$LOCAL_JAR" ]] || die "no $LOCAL_JAR: the Flink job (io.df2redis.flink.job.Df2RedisJob) is not on this branch yet"
}

benchmaster() { java -Xmx1g -Dorg.apache.logging.log4j.level=INFO -cp "$CP" io.df2redis.testing.benchmaster.BenchMaster "$@"; }
