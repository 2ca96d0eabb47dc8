# Shared by the bench/ scripts (sourced, not run): the packaged demo (the app with the sample source; README "Modules"),
# the sandbox's and the sample source's own runnable jars, fresh ports, a free-port helper, the QBO sandbox
# as its own process, JVM stop and CPU helpers, H2's Shell on a stopped app's or sandbox's database file, and the
# many-company helpers (chapter mapping, QBO's limits on every company, all companies' counters, store progress).

JAR=src/qbo-sync-demo/target/qbo-sync-demo-0.1.0-SNAPSHOT.jar
SANDBOX_JAR=src/qbo-sandbox/target/qbo-sandbox-0.1.0-SNAPSHOT-exec.jar
SOURCE_JAR=src/sample-source/target/sample-source-0.1.0-SNAPSHOT-exec.jar

# Packages every module when a jar is missing or older than the source files it is built from (files only: `package`
# touches module directories, which would otherwise always look newer).
ensure_jar() {
  if [ ! -f "$JAR" ] || [ ! -f "$SANDBOX_JAR" ] || [ ! -f "$SOURCE_JAR" ] || [ -n "$(find src routes pom.xml -path '*/target' -prune -o -type f -newer "$JAR" -print -quit)" ]; then
    echo "building $JAR and $SANDBOX_JAR ..." >&2
    # Removed first: a module whose own classes did not change keeps its old jar, and Spring Boot's repackage then
    # skips it as already repackaged, so a change in a module it depends on would never reach the jar.
    rm -f "$JAR" "$SANDBOX_JAR" "$SOURCE_JAR"
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

# sleep_until SECONDS: sleeps until SECONDS after $T0 (nanoseconds since the epoch), so that a late wake-up does not
# shift the next interval.
sleep_until() { python3 -c 'import sys,time; d=int(sys.argv[1])/1e9+float(sys.argv[2])-time.time(); time.sleep(max(d,0))' "$T0" "$1"; }

# chapter_mapping N: a mapping file routing the sample's chapter Cnnn to company cnnn, n = 1..N (one sandbox company
# each), on stdout.
chapter_mapping() {
  python3 - "$1" <<'PY'
import sys
n = int(sys.argv[1])
print("# bench: chapter Cnnn -> company cnnn, one sandbox company each")
print("companies:\n  by: chapter\n  routes:")
for i in range(1, n + 1):
    print(f"    C{i:03d}: {{ company: c{i:03d} }}")
PY
}

# realm_counters SANDBOX_URL REALM_IDS_FILE: accepted and throttled of every company, one line each in the file's
# order, all read in one sandbox reply (one request per company under load spread the reads over seconds and skewed
# the window).
realm_counters() {
  curl -sf "$1/sandbox/stats" | python3 -c '
import json, sys
stats = {r["realmId"]: r for r in json.load(sys.stdin)["realms"]}
for realm in open(sys.argv[1]).read().split():
    print(stats[realm]["accepted"], stats[realm]["throttled"])' "$2"
}

# store_progress: reads /api/sync/status on stdin, prints the records that reached an end (SYNCED, SKIPPED, FAILED)
# and those not yet: PENDING, and HELD, which registration sets at once on an invoice whose customer is not in QBO
# yet (counting HELD as done overstated records/s).
store_progress() {
  python3 -c 'import json,sys; d=json.load(sys.stdin); e=sum(v.get(s,0) for v in d.values() for s in ("SYNCED","SKIPPED","FAILED")); t=sum(sum(v.values()) for v in d.values()); print(e, t-e)'
}

# enforce_qbo_limits SANDBOX_URL REALM_IDS_FILE LATENCY_MS: QBO's limits on every listed sandbox company: 500 requests
# in any sliding minute, 10 in flight, LATENCY_MS per call.
enforce_qbo_limits() {
  local realm
  while read -r realm; do
    curl -sf -X PUT -H 'Content-Type: application/json' "$1/sandbox/realms/$realm/faults" \
      -d "{\"enforceLimits\":true,\"requestsPerMinute\":500,\"maxConcurrent\":10,\"latencyMs\":$3}" >/dev/null
  done <"$2"
}

# pg_start: the tests' PostgreSQL server (.ci/start-postgres.sh: installed and started when missing, reused when
# running); sets QBOSYNC_TEST_PG_URL, _USER and _PASSWORD. Each bench run then takes a schema of its own (pg_schema).
pg_start() {
  eval "$(bash .ci/start-postgres.sh | sed -n 's/^\(QBOSYNC_TEST_PG_[A-Z]*\)=\(.*\)$/\1="\2"/p')"
  PSQL=$(command -v psql || ls -d /usr/lib/postgresql/*/bin/psql | sort -V | tail -1)
  PG_HOSTPORT=$(sed -E 's#^jdbc:postgresql://([^/]+)/.*#\1#' <<<"$QBOSYNC_TEST_PG_URL")
  PG_DB=$(sed -E 's#^jdbc:postgresql://[^/]+/([^?]+).*#\1#' <<<"$QBOSYNC_TEST_PG_URL")
}

# pg SQL: runs SQL on that server's database as its user.
pg() { PGPASSWORD="$QBOSYNC_TEST_PG_PASSWORD" "$PSQL" -q -h "${PG_HOSTPORT%:*}" -p "${PG_HOSTPORT#*:}" \
  -U "$QBOSYNC_TEST_PG_USER" -d "$PG_DB" -v ON_ERROR_STOP=1 -c "$1"; }

# pg_app_args SCHEMA: the app's options for a sync store in that schema (words without spaces, for unquoted use).
pg_app_args() {
  local sep='?'; [[ $QBOSYNC_TEST_PG_URL == *\?* ]] && sep='&'
  echo "--spring.datasource.url=$QBOSYNC_TEST_PG_URL${sep}currentSchema=$1" \
    "--spring.datasource.username=$QBOSYNC_TEST_PG_USER" "--spring.datasource.password=$QBOSYNC_TEST_PG_PASSWORD" \
    "--spring.datasource.driver-class-name=org.postgresql.Driver"
}
