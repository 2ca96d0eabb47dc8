#!/usr/bin/env bash
# Several nodes on one PostgreSQL and one broker, as in production: does throughput add up? Two runs, each on fresh
# state (a new PostgreSQL schema, a new external Artemis instance, a new sandbox company set, a new sample source):
# first one node, then K nodes (default 2), everything else equal. Called by `bench/run.sh --nodes K`.
#
#   bench/nodes.sh [--nodes K] [--realms R] [--invoices I] [--minutes M] [--consumers C] [--latency-ms L]
#
# Each run: the sample source as its own process with R chapters (C001 …) and 2.35 × R × I records (default 20
# companies × 400 invoices, with their customers and payments); the QBO sandbox as its own process, enforcing QBO's
# limits on every company (500 requests in any sliding minute, 10 in flight, L ms per call, default 150); PostgreSQL
# from .ci/start-postgres.sh; Artemis from the distribution archive the build unpacks, with docker/artemis/broker.properties;
# the nodes on the external-broker profile, the file-lock cluster service on a shared folder (one polls, all push),
# the governor on its defaults and shared through the database (each node takes its share of every company's budget).
# C consumers per queue on each node (default 2). With L ms per call, a node's consumers are what bound it, not its
# CPU: on this 2-core machine, where the nodes, the sandbox, the broker and the database share two cores, that is the
# only way a second node can show whether anything shared (the store, the broker, the poller, the governor) holds the
# other back. The R companies' ceilings (R × 500 requests a minute) stay well above what the nodes ask.
# After a 60 s warm-up from the first poll, each run measures M whole minutes (default 2): records that reached an
# end (SYNCED, SKIPPED, FAILED) per second, every node's CPU over them, the sandbox's accepted requests and 429s; on
# stderr also the cores each node, the sandbox and the whole machine used, and the records each node pushed.
# Last line: nodes=… realms=… one_node_records_per_s=… records_per_s=… scale_ratio=… (K nodes against one)
#            engine_cpu_ms_per_record=… (all K nodes together) qbo_requests_per_record=… min_ceiling_fraction=…
#            throttled=… (both runs) saturated=… (records still pending or held at the end of both runs)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

NODES=2
REALMS=20
INVOICES=400
MINUTES=2
CONSUMERS=2
LATENCY=150
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) NODES="$2"; shift 2 ;;
    --realms) REALMS="$2"; shift 2 ;;
    --invoices) INVOICES="$2"; shift 2 ;;
    --minutes) MINUTES="$2"; shift 2 ;;
    --consumers) CONSUMERS="$2"; shift 2 ;;
    --latency-ms) LATENCY="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$NODES" -ge 2 ] || { echo "--nodes must be at least 2 (the one-node run is the baseline)" >&2; exit 2; }
RECORDS=$(( REALMS * INVOICES * 47 / 20 ))

ensure_jar
ARTEMIS_HOME=$(ls -d src/qbo-sync-demo/target/artemis/apache-artemis-* 2>/dev/null | head -1)
[ -n "$ARTEMIS_HOME" ] || { echo "no Artemis distribution under src/qbo-sync-demo/target/artemis: run mvn -DskipTests package" >&2; exit 1; }

pg_start

DATA=$(mktemp -d /tmp/qbo-sync-nodes.XXXXXX)
AUTH="admin:${QBOSYNC_ADMIN_PASSWORD:-admin}"
# The nodes share the token key: a company's tokens are written by one node and read by the others.
CRYPTO_KEY=$(python3 -c 'import base64,os; print(base64.b64encode(os.urandom(32)).decode())')
PIDS=()
SCHEMAS=()

stop_run() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}
cleanup() {
  stop_run
  local s
  for s in "${SCHEMAS[@]}"; do pg "DROP SCHEMA IF EXISTS $s CASCADE" 2>/dev/null || true; done
  rm -rf "$DATA"
}
trap cleanup EXIT

