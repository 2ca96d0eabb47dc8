#!/usr/bin/env bash
# Throughput benchmark: syncs N generated source records (default 10,000) from the bundled sample source into
# the bundled QBO sandbox through the real pipeline (Quartz poll -> store -> Artemis -> qbo: -> sandbox), all on
# this machine, and prints figures. The app runs from the packaged jar in a fresh data directory; the sandbox runs as
# its own process (started first, on $DATA/sandbox; the app gets --qbo.sandbox.enabled=false and
# --qbo.sandbox.external-url), so that each one's CPU is measured apart. The sample source stays in the app's JVM.
#
#   bench/run.sh [--records N] [--consumers C] [--postgres] [--jfr FILE]
#   bench/run.sh --qbo-limits [--minutes M] [--records N] [--consumers C] [--margin F]
#   bench/run.sh --realms N [--invoices I] [--minutes M] [--consumers C] [--latency-ms L]   (bench/realms.sh)
#   bench/run.sh --nodes K [--realms R] [--invoices I] [--minutes M] [--consumers C] [--latency-ms L]   (bench/nodes.sh)
#
# Default mode: QBO's per-company limit (500 requests/min) is lifted: the sandbox does not enforce it unless asked,
# and this measures what one node can push (the headroom that lets it serve many companies).
# Baseline measured in the same run: the same number of QBO writes sent straight to the sandbox by one client
# with no queue, store or matching (bench/BaselineWriter), so the ratio shows what the pipeline costs.
# --postgres: the sync store in PostgreSQL (the tests' server from .ci/start-postgres.sh, a new schema dropped after
# the run) instead of the embedded H2 file, to compare the engine's CPU on the two stores.
# --jfr FILE: the app's JVM records a JFR profile (settings "profile", stacks 256 frames deep: Camel's are deeper than the default 64) into FILE; read it with
# `jfr print --events jdk.ExecutionSample FILE` or JDK Mission Control. The figures then include the recorder's cost.
# Last line: records=… seconds=… records_per_s=… cpu_ms_per_record=… baseline_writes_per_s=… pipeline_vs_baseline=…
#            engine_cpu_ms_per_record=… sandbox_cpu_ms_per_record=… qbo_requests_per_record=…
# cpu_ms_per_record is both JVMs together (user + system CPU from /proc/<pid>/stat over the measured interval), as when
# the sandbox ran inside the app; engine_… is the app's JVM (pipeline and sample source), sandbox_… the sandbox's.
# qbo_requests_per_record: the QBO API calls the sandbox admitted for the app's company (GET /sandbox/realms/{id}/stats)
# during the sync, per source record.
#
# --qbo-limits: how close one node gets to QBO's ceiling for one company. Through its admin API, before the first
# poll, the sandbox is told to enforce the real limits on the app's company: 500 requests in any sliding minute,
# 10 in flight, 150 ms per call. The governor keeps its real limit of 500/min. After a 60 s warm-up from the first
# poll, the script counts the requests the sandbox accepted during M whole minutes (default 3), read from
# GET /sandbox/realms/{id}/stats. It prints ceiling_fraction = accepted / (500 × M) and throttled = the 429s the
# sandbox returned over the whole run. The run stops after the interval and does not wait for all records
# (default 3,000, or 600 per minute for M > 4: more than M+1 minutes of requests). saturated=yes when records were still pending at the end,
# i.e. the pipeline never ran out of work.
# The governor runs on its defaults (margin 0.99: at most 495 requests counted per sliding minute). It counts a
# request from its permit until a minute after its answer, the sandbox when it arrives, in between: the governor's
# minute always holds at least what the sandbox's does, so it sets the pace without a 429. --margin F overrides the
# margin for experiments.
# Last line: realm=… minutes=… requests=… ceiling_fraction=… throttled=… saturated=…
set -euo pipefail
cd "$(dirname "$0")/.."
# Many companies on one node: its own script, same conventions.
if [ "${1:-}" = --realms ]; then exec bash bench/realms.sh "$@"; fi
# Several nodes on one database and one broker: its own script too.
if [ "${1:-}" = --nodes ]; then exec bash bench/nodes.sh "$@"; fi
. bench/lib.sh

