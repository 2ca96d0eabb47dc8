#!/usr/bin/env bash
# Chaos check: kill -9 the app at random moments during a sync while the QBO sandbox injects faults (5xx answers,
# writes whose answer is lost), restart it each time on the same data, then let it finish. Afterwards every source
# invoice and payment must be in QBO exactly once, or in the sync store as FAILED / HELD / SKIPPED with a reason, and
# every source party that became a customer record exactly one QBO customer (or linked to the one it matched).
#
#   bench/chaos.sh [--records N] [--kills K] [--seed S]
#
# The sandbox, the stand-in for QBO, runs as its own process on its own data directory ($DATA/sandbox), started once
# before the app and never killed with it; the app runs with --qbo.sandbox.enabled=false and
# --qbo.sandbox.external-url (it creates and seeds its company there on the first start, reuses it afterwards).
# Each kill comes 3-12 s after the restarted app answers HTTP (i.e. with its routes running).
#
# The rate governor's sharing among replicas is off: a restart after a kill would otherwise wait up to ~75 s for the
# killed process's last minute of requests to age out (README, "Several replicas"), and kills come every 3-12 s.
#
# At the end the app and then the sandbox are stopped cleanly and their H2 files read (the app's sync_record table,
# the sandbox's request_log: which requestid wrote which QBO entity, and when). Checked and counted:
#   invoices  - the QBO invoices qbo-sync wrote with the source invoice's DocNumber, payments - those with its
#               `qbo-sync:<id>` PrivateNote marker: one for a SYNCED record, none for a FAILED / HELD / SKIPPED one
#               (more = doubled; none for a SYNCED one, or the store's qbo_id not among them = lost);
#   customers - no QBO customer written by qbo-sync without a customer record pointing at it, no two customer records
#               linked to the same QBO customer (one customer stands for one party, created or matched), every SYNCED
#               record's qbo_id present in QBO (else lost).
# ("Written by qbo-sync" = created through the API with a requestid, found in the sandbox's request_log; the seeded
# entities were created through the admin API and are not.) Each lost or doubled record is named on stderr with its
# QBO entities, its sync_record row, the sandbox's request_log rows for it and the app's log lines about it.
#
# When the check fails (lost > 0, doubled > 0, or the run did not settle) the data directory is kept, with the
# commands to inspect it; it is deleted only on success. Exit status 0 on success, 1 otherwise.
# Last line: kills=… lost=… doubled=… accounted=…/… customers_doubled=… seconds=… [data=<kept dir>]
# (doubled includes customers_doubled; seconds = from the first start of the app until the store settled.)
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
REPORT="$DATA/report"; mkdir -p "$REPORT"
AUTH="admin:${QBOSYNC_ADMIN_PASSWORD:-admin}"
SANDBOX="http://127.0.0.1:$SANDBOX_PORT"
RANDOM=$SEED
APP_PID=""; SANDBOX_PID=""; KEEP=yes; RUNS=0; KILLED=0; DONE=no

cleanup() {
  [ -n "$APP_PID" ] && kill -9 "$APP_PID" 2>/dev/null
  [ -n "$SANDBOX_PID" ] && stop_jvm "$SANDBOX_PID" 30
  wait 2>/dev/null || true
  if [ "$KEEP" = no ]; then
    rm -rf "$DATA"
  else
    echo "data kept: $DATA" >&2
    # Stopped before the report (the app or the sandbox died, or an interrupt): still a key=value last line.
    [ "$DONE" = yes ] || echo "kills=$KILLED error=stopped_early data=$DATA"
  fi
}
trap cleanup EXIT