chapter_mapping "$REALMS" >"$DATA/realms.yaml"

# start_broker DIR: a new Artemis instance in DIR (loopback, login required, the shipped settings); sets BROKER_URL.
start_broker() {
  local dir=$1 port
  port=$(free_port)
  sh "$ARTEMIS_HOME/bin/artemis" create --user qbosync --password bench-broker --require-login --silent \
    --host 127.0.0.1 --default-port "$port" --no-web --no-amqp-acceptor --no-mqtt-acceptor --no-stomp-acceptor \
    --no-hornetq-acceptor --no-autotune --no-fsync "$dir" >"$dir.create.log" 2>&1
  # The shipped settings, and the host's disk level must not refuse first (as in the tests' ExternalArtemis).
  { cat docker/artemis/broker.properties; echo "maxDiskUsage=100"; } >"$dir/etc/broker.properties"
  sed -i -E 's/-Xms[0-9]+[MG]/-Xms64M/; s/-Xmx[0-9]+[MG]/-Xmx512M/' "$dir/etc/artemis.profile"
  sh "$dir/bin/artemis" run >"$dir.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && { BROKER_URL="tcp://127.0.0.1:$port"; return 0; }
    sleep 0.2
  done
  echo "Artemis did not listen on $port; see $dir.log" >&2; return 1
}

# start_node RUN N: node N of run RUN; sets NODE_PID and NODE_PORT once its HTTP API answers.
start_node() {
  local run=$1 n=$2 dir="$DATA/run$1/node$2" port mgmt
  mkdir -p "$dir"
  port=$(free_port); mgmt=$(free_port)
  java -jar "$JAR" --spring.profiles.active=external-broker \
    --ARTEMIS_URL="$BROKER_URL" --ARTEMIS_USER=qbosync --ARTEMIS_PASSWORD=bench-broker \
    $(pg_app_args "$SCHEMA") \
    --qbosync.data-dir="$dir" --server.port="$port" --management.server.port="$mgmt" \
    --qbo.sandbox.enabled=false --qbo.sandbox.external-url="$SANDBOX" \
    --source.sample.enabled=false --source.base-url="$SOURCE" \
    --qbosync.cluster.service=file --qbosync.cluster.file.root="$DATA/run$run/cluster" \
    --sync.mappings.file="routes/mappings/qbo-mappings.yaml,$DATA/realms.yaml" \
    --sync.jms.concurrent-consumers="$CONSUMERS" --sync.poll.page-size=2000 \
    --sync.poll.start-delay-ms=86400000 --sync.poll.interval-ms=86400000 \
    --qbosync.crypto.key="$CRYPTO_KEY" >"$dir/app.log" 2>&1 &
  NODE_PID=$!; NODE_PORT=$port
  PIDS+=("$NODE_PID")
  for _ in $(seq 1 2400); do
    curl -sf -u "$AUTH" "http://127.0.0.1:$port/api/sync/status" >/dev/null && return 0
    kill -0 "$NODE_PID" 2>/dev/null || { echo "node $n died; see log:" >&2; tail -50 "$dir/app.log" >&2; return 1; }
    sleep 0.25
  done
  echo "node $n did not start; see $dir/app.log" >&2; return 1
}

