#!/usr/bin/env bash
# A real Dragonfly replica syncing N keys × 100 B (DEBUG POPULATE) from a real Dragonfly master with
# FLOWS threads, both on free loopback ports: prints one line with the time from REPLICAOF to the
# end of the full sync (INFO replication: link up, no sync in progress) and keys/s.
# Needs DF2REDIS_DRAGONFLY_BIN. Usage: dragonfly-replica.sh N FLOWS DIR
# UNTESTED on the machine where the figures in benchmarks/README.md were taken (no Dragonfly there).
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/lib.sh"
n=$1 flows=$2 dir=$3
bin=${DF2REDIS_DRAGONFLY_BIN:?set DF2REDIS_DRAGONFLY_BIN to a dragonfly binary}
mkdir -p "$dir"
df() { # df NAME PORT: a dragonfly on a loopback port
  start_bg "$dir/$1.log" "$bin" --port "$2" --bind 127.0.0.1 --proactor_threads "$flows" --dbfilename= \
    --version_check=false --logtostderr --dir "$dir"
}
mport=$(free_port); df master "$mport"; mpid=$BG_PID
rport=$(free_port); df replica "$rport"; rpid=$BG_PID
for p in "$mport" "$rport"; do
  for _ in $(seq 1 100); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done
done
redis-cli -p "$mport" DEBUG POPULATE "$n" key 100 >/dev/null
[[ $(redis-cli -p "$mport" DBSIZE) -eq $n ]] || die "DEBUG POPULATE gave $(redis-cli -p "$mport" DBSIZE) keys, not $n"
t0=$(date +%s%N)
redis-cli -p "$rport" REPLICAOF 127.0.0.1 "$mport" >/dev/null
while true; do
  info=$(redis-cli -p "$rport" INFO replication | tr -d '\r')
  if grep -q '^master_link_status:up' <<<"$info" && grep -q '^master_sync_in_progress:0' <<<"$info"; then break; fi
  kill -0 "$rpid" 2>/dev/null || die "the replica exited: $(tail -5 "$dir/replica.log")"
  sleep 0.05
done
t1=$(date +%s%N)
keys=$(redis-cli -p "$rport" DBSIZE)
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
echo "Dragonfly replica ($(basename "$bin"), $flows threads) syncing $n keys × 100 B: $secs s = $(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%d", n / s }') keys/s (replica DBSIZE $keys)"
stop_all