start_app() {
  RUNS=$((RUNS + 1))
  echo "===== chaos.sh: start $RUNS of the app, $(date -u +%FT%T.%3NZ) =====" >>"$DATA/app.log"
  java -jar "$JAR" \
    --qbosync.data-dir="$DATA" --server.port="$APP_PORT" --management.server.port="$MGMT_PORT" \
    --qbo.sandbox.enabled=false --qbo.sandbox.external-url="$SANDBOX" \
    --source.sample.port="$SOURCE_PORT" --source.sample.records="$RECORDS" \
    --sync.poll.start-delay-ms=100 --sync.poll.page-size=2000 --qbo.governor.requests-per-minute=100000000 \
    --qbo.governor.shared=false \
    --sync.resume.stale-after-ms=20000 --sync.resume.interval-ms=5000 \
    --sync.retry.initial-delay-ms=200 --sync.retry.max-delay-ms=2000 >>"$DATA/app.log" 2>&1 &
  APP_PID=$!
}

alive() {
  kill -0 "$SANDBOX_PID" 2>/dev/null || { echo "the sandbox died; see $DATA/sandbox.log" >&2; tail -30 "$DATA/sandbox.log" >&2; exit 1; }
  kill -0 "$APP_PID" 2>/dev/null || { echo "the app died; see $DATA/app.log" >&2; tail -30 "$DATA/app.log" >&2; exit 1; }
}

realm() { curl -sf "$SANDBOX/sandbox/realms" | python3 -c 'import json,sys; r=json.load(sys.stdin)["realms"]; print(r[0]["realmId"] if len(r) == 1 else "")'; }

# The app created its company on the sandbox (before its routes start: the first writes meet the faults).
await_realm() {
  for _ in $(seq 1 1200); do
    alive
    r=$(realm 2>/dev/null || true); [ -n "$r" ] && { echo "$r"; return; }
    sleep 0.1
  done
  echo "no sandbox realm" >&2; exit 1
}

# The app answers HTTP (any status, no login) on its management port: its routes are running.
await_app() {
  for _ in $(seq 1 1200); do
    alive
    curl -s -o /dev/null "http://127.0.0.1:$MGMT_PORT/actuator/health" && return
    sleep 0.25
  done
  echo "the app did not come up; see $DATA/app.log" >&2; exit 1
}

start_sandbox "$SANDBOX_PORT" "$DATA/sandbox" "$DATA/sandbox.log"
T0=$(date +%s%N)
start_app
REALM=$(await_realm)
# Per-realm settings kept by the sandbox, which is not restarted: set once for the whole run.
curl -sf -X PUT -H 'Content-Type: application/json' "$SANDBOX/sandbox/realms/$REALM/faults" \
  -d "{\"error5xxRate\":0.02,\"timeoutAfterCommitRate\":0.02,\"randomSeed\":$SEED}" >/dev/null
echo "realm $REALM on the sandbox at $SANDBOX (pid $SANDBOX_PID); data $DATA" >&2
await_app
for k in $(seq 1 "$KILLS"); do
  sleep "$(( 3 + RANDOM % 10 ))"
  alive
  kill -9 "$APP_PID"; wait "$APP_PID" 2>/dev/null || true
  KILLED=$k; echo "kill $k" >&2
  start_app
  await_app
done

# Let the last run finish: no PENDING record, every invoice and payment registered.
EXPECTED=$(curl -sf "http://127.0.0.1:$SOURCE_PORT/sample/stats" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["invoices"]+d["payments"])')
SETTLED=no
for _ in $(seq 1 3600); do
  kill -0 "$APP_PID" 2>/dev/null || { echo "the app died before the store settled; see $DATA/app.log" >&2; break; }
  kill -0 "$SANDBOX_PID" 2>/dev/null || { echo "the sandbox died before the store settled; see $DATA/sandbox.log" >&2; break; }
  s=$(curl -sf -u "$AUTH" "http://127.0.0.1:$APP_PORT/api/sync/status" || true)
  if [ -n "$s" ] && python3 -c '
