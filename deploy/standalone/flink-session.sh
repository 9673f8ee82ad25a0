#!/usr/bin/env bash
# A real Flink standalone session cluster (one JobManager and one TaskManager process) built from
# Maven artifacts only, for trying df2redis on a cluster and for the savepoint test.
#
#   flink-session.sh start DIR [REST_PORT] [SLOTS]   start JM + TM, wait until the slots are up
#   flink-session.sh cli DIR ARGS...                 the `flink` CLI (run -d JAR …, stop --savepointPath …, cancel …)
#   flink-session.sh stop DIR                        stop both processes (by PID)
#
# DIR holds conf/, log/, pids and the checkpoint/savepoint directories.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cmd=${1:?usage: flink-session.sh start|cli|stop DIR ...}
dir=${2:?usage: flink-session.sh start|cli|stop DIR ...}
shift 2
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

JAVA=${JAVA:-java}
JDK17_OPTS="--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED \
--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED \
--add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"

classpath() {
  if [ ! -s "$dir/classpath.txt" ]; then
    mvn -q -B -ntp -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$dir/classpath.txt" >&2
  fi
  cat "$dir/classpath.txt"
}

write_conf() {
  local rest_port=$1 slots=$2
  mkdir -p "$dir/conf" "$dir/log" "$dir/checkpoints" "$dir/savepoints" "$dir/tmp"
  cat > "$dir/conf/config.yaml" <<YAML
jobmanager:
  rpc:
    address: localhost
    port: @RPC_PORT@
  bind-host: localhost
  memory:
    process:
      size: 1024m
taskmanager:
  host: localhost
  bind-host: localhost
  numberOfTaskSlots: ${slots}
  memory:
    process:
      size: 1728m
rest:
  port: ${rest_port}
  address: localhost
  bind-address: localhost
blob:
  server:
    port: 0
io:
  tmp:
    dirs: ${dir}/tmp
execution:
  checkpointing:
    interval: 2s
    mode: EXACTLY_ONCE
    dir: file://${dir}/checkpoints
    savepoint-dir: file://${dir}/savepoints
restart-strategy:
  type: fixed-delay
  fixed-delay:
    attempts: 10
    delay: 1s
state:
  backend:
    type: hashmap
YAML
  cat > "$dir/conf/log4j.properties" <<'LOG'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
appender.main.name = MainAppender
appender.main.type = File
appender.main.append = true
appender.main.fileName = ${sys:log.file}
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
logger.netty.name = org.apache.flink.shaded.netty4
logger.netty.level = WARN
LOG
  cp "$dir/conf/log4j.properties" "$dir/conf/log4j-cli.properties"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

resource_params() {
  # The JVM flags Flink's scripts would compute: -Xmx… and dynamic -D properties.
  local what=$1 cp=$2
  "$JAVA" -cp "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils "$what" --configDir "$dir/conf" 2>/dev/null \
    | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}

start_process() {
  local name=$1 main=$2 cp=$3 jvm=$4 dyn=$5
  # shellcheck disable=SC2086
  nohup "$JAVA" $jvm $JDK17_OPTS -Dlog.file="$dir/log/$name.log" -Dlog4j.configurationFile="file:$dir/conf/log4j.properties" \
    -cp "$cp" "$main" --configDir "$dir/conf" $dyn > "$dir/log/$name.out" 2>&1 &
  echo $! > "$dir/$name.pid"
}

stop_all() {
  for name in taskmanager jobmanager; do
    if [ -f "$dir/$name.pid" ]; then
      pid=$(cat "$dir/$name.pid")
      if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$pid" 2>/dev/null || true
      fi
      rm -f "$dir/$name.pid"
    fi
  done
}

case "$cmd" in
  start)
    rest_port=${1:-$(free_port)}
    slots=${2:-4}
    stop_all
    write_conf "$rest_port" "$slots"
    # The JM's RPC port is written into the file so that the TM and the CLI find it.
    rpc_port=$(free_port)
    sed -i "s/@RPC_PORT@/${rpc_port}/" "$dir/conf/config.yaml"
    cp_all=$(classpath)
    mapfile -t jm < <(resource_params GET_JM_RESOURCE_PARAMS "$cp_all")
    start_process jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint "$cp_all" "${jm[0]:-}" "${jm[1]:-}"
    mapfile -t tm < <(resource_params GET_TM_RESOURCE_PARAMS "$cp_all")
    start_process taskmanager org.apache.flink.runtime.taskexecutor.TaskManagerRunner "$cp_all" "${tm[0]:-}" "${tm[1]:-}"
    echo "$rest_port" > "$dir/rest.port"
    for _ in $(seq 1 120); do
      if curl -fs "http://localhost:$rest_port/taskmanagers" 2>/dev/null | grep -q '"slotsNumber":[1-9]'; then
        echo "flink session cluster up: http://localhost:$rest_port (pids $(cat "$dir/jobmanager.pid") $(cat "$dir/taskmanager.pid"))"
        exit 0
      fi
      for name in jobmanager taskmanager; do
        if ! kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null; then
          echo "$name died; see $dir/log/$name.log and $name.out" >&2
          tail -20 "$dir/log/$name.out" >&2 || true
          stop_all
          exit 1
        fi
      done
      sleep 1
    done
    echo "flink session cluster did not come up in 120 s; see $dir/log" >&2
    stop_all
    exit 1
    ;;
  cli)
    cp_all=$(classpath)
    # shellcheck disable=SC2086
    FLINK_CONF_DIR="$dir/conf" "$JAVA" $JDK17_OPTS -Dlog.file="$dir/log/cli.log" \
      -Dlog4j.configurationFile="file:$dir/conf/log4j-cli.properties" \
      -cp "$cp_all" org.apache.flink.client.cli.CliFrontend "$@"
    ;;
  stop)
    stop_all
    ;;
  *)
    echo "unknown command $cmd" >&2
    exit 2
    ;;
esac