RECORDS=""
CONSUMERS=4
QBO_LIMITS=no
MINUTES=3
MARGIN=""
JVM_ARGS=()
POSTGRES=no
while [ $# -gt 0 ]; do
  case "$1" in
    --records) RECORDS="$2"; shift 2 ;;
    --consumers) CONSUMERS="$2"; shift 2 ;;
    --qbo-limits) QBO_LIMITS=yes; shift ;;
    --minutes) MINUTES="$2"; shift 2 ;;
    --margin) MARGIN="$2"; shift 2 ;;
    --postgres) POSTGRES=yes; shift ;;
    --jfr) JVM_ARGS+=("-XX:FlightRecorderOptions=stackdepth=256" "-XX:StartFlightRecording=filename=$2,settings=profile,dumponexit=true"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
# At the ceiling about 320 records a minute get through (~1.5 QBO requests each): 600 per minute never runs dry.
if [ "$QBO_LIMITS" = yes ]; then RECORDS=${RECORDS:-$(( MINUTES > 4 ? 600 * (MINUTES + 1) : 3000 ))}; else RECORDS=${RECORDS:-10000}; fi

ensure_jar

APP_PORT=$(free_port); MGMT_PORT=$(free_port); SANDBOX_PORT=$(free_port); SOURCE_PORT=$(free_port)
DATA=$(mktemp -d /tmp/qbo-sync-bench.XXXXXX)
LOG="$DATA/app.log"
AUTH="admin:${QBOSYNC_ADMIN_PASSWORD:-admin}"

SANDBOX="http://127.0.0.1:$SANDBOX_PORT"

cleanup() {
  [ -n "${APP_PID:-}" ] && kill "$APP_PID" 2>/dev/null
  [ -n "${SANDBOX_PID:-}" ] && kill "$SANDBOX_PID" 2>/dev/null
  wait 2>/dev/null || true
  [ -n "${SCHEMA:-}" ] && pg "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" 2>/dev/null
  rm -rf "$DATA"
}
trap cleanup EXIT

STORE_ARGS=()
if [ "$POSTGRES" = yes ]; then
  pg_start
  SCHEMA="bench_run_$(date +%s)"
  pg "CREATE SCHEMA $SCHEMA"
  read -r -a STORE_ARGS <<<"$(pg_app_args "$SCHEMA")"
fi

if [ "$QBO_LIMITS" = yes ]; then
  # No start-up poll: the first poll is sent by hand once the sandbox enforces the limits.
  MODE_ARGS=(--sync.poll.start-delay-ms=86400000 --sync.poll.interval-ms=86400000)
  if [ -n "$MARGIN" ]; then MODE_ARGS+=(--qbo.governor.margin="$MARGIN"); fi
else
  MODE_ARGS=(--sync.poll.start-delay-ms=100 --qbo.governor.requests-per-minute=100000000)
fi

start_sandbox "$SANDBOX_PORT" "$DATA/sandbox" "$DATA/sandbox.log"
java "${JVM_ARGS[@]}" -jar "$JAR" \
  --qbosync.data-dir="$DATA" --server.port="$APP_PORT" --management.server.port="$MGMT_PORT" \
  --qbo.sandbox.enabled=false --qbo.sandbox.external-url="$SANDBOX" --source.sample.port="$SOURCE_PORT" \
  --source.sample.records="$RECORDS" --sync.jms.concurrent-consumers="$CONSUMERS" \
  --sync.poll.page-size=2000 "${MODE_ARGS[@]}" "${STORE_ARGS[@]}" >"$LOG" 2>&1 &
APP_PID=$!

status() { curl -sf -u "$AUTH" "http://127.0.0.1:$APP_PORT/api/sync/status" || true; }

if [ "$QBO_LIMITS" = yes ]; then
  for _ in $(seq 1 480); do
    [ -n "$(status)" ] && break
    kill -0 "$APP_PID" 2>/dev/null || { echo "app died; see log:" >&2; tail -50 "$LOG" >&2; exit 1; }
    sleep 0.25
  done
  [ -n "$(status)" ] || { echo "app did not start; see $LOG" >&2; exit 1; }
  # The app provisioned (created and seeded) its sandbox company before its HTTP API came up: the only realm.
  REALM=$(curl -sf "$SANDBOX/sandbox/realms" | python3 -c 'import json,sys; r=json.load(sys.stdin)["realms"]; print(r[0]["realmId"] if len(r) == 1 else "")')
  [ -n "$REALM" ] || { echo "expected exactly one sandbox realm" >&2; exit 1; }
  # The sandbox's admin API needs no credentials (it listens on 127.0.0.1 only).
  curl -sf -X PUT -H 'Content-Type: application/json' "$SANDBOX/sandbox/realms/$REALM/faults" \
    -d '{"enforceLimits":true,"requestsPerMinute":500,"maxConcurrent":10,"latencyMs":150}' >/dev/null
  counters() { curl -sf "$SANDBOX/sandbox/realms/$REALM/stats" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["accepted"], d["throttled"])'; }
  pending() { status | python3 -c 'import json,sys; d=json.load(sys.stdin); print(sum(v.get("PENDING", 0) for v in d.values()))'; }

  curl -sf -u "$AUTH" -X POST "http://127.0.0.1:$APP_PORT/api/sync/poll" >/dev/null
  T0=$(date +%s%N)
  echo "realm $REALM: QBO limits enforced, first poll sent; $MINUTES min measured after a 60 s warm-up" >&2
  sleep_until 60
  read -r A0 _ < <(counters)
  PREV=$A0
  for m in $(seq 1 "$MINUTES"); do
    sleep_until $((60 + 60 * m))
    kill -0 "$APP_PID" 2>/dev/null || { echo "app died; see log:" >&2; tail -50 "$LOG" >&2; exit 1; }
    read -r A T < <(counters)
    echo "minute $m: accepted=$((A - PREV)) ($(python3 -c "print(f'{($A - $PREV) / 500:.3f}')") of the ceiling), 429s so far=$T" >&2
    PREV=$A
  done
  PENDING=$(pending)
  read -r _ THROTTLED < <(counters)
  echo "store: $(status)" >&2
  echo "records pending at the end: $PENDING" >&2
  python3 - "$REALM" "$MINUTES" "$A0" "$PREV" "$THROTTLED" "$PENDING" <<'PY'
import sys
realm, minutes = sys.argv[1], int(sys.argv[2])
a0, a1, throttled, pending = (int(x) for x in sys.argv[3:7])
requests = a1 - a0
print(f"realm={realm} minutes={minutes} requests={requests} ceiling_fraction={requests / (500 * minutes):.3f} "
      f"throttled={throttled} saturated={'yes' if pending > 0 else 'no'}")
PY
  exit 0
fi

clk_tck=$(getconf CLK_TCK)

# Wait for the app, then for the first record to be registered: the clock starts at the first poll.
for _ in $(seq 1 240); do
  s=$(status); [ -n "$s" ] && [ "$s" != "{}" ] && break
  kill -0 "$APP_PID" 2>/dev/null || { echo "app died; see log:" >&2; tail -50 "$LOG" >&2; exit 1; }
  sleep 0.25
done
T0=$(date +%s%N); CPU0=$(cpu_ticks "$APP_PID"); SCPU0=$(cpu_ticks "$SANDBOX_PID")
EXPECTED=$(curl -sf "http://127.0.0.1:$SOURCE_PORT/sample/stats" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["invoices"]+d["payments"])')
TOTAL_SOURCE=$(curl -sf "http://127.0.0.1:$SOURCE_PORT/sample/stats" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["contacts"]+d["companies"]+d["invoices"]+d["payments"])')

settled() {
  status | python3 -c '
import json, sys
d = json.load(sys.stdin)
expected = int(sys.argv[1])
def n(t, s=None): return sum(v for k, v in d.get(t, {}).items() if s is None or k == s)
pending = sum(d[t].get("PENDING", 0) for t in d)
done = n("INVOICE") + n("PAYMENT")
print("yes" if pending == 0 and done >= expected else "no")
' "$EXPECTED"
}
# Once a second: each status call is an HTTP Basic login, i.e. a BCrypt check of ~50 ms of CPU. Polling ten times a
# second took a sixth of the machine's CPU away from the pipeline it measures (JFR profile).
for _ in $(seq 1 1800); do
  [ "$(settled)" = yes ] && break
  kill -0 "$APP_PID" 2>/dev/null || { echo "app died; see log:" >&2; tail -50 "$LOG" >&2; exit 1; }
  kill -0 "$SANDBOX_PID" 2>/dev/null || { echo "sandbox died; see log:" >&2; tail -50 "$DATA/sandbox.log" >&2; exit 1; }
  sleep 1
done
T1=$(date +%s%N); CPU1=$(cpu_ticks "$APP_PID"); SCPU1=$(cpu_ticks "$SANDBOX_PID")
# The app's company: the only realm, until the baseline below makes its own. Its admitted API calls since the sandbox
# started are all this sync's.
REALM=$(curl -sf "$SANDBOX/sandbox/realms" | python3 -c 'import json,sys; r=json.load(sys.stdin)["realms"]; print(r[0]["realmId"] if len(r) == 1 else "")')
QBO_REQUESTS=$(curl -sf "$SANDBOX/sandbox/realms/$REALM/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accepted"])' || echo nan)
FINAL=$(status)
echo "store: $FINAL" >&2