import json, sys
d = json.loads(sys.argv[1]); expected = int(sys.argv[2])
pending = sum(v.get("PENDING", 0) for v in d.values())
done = sum(sum(d.get(t, {}).values()) for t in ("INVOICE", "PAYMENT"))
sys.exit(0 if pending == 0 and done >= expected else 1)' "$s" "$EXPECTED"; then SETTLED=yes; break; fi
  sleep 1
done
T1=$(date +%s%N)
[ "$SETTLED" = yes ] || echo "the store did not settle" >&2
echo "store: $(curl -sf -u "$AUTH" "http://127.0.0.1:$APP_PORT/api/sync/status" || echo '(no answer)')" >&2

# What the source holds and what "QBO" holds, while both still answer.
python3 - "http://127.0.0.1:$SOURCE_PORT" "$SANDBOX" "$REALM" "$REPORT" <<'PY'
import json, sys, urllib.request
source, sandbox, realm, out = sys.argv[1:5]
get = lambda url: json.load(urllib.request.urlopen(url, timeout=120))
feed, cursor = {"invoices": [], "payments": [], "contacts": [], "companies": []}, ""
while True:
    page = get(f"{source}/api/changes?since={cursor}&limit=5000")
    for k in feed:
        feed[k] += page.get(k, [])
    cursor = page["nextCursor"]
    if not page["hasMore"]:
        break
json.dump(feed, open(f"{out}/source.json", "w"))
for kind in ("Customer", "Invoice", "Payment"):
    json.dump(get(f"{sandbox}/sandbox/realms/{realm}/entities/{kind}")[kind], open(f"{out}/qbo-{kind}.json", "w"))
PY

# Stop both cleanly (their H2 files are then free), then read the files.
stop_jvm "$APP_PID" 60; APP_PID=""
stop_jvm "$SANDBOX_PID" 30; SANDBOX_PID=""
H2="$DATA/h2.jar"
extract_h2 "$H2"
h2_sql "$H2" "jdbc:h2:file:$DATA/sync-store" sa "CALL CSVWRITE('$REPORT/sync_record.csv', 'SELECT id, entity_type, source_id, status, qbo_id, qbo_doc_number, matched_by, request_id, request_intent, request_version, attempts, fault_code, fault_message, depends_on, created_at, updated_at, synced_at FROM sync_record ORDER BY id', 'charset=UTF-8')" >>"$REPORT/h2-shell.log" 2>&1 || true
h2_sql "$H2" "jdbc:h2:file:$DATA/sandbox/qbo-sandbox" sandbox "CALL CSVWRITE('$REPORT/request_log.csv', 'SELECT realm_id, request_id, status, created_ms, body FROM request_log ORDER BY created_ms', 'charset=UTF-8')" >>"$REPORT/h2-shell.log" 2>&1 || true
for f in sync_record request_log; do
  [ -s "$REPORT/$f.csv" ] || { echo "could not export $f:" >&2; cat "$REPORT/h2-shell.log" >&2; }
done

