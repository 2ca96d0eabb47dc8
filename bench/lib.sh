# Shared by the bench/ scripts (sourced, not run): the packaged demo (the app with the sample source; README "Modules"),
# the sandbox's own runnable jar, fresh ports, a free-port helper, the QBO sandbox
# as its own process, JVM stop and CPU helpers, and H2's Shell on a stopped app's or sandbox's database file.

JAR=src/qbo-sync-demo/target/qbo-sync-demo-0.1.0-SNAPSHOT.jar
SANDBOX_JAR=src/qbo-sandbox/target/qbo-sandbox-0.1.0-SNAPSHOT-exec.jar

# Packages every module when a jar is missing or older than the source files it is built from (files only: `package`
# touches module directories, which would otherwise always look newer).
ensure_jar() {
  if [ ! -f "$JAR" ] || [ ! -f "$SANDBOX_JAR" ] || [ -n "$(find src routes pom.xml -path '*/target' -prune -o -type f -newer "$JAR" -print -quit)" ]; then
    echo "building $JAR and $SANDBOX_JAR ..." >&2
    # Removed first: a module whose own classes did not change keeps its old jar, and Spring Boot's repackage then
    # skips it as already repackaged, so a change in a module it depends on would never reach the jar.
    rm -f "$JAR" "$SANDBOX_JAR"
    mvn -q -B -DskipTests package >&2
  fi
}

# A TCP port nothing listens on right now (loopback only).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# start_sandbox PORT DIR LOG [OPTION...]: the QBO sandbox as its own JVM (README, "Standalone sandbox") on 127.0.0.1:PORT
# with its H2 database in DIR, output appended to LOG, further sandbox options (e.g. --threads=256) passed on.
# Sets SANDBOX_PID; returns once its admin API answers.
# The app is then started with --qbo.sandbox.enabled=false --qbo.sandbox.external-url=http://127.0.0.1:PORT.
# Logging: INFO, plus the DEBUG line the sandbox writes for each answer its fault injection drops (after the commit).
start_sandbox() {
  local port=$1 dir=$2 log=$3
  local logback="${log%.log}-logback.xml"
  cat >"$logback" <<'XML'
<configuration>
  <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{HH:mm:ss.SSS} [%thread] %-5level %logger{36} -- %msg%n</pattern></encoder>
  </appender>
  <logger name="io.qbosync.sandbox.SandboxHttpHandler" level="DEBUG"/>
  <root level="INFO"><appender-ref ref="out"/></root>
</configuration>
XML
  java -Dlogback.configurationFile="$logback" -jar "$SANDBOX_JAR" \
    --port="$port" --data-dir="$dir" "${@:4}" >>"$log" 2>&1 &
  SANDBOX_PID=$!
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$port/sandbox/health" >/dev/null && return 0
    kill -0 "$SANDBOX_PID" 2>/dev/null || { echo "the sandbox died; see $log:" >&2; tail -20 "$log" >&2; return 1; }
    sleep 0.2
  done
  echo "the sandbox did not answer on port $port; see $log" >&2
  return 1
}

# stop_jvm PID [SECONDS]: SIGTERM (shutdown hooks close the databases cleanly), SIGKILL if still alive after SECONDS
# (default 60). Only for a child of this shell.
stop_jvm() {
  local pid=$1 secs=${2:-60}
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 $((secs * 5))); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.2
  done
  echo "pid $pid still alive ${secs}s after SIGTERM: SIGKILL" >&2
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# cpu_ticks PID: user + system CPU time of a process so far, in clock ticks (getconf CLK_TCK per second).
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }

# extract_h2 DEST: copies the H2 driver bundled in the boot jar (BOOT-INF/lib/h2-*.jar) to DEST, so that the
# databases can be read on any machine that ran `mvn package`, with exactly the H2 version that wrote them.
extract_h2() {
  python3 - "$JAR" "$1" <<'PY'
import shutil, sys, zipfile
jar, dest = sys.argv[1:3]
with zipfile.ZipFile(jar) as z:
    names = [n for n in z.namelist() if n.startswith("BOOT-INF/lib/h2-") and n.endswith(".jar")]
    if not names:
        sys.exit(f"no BOOT-INF/lib/h2-*.jar in {jar}")
    with z.open(names[0]) as src, open(dest, "wb") as out:
        shutil.copyfileobj(src, out)
PY
}

# h2_sql H2JAR URL USER SQL: runs SQL with H2's Shell on a database no process has open (password empty).
h2_sql() { java -cp "$1" org.h2.tools.Shell -url "$2" -user "$3" -password "" -sql "$4"; }
