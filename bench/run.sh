#!/usr/bin/env bash
# Throughput benchmark: syncs N generated source records (default 10,000) from the bundled sample source into
# the bundled QBO sandbox through the real pipeline (Quartz poll -> store -> Artemis -> qbo: -> sandbox), all on
# this machine, and prints figures. The app runs from the packaged jar in a fresh data directory.
#
#   bench/run.sh [--records N] [--consumers C]
#
# QBO's per-company limit (500 requests/min) is lifted: the sandbox does not enforce it unless asked, and this
# measures what one node can push (the headroom that lets it serve many companies).
#
# Baseline measured in the same run: the same number of QBO writes sent straight to the sandbox by one client
# with no queue, store or matching (bench/BaselineWriter), so the ratio shows what the pipeline costs.
# Last line: records=… seconds=… records_per_s=… cpu_ms_per_record=… baseline_writes_per_s=… pipeline_vs_baseline=…
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

RECORDS=10000
CONSUMERS=4
while [ $# -gt 0 ]; do
  case "$1" in
    --records) RECORDS="$2"; shift 2 ;;
    --consumers) CONSUMERS="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

ensure_jar

APP_PORT=$(free_port); MGMT_PORT=$(free_port); SANDBOX_PORT=$(free_port); SOURCE_PORT=$(free_port)
DATA=$(mktemp -d /tmp/qbo-sync-bench.XXXXXX)
LOG="$DATA/app.log"
AUTH="admin:${QBOSYNC_ADMIN_PASSWORD:-admin}"

cleanup() { [ -n "${APP_PID:-}" ] && kill "$APP_PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT

START_NS=$(date +%s%N)
java -jar "$JAR" \
  --qbosync.data-dir="$DATA" --server.port="$APP_PORT" --management.server.port="$MGMT_PORT" \
  --qbo.sandbox.port="$SANDBOX_PORT" --source.sample.port="$SOURCE_PORT" \
  --source.sample.records="$RECORDS" --sync.jms.concurrent-consumers="$CONSUMERS" \
  --sync.poll.start-delay-ms=100 --sync.poll.page-size=2000 \
  --qbo.governor.requests-per-minute=100000000 >"$LOG" 2>&1 &
APP_PID=$!

status() { curl -sf -u "$AUTH" "http://127.0.0.1:$APP_PORT/api/sync/status" || true; }
clk_tck=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14+$15}' "/proc/$APP_PID/stat"; }

# Wait for the app, then for the first record to be registered: the clock starts at the first poll.
for _ in $(seq 1 240); do
  s=$(status); [ -n "$s" ] && [ "$s" != "{}" ] && break
  kill -0 "$APP_PID" 2>/dev/null || { echo "app died; see log:" >&2; tail -50 "$LOG" >&2; exit 1; }
  sleep 0.25
done
T0=$(date +%s%N); CPU0=$(cpu_ticks)
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
for _ in $(seq 1 7200); do
  [ "$(settled)" = yes ] && break
  kill -0 "$APP_PID" 2>/dev/null || { echo "app died; see log:" >&2; tail -50 "$LOG" >&2; exit 1; }
  sleep 0.1
done
T1=$(date +%s%N); CPU1=$(cpu_ticks)
FINAL=$(status)
echo "store: $FINAL" >&2

# Baseline: the same number of creates straight into the sandbox, one client, no pipeline.
BASE=$(java -cp "$JAR" -Dloader.main=io.qbosync.bench.BaselineWriter org.springframework.boot.loader.launch.PropertiesLauncher \
  "http://127.0.0.1:$SANDBOX_PORT" "$RECORDS" "$CONSUMERS" 2>>"$LOG" | tail -1)

python3 - "$TOTAL_SOURCE" "$T0" "$T1" "$CPU0" "$CPU1" "$clk_tck" "$BASE" <<'PY'
import sys
records, t0, t1, c0, c1, tck, base = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
secs = (t1 - t0) / 1e9
cpu_ms = (c1 - c0) * 1000.0 / tck
rps = records / secs
b = dict(kv.split("=") for kv in base.split()) if "=" in base else {}
bw = float(b.get("writes_per_s", "nan"))
print(f"records={records} seconds={secs:.2f} records_per_s={rps:.0f} cpu_ms_per_record={cpu_ms/records:.3f} "
      f"baseline_writes_per_s={bw:.0f} pipeline_vs_baseline={rps/bw:.2f}")
PY