SECONDS_RUN=$(python3 -c "print(f'{($T1 - $T0) / 1e9:.0f}')")
set +e
LINE=$(python3 - "$REPORT" "$REALM" "$DATA/app.log" "$DATA/sandbox.log" "$KILLS" "$SECONDS_RUN" "$SETTLED" <<'PY'
import collections, csv, datetime, json, re, sys
report, realm, app_log, sandbox_log, kills, seconds, settled = sys.argv[1:8]
csv.field_size_limit(1 << 30)
say = lambda *a: print(*a, file=sys.stderr)
feed = json.load(open(f"{report}/source.json"))
qbo = {k: json.load(open(f"{report}/qbo-{k}.json")) for k in ("Customer", "Invoice", "Payment")}
store = {(r["ENTITY_TYPE"], r["SOURCE_ID"]): r for r in csv.DictReader(open(f"{report}/sync_record.csv", encoding="utf-8"))}

# The sandbox's request log: every write sent with a requestid, its answer, and so the entity it wrote.
writes = collections.defaultdict(list)      # (entity, QBO Id) -> request_log rows that answered with it
requests = collections.defaultdict(list)    # requestid -> rows
for row in csv.DictReader(open(f"{report}/request_log.csv", encoding="utf-8")):
    if row["REALM_ID"] != realm:
        continue
    requests[row["REQUEST_ID"]].append(row)
    if row["STATUS"] != "200":
        continue
    try:
        body = json.loads(row["BODY"])
    except ValueError:
        continue
    for kind in ("Customer", "Invoice", "Payment"):
        if isinstance(body.get(kind), dict) and "Id" in body[kind]:
            writes[(kind, body[kind]["Id"])].append(row)
by_qbo_id = {k: {e["Id"]: e for e in v} for k, v in qbo.items()}
# Written by qbo-sync (not seeded): created by an API call with a requestid. Deleted transactions do not count.
ours = {k: [e for e in v if (k, e["Id"]) in writes and e.get("status") != "Deleted"] for k, v in qbo.items()}

def ms(v):
    return datetime.datetime.fromtimestamp(int(v) / 1000).strftime("%H:%M:%S.%f")[:-3]

# The sandbox logs (at DEBUG, see start_sandbox) each answer its fault injection drops, a few ms after the commit, with
# the path but not the requestid: a drop is tied to a write by time only.
dropped = []
for line in open(sandbox_log, encoding="utf-8", errors="replace"):
    m = re.match(r"(\d\d):(\d\d):(\d\d)\.(\d{3}) .*dropping the answer to (\S+) (\S+)", line)
    if m:
        h, mi, s, f = (int(x) for x in m.groups()[:4])
        dropped.append(((h * 3600 + mi * 60 + s) * 1000 + f, m.group(6), line.rstrip()))

def dropped_near(row, kind):
    t = datetime.datetime.fromtimestamp(int(row["CREATED_MS"]) / 1000)
    tod = (t.hour * 3600 + t.minute * 60 + t.second) * 1000 + t.microsecond // 1000
    return [l for (w, path, l) in dropped if -5 <= w - tod <= 30 and path.lower().endswith("/" + kind.lower())]

app_lines = open(app_log, encoding="utf-8", errors="replace").read().splitlines()
def app_mentions(source_id, limit=8):
    """The app's log lines naming the record, each with the start (1 = first run) it belongs to; the last few."""
    pattern = re.compile(r"(?<![\w-])" + re.escape(source_id) + r"(?![\w-])")
    run, hits = 0, []
    for line in app_lines:
        if line.startswith("===== chaos.sh: start "):
            run += 1
        elif source_id in line and pattern.search(line):
            hits.append(f"[start {run}] {line}")
    return hits[-limit:], len(hits)

COLS = ("STATUS", "QBO_ID", "MATCHED_BY", "REQUEST_ID", "REQUEST_INTENT", "REQUEST_VERSION", "ATTEMPTS", "FAULT_CODE",
        "CREATED_AT", "UPDATED_AT", "SYNCED_AT")
def describe(what, etype, source_id, kind, entities, extra_requests=()):
    row = store.get((etype, source_id))
    say(f"{what} {etype} {source_id}: QBO {kind} ids {[e['Id'] for e in entities] or 'none'}")
    if row is None:
        say("  sync_record: none")
    else:
        say("  sync_record: " + " ".join(f"{c.lower()}={row[c] or '-'}" for c in COLS)
            + (f" fault_message={row['FAULT_MESSAGE'][:200]!r}" if row["FAULT_MESSAGE"] else ""))
    linked = by_qbo_id[kind].get(row["QBO_ID"]) if row and row["QBO_ID"] else None
    if linked is not None and linked not in entities:
        entities = list(entities) + [linked]
    for e in entities:
        meta = e.get("MetaData", {})
        say(f"  QBO {kind} {e['Id']}{' (' + e['status'] + ')' if e.get('status') else ''}: created {meta.get('CreateTime')} updated {meta.get('LastUpdatedTime')}"
            f" SyncToken {e.get('SyncToken')} DocNumber {e.get('DocNumber')} PrivateNote {e.get('PrivateNote')!r}"
            f" DisplayName {e.get('DisplayName')!r}")
        for r in writes.get((kind, e["Id"]), []):
            say(f"    sandbox request_log: requestid={r['REQUEST_ID']} status={r['STATUS']} at {ms(r['CREATED_MS'])}")
            for l in dropped_near(r, kind):
                say(f"      sandbox log within 30 ms after that commit (matched by time only): {l}")
    rids = set(extra_requests) | ({row["REQUEST_ID"]} if row and row["REQUEST_ID"] else set())
    for rid in sorted(rids):
        for r in requests.get(rid, []):
            if not any(r is w for e in entities for w in writes.get((kind, e["Id"]), [])):
                say(f"  sandbox request_log for the store's requestid: requestid={rid} status={r['STATUS']} at {ms(r['CREATED_MS'])}"
                    f" body={r['BODY'][:300]}")
        if not requests.get(rid):
            say(f"  sandbox request_log: nothing for requestid {rid}")
    lines, n = app_mentions(source_id)
    say(f"  app.log: {n} line(s) name {source_id}" + (", the last ones:" if n else ""))
    for l in lines:
        say("    " + l[:400])

EXPLAINED = ("FAILED", "HELD", "SKIPPED")
lost = doubled = accounted = 0
by_doc = collections.defaultdict(list)
for e in ours["Invoice"]:
    by_doc[e.get("DocNumber")].append(e)
by_marker = collections.defaultdict(list)
for e in ours["Payment"]:
    by_marker[(e.get("PrivateNote") or "").split(" ")[0]].append(e)
for etype, kind, records, found in (("INVOICE", "Invoice", feed["invoices"], lambda r: by_doc.get(r["number"], [])),
                                    ("PAYMENT", "Payment", feed["payments"], lambda r: by_marker.get("qbo-sync:" + r["id"], []))):
    for r in records:
        row = store.get((etype, r["id"]))
        entities = found(r)
        status = row["STATUS"] if row else None
        expected = 0 if status in EXPLAINED else 1
        if len(entities) > expected:
            doubled += len(entities) - expected
            accounted += 1
            describe("DOUBLED", etype, r["id"], kind, entities)
        elif len(entities) < expected:
            lost += 1
            describe("LOST", etype, r["id"], kind, entities)
        elif status == "SYNCED" and row["QBO_ID"] not in [e["Id"] for e in entities]:
            lost += 1
            describe(f"LOST (the store's qbo_id {row['QBO_ID']} is not the QBO {kind} written for it)", etype, r["id"], kind, entities)
        else:
            accounted += 1
total = len(feed["invoices"]) + len(feed["payments"])

# Customers: one QBO customer per party record, or the one it was matched to.
cust_rows = [r for (t, _), r in store.items() if t == "CUSTOMER"]
pointed = collections.defaultdict(list)
for r in cust_rows:
    if r["QBO_ID"]:
        pointed[r["QBO_ID"]].append(r)
customers_doubled = 0
shared = 0
for qid, rows in sorted(pointed.items(), key=lambda kv: int(kv[0]) if kv[0].isdigit() else 0):
    if len(rows) < 2:
        continue
    # One QBO customer stands for one source party: two records linked to it (created or matched) is a double.
    shared += 1
    customers_doubled += len(rows) - 1
    say(f"DOUBLED CUSTOMER: QBO Customer {qid} is the customer of {len(rows)} records:")
    for r in rows:
        describe("  same QBO customer", "CUSTOMER", r["SOURCE_ID"], "Customer", [by_qbo_id["Customer"][qid]] if qid in by_qbo_id["Customer"] else [])
for e in ours["Customer"]:
    if e["Id"] in pointed:
        continue
    customers_doubled += 1
    rids = [w["REQUEST_ID"] for w in writes[("Customer", e["Id"])]]
    owners = [r for r in cust_rows if r["REQUEST_ID"] in rids]
    say(f"DOUBLED CUSTOMER: QBO Customer {e['Id']} {e.get('DisplayName')!r}"
        f" <{(e.get('PrimaryEmailAddr') or {}).get('Address', '')}> was written by qbo-sync (requestid {', '.join(rids)})"
        f" but no customer record points at it")
    if owners:
        for r in owners:
            pid = r["QBO_ID"]
            describe("  written for", "CUSTOMER", r["SOURCE_ID"], "Customer",
                     [x for x in (e, by_qbo_id["Customer"].get(pid)) if x])
    else:
        for w in writes[("Customer", e["Id"])]:
            say(f"  sandbox request_log: requestid={w['REQUEST_ID']} status={w['STATUS']} at {ms(w['CREATED_MS'])}"
                f" (no sync record has this requestid now)")
customers_lost = 0
for r in cust_rows:
    if r["STATUS"] == "SYNCED" and r["QBO_ID"] not in by_qbo_id["Customer"]:
        customers_lost += 1
        describe("LOST (its qbo_id is not a QBO customer)", "CUSTOMER", r["SOURCE_ID"], "Customer", [])
lost += customers_lost
doubled += customers_doubled
say(f"customers: {len(cust_rows)} records ({collections.Counter(r['STATUS'] for r in cust_rows)}), "
    f"{len(qbo['Customer'])} QBO customers of which {len(ours['Customer'])} written by qbo-sync, "
    f"{shared} shared by two or more records, {customers_lost} lost, {customers_doubled} doubled")
ok = lost == 0 and doubled == 0 and settled == "yes"
print(f"kills={kills} lost={lost} doubled={doubled} accounted={accounted}/{total} "
      f"customers_doubled={customers_doubled} seconds={seconds}" + ("" if settled == "yes" else " settled=no"))
sys.exit(0 if ok else 1)
PY
)
RC=$?
set -e
DONE=yes
if [ "$RC" -eq 0 ]; then
  KEEP=no
  echo "$LINE"
  exit 0
