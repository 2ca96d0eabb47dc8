#!/usr/bin/env bash
# Chaos check: kill -9 the app at random moments during a sync while the QBO sandbox injects faults (5xx answers,
# writes whose answer is lost), restart it each time on the same data, then let it finish. Afterwards every source
# invoice and payment must be in QBO exactly once, or in the sync store as FAILED / HELD / SKIPPED with a reason.
#
#   bench/chaos.sh [--records N] [--kills K] [--seed S]
#
# The rate governor's sharing among replicas is off: a restart after a kill would otherwise wait up to ~75 s for the
# killed process's last minute of requests to age out (README, "Several replicas"), and kills come every 3-12 s.
#
# Last line: kills=… lost=… doubled=… accounted=…
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

RECORDS=10000
KILLS=20
SEED=7
while [ $# -gt 0 ]; do
  case "$1" in
    --records) RECORDS="$2"; shift 2 ;;
    --kills) KILLS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

ensure_jar

APP_PORT=$(free_port); MGMT_PORT=$(free_port); SANDBOX_PORT=$(free_port); SOURCE_PORT=$(free_port)
DATA=$(mktemp -d /tmp/qbo-sync-chaos.XXXXXX)
AUTH="admin:${QBOSYNC_ADMIN_PASSWORD:-admin}"
SANDBOX="http://127.0.0.1:$SANDBOX_PORT"
RANDOM=$SEED
APP_PID=""

cleanup() { [ -n "$APP_PID" ] && kill -9 "$APP_PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT

start_app() {
  java -jar "$JAR" \
    --qbosync.data-dir="$DATA" --server.port="$APP_PORT" --management.server.port="$MGMT_PORT" \
    --qbo.sandbox.port="$SANDBOX_PORT" --source.sample.port="$SOURCE_PORT" --source.sample.records="$RECORDS" \
    --sync.poll.start-delay-ms=100 --sync.poll.page-size=2000 --qbo.governor.requests-per-minute=100000000 \
    --qbo.governor.shared=false \
    --sync.resume.stale-after-ms=20000 --sync.resume.interval-ms=5000 \
    --sync.retry.initial-delay-ms=200 --sync.retry.max-delay-ms=2000 >>"$DATA/app.log" 2>&1 &
  APP_PID=$!
}

realm() { curl -sf "$SANDBOX/sandbox/realms" | python3 -c 'import json,sys; r=json.load(sys.stdin)["realms"]; print(r[0]["realmId"] if r else "")'; }

await_realm() {
  for _ in $(seq 1 600); do
    kill -0 "$APP_PID" 2>/dev/null || { echo "app died; see $DATA/app.log" >&2; tail -30 "$DATA/app.log" >&2; exit 1; }
    r=$(realm 2>/dev/null || true); [ -n "$r" ] && { echo "$r"; return; }
    sleep 0.2
  done
  echo "no sandbox realm" >&2; exit 1
}

inject_faults() {
  curl -sf -X PUT -H 'Content-Type: application/json' "$SANDBOX/sandbox/realms/$1/faults" \
    -d "{\"error5xxRate\":0.02,\"timeoutAfterCommitRate\":0.02,\"randomSeed\":$SEED}" >/dev/null
}

start_app
REALM=$(await_realm)
inject_faults "$REALM"
for k in $(seq 1 "$KILLS"); do
  sleep "$(( 3 + RANDOM % 10 ))"
  kill -9 "$APP_PID"; wait "$APP_PID" 2>/dev/null || true
  echo "kill $k" >&2
  start_app
  await_realm >/dev/null
  inject_faults "$REALM"
done

# Let the last run finish: no PENDING record, every invoice and payment registered.
EXPECTED=$(curl -sf "http://127.0.0.1:$SOURCE_PORT/sample/stats" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["invoices"]+d["payments"])')
for _ in $(seq 1 3600); do
  s=$(curl -sf -u "$AUTH" "http://127.0.0.1:$APP_PORT/api/sync/status" || true)
  if [ -n "$s" ] && python3 -c '
import json, sys
d = json.loads(sys.argv[1]); expected = int(sys.argv[2])
pending = sum(v.get("PENDING", 0) for v in d.values())
done = sum(sum(d.get(t, {}).values()) for t in ("INVOICE", "PAYMENT"))
sys.exit(0 if pending == 0 and done >= expected else 1)' "$s" "$EXPECTED"; then break; fi
  sleep 1
done
echo "store: $(curl -sf -u "$AUTH" "http://127.0.0.1:$APP_PORT/api/sync/status")" >&2

python3 - "$SANDBOX" "$REALM" "http://127.0.0.1:$SOURCE_PORT" "http://127.0.0.1:$APP_PORT" "$AUTH" "$KILLS" <<'PY'
import base64, json, sys, urllib.request, collections
sandbox, realm, source, app, auth, kills = sys.argv[1:7]
get = lambda url: json.load(urllib.request.urlopen(url))
def api(path):
    req = urllib.request.Request(app + path, headers={"Authorization": "Basic " + base64.b64encode(auth.encode()).decode()})
    return json.load(urllib.request.urlopen(req))
def entities(kind):
    return [e for e in get(f"{sandbox}/sandbox/realms/{realm}/entities/{kind}")[kind] if e.get("status") != "Deleted"]
invoices, payments, cursor = [], [], ""
while True:
    page = get(f"{source}/api/changes?since={cursor}&limit=5000")
    invoices += page.get("invoices", []); payments += page.get("payments", [])
    cursor = page["nextCursor"]
    if not page["hasMore"]: break
by_doc = collections.Counter(e.get("DocNumber") for e in entities("Invoice"))
by_marker = collections.Counter((e.get("PrivateNote") or "").split(" ")[0] for e in entities("Payment"))
# Records the store ended without a QBO write, each with its reason (few: the lists fit one page each).
explained = {(r["entityType"], r["sourceId"]) for t in ("INVOICE", "PAYMENT") for s in ("FAILED", "HELD", "SKIPPED")
             for r in api(f"/api/records?status={s}&type={t}&limit=1000")}
lost = accounted = doubled = 0
for kind, records, count in (("INVOICE", invoices, lambda r: by_doc[r["number"]]),
                             ("PAYMENT", payments, lambda r: by_marker["qbo-sync:" + r["id"]])):
    for r in records:
        n = count(r)
        if (kind, r["id"]) in explained:
            accounted += 1          # (the seeded 6140 case's number is held by a QBO invoice that predates the sync)
        elif n >= 1:
            accounted += 1
            doubled += n - 1
        else:
            lost += 1
total = len(invoices) + len(payments)
print(f"kills={kills} lost={lost} doubled={doubled} accounted={accounted}/{total}")
PY