# Baseline: the same number of creates straight into the sandbox, one client, no pipeline.
BASE=$(java -cp "$JAR" -Dloader.main=io.qbosync.demo.bench.BaselineWriter org.springframework.boot.loader.launch.PropertiesLauncher \
  "$SANDBOX" "$RECORDS" "$CONSUMERS" 2>>"$LOG" | tail -1)

python3 - "$TOTAL_SOURCE" "$T0" "$T1" "$CPU0" "$CPU1" "$clk_tck" "$BASE" "$SCPU0" "$SCPU1" "$QBO_REQUESTS" <<'PY'
import sys
records, t0, t1, c0, c1, tck, base = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
s0, s1, qbo_requests = int(sys.argv[8]), int(sys.argv[9]), float(sys.argv[10])
secs = (t1 - t0) / 1e9
engine_ms = (c1 - c0) * 1000.0 / tck
sandbox_ms = (s1 - s0) * 1000.0 / tck
cpu_ms = engine_ms + sandbox_ms
rps = records / secs
b = dict(kv.split("=") for kv in base.split()) if "=" in base else {}
bw = float(b.get("writes_per_s", "nan"))
print(f"records={records} seconds={secs:.2f} records_per_s={rps:.0f} cpu_ms_per_record={cpu_ms/records:.3f} "
      f"baseline_writes_per_s={bw:.0f} pipeline_vs_baseline={rps/bw:.2f} "
      f"engine_cpu_ms_per_record={engine_ms/records:.3f} sandbox_cpu_ms_per_record={sandbox_ms/records:.3f} "
      f"qbo_requests_per_record={qbo_requests/records:.2f}")
PY