# run_nodes K: one measured run with K nodes (in this shell, so that the trap stops what it started); writes to
# $DATA/runK/result "records_per_s engine_cpu_ms_per_record qbo_requests_per_record min_ceiling_fraction throttled pending".
run_nodes() {
  local k=$1 dir="$DATA/run$1" n s ports=() pids=()
  mkdir -p "$dir/cluster"
  SCHEMA="bench_nodes_$(date +%s)_$k"; SCHEMAS+=("$SCHEMA")
  pg "CREATE SCHEMA $SCHEMA"
  start_broker "$dir/broker"
  local sandbox_port source_port
  sandbox_port=$(free_port)
  start_sandbox "$sandbox_port" "$dir/sandbox" "$dir/sandbox.log" --threads=$(( k * CONSUMERS * 3 + 16 ))
  PIDS+=("$SANDBOX_PID")
  SANDBOX="http://127.0.0.1:$sandbox_port"
  source_port=$(free_port)
  java -jar "$SOURCE_JAR" --port="$source_port" --data-dir="$dir/source" --records="$RECORDS" --chapters="$REALMS" \
    >"$dir/source.log" 2>&1 &
  PIDS+=($!)
  SOURCE="http://127.0.0.1:$source_port"
  for _ in $(seq 1 300); do curl -sf "$SOURCE/sample/stats" >/dev/null && break; sleep 0.2; done
  # The first node provisions the R sandbox companies and keeps their tokens in the shared store; the others find them.
  for n in $(seq 1 "$k"); do
    start_node "$k" "$n"; ports+=("$NODE_PORT"); pids+=("$NODE_PID")
  done
  curl -sf "$SANDBOX/sandbox/realms" | python3 -c 'import json,sys; [print(r["realmId"]) for r in json.load(sys.stdin)["realms"]]' >"$dir/realm-ids"
  [ "$(wc -l <"$dir/realm-ids")" -eq "$REALMS" ] || { echo "expected $REALMS sandbox companies, found $(wc -l <"$dir/realm-ids")" >&2; return 1; }
  enforce_qbo_limits "$SANDBOX" "$dir/realm-ids" "$LATENCY"
  status() { curl -sf -u "$AUTH" "http://127.0.0.1:${ports[0]}/api/sync/status" || true; }
  # Each node's CPU ticks, then the machine's busy and total ticks (/proc/stat: all but idle and iowait).
  cpu_each() { local p; for p in "${pids[@]}"; do printf '%s ' "$(cpu_ticks "$p")"; done; echo; }
  machine_ticks() { awk '/^cpu /{t=0; for (i=2;i<=NF;i++) t+=$i; print t-$5-$6, t}' /proc/stat; }

  # Only the node holding the poll lock polls on demand (a passive one answers 409): ask each in turn.
  local polled=""
  for _ in $(seq 1 60); do
    for s in "${ports[@]}"; do
      curl -sf -o /dev/null -u "$AUTH" -X POST "http://127.0.0.1:$s/api/sync/poll" && { polled=$s; break 2; }
    done
    sleep 0.5
  done
  [ -n "$polled" ] || { echo "no node accepted the poll" >&2; return 1; }
  T0=$(date +%s%N)
  echo "$k node(s), $REALMS companies × $INVOICES invoices ($RECORDS source records), $CONSUMERS consumers per queue per node, ${LATENCY} ms per call: first poll sent (node on port $polled); $MINUTES min measured after a 60 s warm-up" >&2
  sleep_until 60
  realm_counters "$SANDBOX" "$dir/realm-ids" >"$dir/c0"
  local done0 done1 pending w0 w1 scpu0 scpu1 each0 each1 mach0 mach1
  read -r done0 _ < <(status | store_progress)
  w0=$(date +%s%N); each0=$(cpu_each); scpu0=$(cpu_ticks "$SANDBOX_PID"); mach0=$(machine_ticks)
  for m in $(seq 1 "$MINUTES"); do
    sleep_until $((60 + 60 * m))
    for s in "${pids[@]}"; do kill -0 "$s" 2>/dev/null || { echo "a node died; see $dir" >&2; return 1; }; done
    echo "  minute $m: $(status | store_progress | awk '{print $1" records done, "$2" pending or held"}')" >&2
  done
  w1=$(date +%s%N); each1=$(cpu_each); scpu1=$(cpu_ticks "$SANDBOX_PID"); mach1=$(machine_ticks)
  realm_counters "$SANDBOX" "$dir/realm-ids" >"$dir/c1"
  read -r done1 pending < <(status | store_progress)
  # Where the CPU went: each node (and the records it pushed over the whole run, from its log), the sandbox, the machine.
  python3 - "$each0" "$each1" "$scpu0" "$scpu1" "$mach0" "$mach1" "$w0" "$w1" "$(getconf CLK_TCK)" \
    "$(for n in $(seq 1 "$k"); do printf '%s ' "$(grep -c 'Synced ' "$dir/node$n/app.log" || true)"; done)" >&2 <<'PY'
import sys
e0, e1 = ([int(x) for x in a.split()] for a in sys.argv[1:3])
s0, s1 = int(sys.argv[3]), int(sys.argv[4])
(b0, t0), (b1, t1) = ([int(x) for x in a.split()] for a in sys.argv[5:7])
secs, tck = (int(sys.argv[8]) - int(sys.argv[7])) / 1e9, int(sys.argv[9])
pushed = sys.argv[10].split()
nodes = " ".join(f"node{i + 1}={(b - a) / tck / secs:.2f} (pushed {p} over the run)" for i, (a, b, p) in enumerate(zip(e0, e1, pushed)))
print(f"  cores used over the window: {nodes}, sandbox={(s1 - s0) / tck / secs:.2f}; machine busy {100 * (b1 - b0) / (t1 - t0):.0f} %")
PY
  echo "  store: $(status)" >&2
  stop_run
  python3 - "$dir/c0" "$dir/c1" "$done0" "$done1" "$pending" "$w0" "$w1" "$MINUTES" "$(getconf CLK_TCK)" "$each0" "$each1" \
    >"$dir/result" <<'PY'
import sys
c0 = [tuple(map(int, l.split())) for l in open(sys.argv[1])]
c1 = [tuple(map(int, l.split())) for l in open(sys.argv[2])]
done0, done1, pending, w0, w1, minutes, tck = (int(x) for x in sys.argv[3:10])
cpu0, cpu1 = (sum(int(x) for x in a.split()) for a in sys.argv[10:12])
records = max(done1 - done0, 1)
accepted = sum(b[0] - a[0] for a, b in zip(c0, c1))
fractions = [(b[0] - a[0]) / (500 * minutes) for a, b in zip(c0, c1)]
print(f"{records / ((w1 - w0) / 1e9):.1f} {(cpu1 - cpu0) * 1000 / tck / records:.3f} {accepted / records:.2f} "
      f"{min(fractions):.3f} {sum(b[1] for b in c1)} {pending}")
PY
}


