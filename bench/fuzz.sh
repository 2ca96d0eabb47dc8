#!/usr/bin/env bash
# Bad-input fuzz benchmark: runs the packaged app twice on embedded defaults, each in a fresh data directory —
# first with the good generated records only, then with the same good records plus M malformed ones mixed into the
# sample source's feed (source.sample.malformed, see docs/fuzz.md) — and measures good-record throughput each time.
# After the second run the app is stopped and every malformed record's stored error is read from the sync store's
# H2 file (MalformedStoreReport): a record counts as specific when it is FAILED with the expected code and a message
# naming the record, the field and the problem.
#
#   bench/fuzz.sh [--records N] [--bad M] [--consumers C] [--governor RPM]
#
# --governor is the QBO rate governor's requests per minute. The default raises it out of the way (as the tests do),
# so that the runs measure what the pipeline spends on records; --governor 500 keeps QBO's real limit, and then
# both runs mostly measure the limit.
#
# Last line: bad=… specific_errors=… good_records_per_s_ratio=…   (ratio = with-bad / without-bad throughput)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

RECORDS=2000
BAD=1000
CONSUMERS=4
GOVERNOR=1000000
SEED=42
while [ $# -gt 0 ]; do
  case "$1" in
    --records) RECORDS="$2"; shift 2 ;;
    --bad) BAD="$2"; shift 2 ;;
    --consumers) CONSUMERS="$2"; shift 2 ;;
    --governor) GOVERNOR="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$BAD" -ge 1 ] || { echo "--bad must be at least 1" >&2; exit 2; }

ensure_jar
# Run a main class of the app from the packaged jar (its libraries included).
jar_main() { local cls="$1"; shift; java -cp "$JAR" -Dloader.main="$cls" org.springframework.boot.loader.launch.PropertiesLauncher "$@"; }

kv() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }
clk_tck=$(getconf CLK_TCK)
PASSWORD="${QBOSYNC_ADMIN_PASSWORD:-admin}"
AUTH="admin:$PASSWORD"

# Malformed rows the store should end with (duplicate ids share one), to know when the second run is done.
CORPUS=$(jar_main io.qbosync.source.sample.MalformedCorpus --seed="$SEED" --size="$BAD" 2>/dev/null | tail -1)
BAD_INV_PAY=$(( $(kv "$CORPUS" invoices) + $(kv "$CORPUS" payments) ))
BAD_INV_PAY_ROWS=$(( $(kv "$CORPUS" rows_invoice) + $(kv "$CORPUS" rows_payment) ))
BAD_ROWS="CUSTOMER=$(kv "$CORPUS" rows_customer) INVOICE=$(kv "$CORPUS" rows_invoice) PAYMENT=$(kv "$CORPUS" rows_payment)"

APP_PID=""
DATA=""
cleanup() {
  if [ -n "$APP_PID" ]; then kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
  if [ -n "$DATA" ]; then rm -rf "$DATA"; fi
}
trap cleanup EXIT

# run_once <malformed> : starts the app, waits until every record is registered and nothing is PENDING, stops it.
# Sets: SECONDS_TAKEN GOOD_RECORDS CPU_MS STORE (final /api/sync/status) REPORT (only when malformed > 0)
run_once() {
  local malformed="$1"
  local app_port mgmt_port sandbox_port source_port log
  app_port=$(free_port); mgmt_port=$(free_port); sandbox_port=$(free_port); source_port=$(free_port)
  DATA=$(mktemp -d /tmp/qbo-sync-fuzz-bench.XXXXXX)
  log="$DATA/app.log"
  QBOSYNC_ADMIN_PASSWORD="$PASSWORD" java -jar "$JAR" \
    --qbosync.data-dir="$DATA" --server.port="$app_port" --management.server.port="$mgmt_port" \
    --qbo.sandbox.port="$sandbox_port" --source.sample.port="$source_port" --source.sample.seed="$SEED" \
    --source.sample.records="$RECORDS" --source.sample.malformed="$malformed" \
    --sync.jms.concurrent-consumers="$CONSUMERS" --sync.poll.start-delay-ms=100 --sync.poll.page-size=2000 \
    --qbo.governor.requests-per-minute="$GOVERNOR" \
    --spring.security.user.name=admin --spring.security.user.password="$PASSWORD" >"$log" 2>&1 &
  APP_PID=$!

  status() { curl -sf -u "$AUTH" "http://127.0.0.1:$app_port/api/sync/status" || true; }
  cpu_ticks() { awk '{print $14+$15}' "/proc/$APP_PID/stat"; }
  died() { echo "app died; see log:" >&2; tail -50 "$log" >&2; exit 1; }

  # Wait for the app, then for the first record to be registered: the clock starts at the first poll.
  local s=""
  for _ in $(seq 1 480); do
    s=$(status); [ -n "$s" ] && [ "$s" != "{}" ] && break
    kill -0 "$APP_PID" 2>/dev/null || died
    sleep 0.25
  done
  [ -n "$s" ] && [ "$s" != "{}" ] || { echo "no record registered within 2 minutes; see $log" >&2; tail -30 "$log" >&2; exit 1; }
  local t0 cpu0 stats
  t0=$(date +%s%N); cpu0=$(cpu_ticks)
  stats=$(curl -sf "http://127.0.0.1:$source_port/sample/stats")
  GOOD_RECORDS=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["total"]-d["malformed"])' "$stats")
  local expected
  expected=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["invoices"]+d["payments"])' "$stats")
  if [ "$malformed" -gt 0 ]; then expected=$(( expected - BAD_INV_PAY + BAD_INV_PAY_ROWS )); fi

  local done_yet=no
  for _ in $(seq 1 12000); do
    done_yet=$(status | python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)
