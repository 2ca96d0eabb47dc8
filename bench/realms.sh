#!/usr/bin/env bash
# Many companies on one node: N QBO companies (default 100) × I invoices each (default 1,000, with their customers
# and payments), synced by one app from one source, with the sandbox (its own process) enforcing QBO's limits on every
# company: 500 requests in any sliding minute, 10 in flight, and a latency per call (default 150 ms). The governor runs
# on its defaults (500/min, no margin override). Called by `bench/run.sh --realms N`.
#
#   bench/realms.sh [--realms N] [--invoices I] [--minutes M] [--consumers C] [--latency-ms L]
#
# The sample source gets N chapters (C001 …, taking invoices in turn) and a mapping file routing chapter Cnnn to company
# cnnn, so that each company gets a sandbox company of its own (README "Many companies on one node"). No start-up poll:
# the first poll is sent once the sandbox enforces the limits on all N companies. After a 60 s warm-up from the first
# poll, the script measures M whole minutes (default 3) and prints, for that interval:
#   ceiling fraction per company = the requests the sandbox accepted for it / (500 × M), as min and median;
#   throttled = the 429s the sandbox returned over the whole run, all companies;
#   records_per_s = sync-store records (customers, invoices, payments) that reached an end (SYNCED, SKIPPED or
#   FAILED), per second;
#   engine_cpu_ms_per_record, sandbox_cpu_ms_per_record = each JVM's user + system CPU over those records;
#   qbo_requests_per_record = all companies' accepted requests over those records.
# saturated=yes when records were still pending or held at the end: the companies never ran out of work, so the fractions are
# what the node sustained, not what the source had.
# Consumers per queue default to 2 × N (at least 8, at most 200): a company at its ceiling with 150 ms per call keeps
# about 1.25 calls in flight, so N companies need ~1.25 × N consumers across the three queues.
# Last line: realms=… invoices_per_realm=… minutes=… min_ceiling_fraction=… median_ceiling_fraction=… throttled=…
#            records_per_s=… engine_cpu_ms_per_record=… sandbox_cpu_ms_per_record=… qbo_requests_per_record=… saturated=…
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

REALMS=100
INVOICES=1000
MINUTES=3
CONSUMERS=""
LATENCY=150
while [ $# -gt 0 ]; do
  case "$1" in
    --realms) REALMS="$2"; shift 2 ;;
    --invoices) INVOICES="$2"; shift 2 ;;
    --minutes) MINUTES="$2"; shift 2 ;;
    --consumers) CONSUMERS="$2"; shift 2 ;;
    --latency-ms) LATENCY="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
CONSUMERS=${CONSUMERS:-$(( REALMS * 2 < 8 ? 8 : (REALMS * 2 > 200 ? 200 : REALMS * 2) ))}
# The sample's standard proportions: 200 invoices in 470 records.
RECORDS=$(( REALMS * INVOICES * 47 / 20 ))

ensure_jar

APP_PORT=$(free_port); MGMT_PORT=$(free_port); SANDBOX_PORT=$(free_port); SOURCE_PORT=$(free_port)
DATA=$(mktemp -d /tmp/qbo-sync-realms.XXXXXX)
LOG="$DATA/app.log"
AUTH="admin:${QBOSYNC_ADMIN_PASSWORD:-admin}"
SANDBOX="http://127.0.0.1:$SANDBOX_PORT"