run_nodes 1
read -r R1 CPU1 REQ1 MIN1 THR1 PEND1 <"$DATA/run1/result"
echo "1 node: records_per_s=$R1 engine_cpu_ms_per_record=$CPU1 qbo_requests_per_record=$REQ1 throttled=$THR1 pending_at_end=$PEND1" >&2
run_nodes "$NODES"
read -r RK CPUK REQK MINK THRK PENDK <"$DATA/run$NODES/result"
echo "$NODES nodes: records_per_s=$RK engine_cpu_ms_per_record=$CPUK qbo_requests_per_record=$REQK throttled=$THRK pending_at_end=$PENDK" >&2
python3 - "$NODES" "$REALMS" "$R1" "$RK" "$CPUK" "$REQK" "$MINK" "$THR1" "$THRK" "$PEND1" "$PENDK" <<'PY'
import sys
nodes, realms = sys.argv[1], sys.argv[2]
r1, rk, cpu, req, minf = (float(x) for x in sys.argv[3:8])
thr = int(sys.argv[8]) + int(sys.argv[9])
saturated = "yes" if int(sys.argv[10]) > 0 and int(sys.argv[11]) > 0 else "no"
print(f"nodes={nodes} realms={realms} one_node_records_per_s={r1:.0f} records_per_s={rk:.0f} scale_ratio={rk / r1:.2f} "
      f"engine_cpu_ms_per_record={cpu:.3f} qbo_requests_per_record={req:.2f} min_ceiling_fraction={minf:.3f} "
      f"throttled={thr} saturated={saturated}")
PY