except ValueError:
    print("no"); sys.exit()
n = lambda t: sum(d.get(t, {}).values())
pending = sum(v.get("PENDING", 0) for v in d.values())
print("yes" if pending == 0 and n("INVOICE") + n("PAYMENT") >= int(sys.argv[1]) else "no")
' "$expected")
    [ "$done_yet" = yes ] && break
    kill -0 "$APP_PID" 2>/dev/null || died
    sleep 0.1
  done
  [ "$done_yet" = yes ] || { echo "did not settle within 20 minutes; last status $(status)" >&2; exit 1; }
  local t1 cpu1
  t1=$(date +%s%N); cpu1=$(cpu_ticks)
  STORE=$(status)
  echo "store (malformed=$malformed): $STORE" >&2
  SECONDS_TAKEN=$(python3 -c "print(($t1 - $t0) / 1e9)")
  CPU_MS=$(( (cpu1 - cpu0) * 1000 / clk_tck ))

  # Stop the app (graceful: H2 closes its file), then read per-record errors from the store.
  kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=""
  REPORT=""
  if [ "$malformed" -gt 0 ]; then
    REPORT=$(jar_main io.qbosync.demo.bench.MalformedStoreReport --store="jdbc:h2:file:$DATA/sync-store" \
      --seed="$SEED" --size="$malformed" | tail -1)
  fi
  rm -rf "$DATA"; DATA=""
}

run_once 0
CLEAN_S=$SECONDS_TAKEN; CLEAN_GOOD=$GOOD_RECORDS; CLEAN_CPU=$CPU_MS; CLEAN_STORE=$STORE
run_once "$BAD"
FUZZ_S=$SECONDS_TAKEN; FUZZ_GOOD=$GOOD_RECORDS; FUZZ_CPU=$CPU_MS; FUZZ_STORE=$STORE

python3 - "$CLEAN_GOOD" "$CLEAN_S" "$CLEAN_CPU" "$FUZZ_GOOD" "$FUZZ_S" "$FUZZ_CPU" "$BAD" "$REPORT" \
  "$CLEAN_STORE" "$FUZZ_STORE" "$BAD_ROWS" <<'PY'
import json, sys
cg, cs, cc, fg, fs, fc, bad, report = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), sys.argv[8]
clean_store, fuzz_store = json.loads(sys.argv[9]), json.loads(sys.argv[10])
bad_rows = {k: int(v) for k, v in (kv.split("=") for kv in sys.argv[11].split())}
r = dict(kv.split("=") for kv in report.split())
clean_rps, fuzz_rps = cg / cs, fg / fs
# The good records' outcome: the second run's counts less one FAILED row per malformed record.
good = {t: dict(v) for t, v in fuzz_store.items()}
for t, n in bad_rows.items():
    good.setdefault(t, {})["FAILED"] = good.get(t, {}).get("FAILED", 0) - n
good = {t: {s: n for s, n in v.items() if n} for t, v in good.items()}
clean = {t: {s: n for s, n in v.items() if n} for t, v in clean_store.items()}
same = "yes" if good == clean else "no"
print(f"good_outcome_same={same} without_bad={json.dumps(clean, sort_keys=True)} with_bad_less_corpus={json.dumps(good, sort_keys=True)}")
print(f"without_bad: good_records={cg} seconds={cs:.2f} good_records_per_s={clean_rps:.0f} cpu_ms_per_good_record={cc/cg:.3f}")
print(f"with_bad: good_records={fg} bad={bad} seconds={fs:.2f} good_records_per_s={fuzz_rps:.0f} cpu_ms_per_good_record={fc/fg:.3f}")
print("store: " + report)
print(f"bad={bad} specific_errors={r.get('specific_errors', 'nan')} good_records_per_s_ratio={fuzz_rps/clean_rps:.2f}")
PY