fi
# The check failed (or the report itself did): keep everything and say how to look at it.
{
  echo "check failed: data kept in $DATA"
  echo "  logs:         $DATA/app.log (one '===== chaos.sh: start N' line per start), $DATA/sandbox.log"
  echo "  exports:      $REPORT/sync_record.csv, request_log.csv, qbo-*.json, source.json"
  echo "  sync store:   java -cp $H2 org.h2.tools.Shell -url jdbc:h2:file:$DATA/sync-store -user sa -password ''"
  echo "                  e.g. -sql \"SELECT entity_type, status, COUNT(*) FROM sync_record GROUP BY 1, 2\""
  echo "  sandbox db:   java -cp $H2 org.h2.tools.Shell -url jdbc:h2:file:$DATA/sandbox/qbo-sandbox -user sandbox -password ''"
  echo "                  e.g. -sql \"SELECT request_id, status, created_ms FROM request_log WHERE request_id = '<sync_record.request_id>'\""
  echo "  sandbox live: java -jar $PWD/$SANDBOX_JAR --port=8089 --data-dir=$DATA/sandbox"
  echo "                  then curl -s localhost:8089/sandbox/realms/$REALM/entities/Invoice"
  echo "  app again:    java -jar $PWD/$JAR --qbosync.data-dir=$DATA --qbo.sandbox.enabled=false --qbo.sandbox.external-url=http://127.0.0.1:8089 --source.sample.records=$RECORDS"
  echo "                  (with the sandbox above; curl -u $AUTH localhost:8080/api/records?status=FAILED)"
} >&2
echo "${LINE:-kills=$KILLS report=failed} data=$DATA"
exit 1