cleanup() {
  [ -n "${APP_PID:-}" ] && kill "$APP_PID" 2>/dev/null
  [ -n "${SANDBOX_PID:-}" ] && kill "$SANDBOX_PID" 2>/dev/null
  wait 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT

chapter_mapping "$REALMS" >"$DATA/realms.yaml"

# Enough sandbox workers for every company's calls in flight while each sleeps its latency.
start_sandbox "$SANDBOX_PORT" "$DATA/sandbox" "$DATA/sandbox.log" --threads=$(( CONSUMERS * 3 + 16 ))
java -jar "$JAR" \
  --qbosync.data-dir="$DATA" --server.port="$APP_PORT" --management.server.port="$MGMT_PORT" \
  --qbo.sandbox.enabled=false --qbo.sandbox.external-url="$SANDBOX" --source.sample.port="$SOURCE_PORT" \
  --source.sample.records="$RECORDS" --source.sample.chapters="$REALMS" \
  --sync.mappings.file="routes/mappings/qbo-mappings.yaml,$DATA/realms.yaml" \
  --sync.jms.concurrent-consumers="$CONSUMERS" --sync.poll.page-size=2000 \
  --qbo.governor.requests-per-minute=500 --sync.poll.start-delay-ms=86400000 --sync.poll.interval-ms=86400000 \
  >"$LOG" 2>&1 &
APP_PID=$!

status() { curl -sf -u "$AUTH" "http://127.0.0.1:$APP_PORT/api/sync/status" || true; }
for _ in $(seq 1 2400); do
  [ -n "$(status)" ] && break
  kill -0 "$APP_PID" 2>/dev/null || { echo "app died; see log:" >&2; tail -50 "$LOG" >&2; exit 1; }
  sleep 0.25
done
[ -n "$(status)" ] || { echo "app did not start; see $LOG" >&2; exit 1; }

# The app provisioned (created and seeded) one sandbox company per company key before its HTTP API came up.
curl -sf "$SANDBOX/sandbox/realms" | python3 -c 'import json,sys; [print(r["realmId"]) for r in json.load(sys.stdin)["realms"]]' >"$DATA/realm-ids"
[ "$(wc -l <"$DATA/realm-ids")" -eq "$REALMS" ] || { echo "expected $REALMS sandbox companies, found $(wc -l <"$DATA/realm-ids")" >&2; exit 1; }
enforce_qbo_limits "$SANDBOX" "$DATA/realm-ids" "$LATENCY"
counters() { realm_counters "$SANDBOX" "$DATA/realm-ids"; }
progress() { status | store_progress; }

curl -sf -u "$AUTH" -X POST "http://127.0.0.1:$APP_PORT/api/sync/poll" >/dev/null
T0=$(date +%s%N)
echo "$REALMS companies × $INVOICES invoices ($RECORDS source records), $CONSUMERS consumers per queue, ${LATENCY} ms per call: first poll sent; $MINUTES min measured after a 60 s warm-up" >&2

sleep_until 60
counters >"$DATA/c0"; read -r DONE0 _ < <(progress)
W0=$(date +%s%N); CPU0=$(cpu_ticks "$APP_PID"); SCPU0=$(cpu_ticks "$SANDBOX_PID")
for m in $(seq 1 "$MINUTES"); do
  sleep_until $((60 + 60 * m))
  kill -0 "$APP_PID" 2>/dev/null || { echo "app died; see log:" >&2; tail -50 "$LOG" >&2; exit 1; }
  echo "minute $m: $(progress | awk '{print $1" records done, "$2" pending or held"}')" >&2
done
W1=$(date +%s%N); CPU1=$(cpu_ticks "$APP_PID"); SCPU1=$(cpu_ticks "$SANDBOX_PID")
counters >"$DATA/c1"; read -r DONE1 PENDING < <(progress)

python3 - "$REALMS" "$INVOICES" "$MINUTES" "$DATA/c0" "$DATA/c1" "$DONE0" "$DONE1" "$PENDING" "$W0" "$W1" \
  "$CPU0" "$CPU1" "$SCPU0" "$SCPU1" "$(getconf CLK_TCK)" <<'PY'
import statistics, sys
realms, invoices, minutes = (int(x) for x in sys.argv[1:4])
c0 = [tuple(map(int, l.split())) for l in open(sys.argv[4])]
c1 = [tuple(map(int, l.split())) for l in open(sys.argv[5])]
done0, done1, pending, w0, w1, cpu0, cpu1, scpu0, scpu1, tck = (int(x) for x in sys.argv[6:16])
fractions = [(b[0] - a[0]) / (500 * minutes) for a, b in zip(c0, c1)]
accepted = sum(b[0] - a[0] for a, b in zip(c0, c1))
throttled = sum(b[1] for b in c1)
records = max(done1 - done0, 1)
secs = (w1 - w0) / 1e9
print(f"realms={realms} invoices_per_realm={invoices} minutes={minutes} "
      f"min_ceiling_fraction={min(fractions):.3f} median_ceiling_fraction={statistics.median(fractions):.3f} "
      f"throttled={throttled} records_per_s={records / secs:.0f} "
      f"engine_cpu_ms_per_record={(cpu1 - cpu0) * 1000 / tck / records:.3f} "
      f"sandbox_cpu_ms_per_record={(scpu1 - scpu0) * 1000 / tck / records:.3f} "
      f"qbo_requests_per_record={accepted / records:.2f} saturated={'yes' if pending > 0 else 'no'}")
PY
