#!/usr/bin/env bash
# run-fault-tests.sh - netready under faults (issue 6): the portal killed with -9 in the middle of uploads,
# PostgreSQL stopped during uploads, and a pg_dump backup restored into an empty database. As root, one machine.
#
# Usage:  bash src/test/faults/run-fault-tests.sh        (FAULTS_SKIP_BUILD=1: use target/quarkus-app as it is)
#
# What it starts, all of it stopped again at the end (on failure too):
#   - a private PostgreSQL (Debian's server binaries, initdb in a temp directory, port 5544, run as postgres)
#   - the PACKAGED portal (./mvnw -Dprod package; java -jar target/quarkus-app/quarkus-run.jar) on 127.0.0.1:8090
#     with a bootstrap cluster and upload token; no login provider is needed for uploads
#   - four curl uploaders, each sending real probe reports (this machine's, made by the probe once) with fresh
#     report ids; every answer is written down as "<report id> <HTTP status>"
#   - the real probe, with its own spool directory, while PostgreSQL is down
# What it checks (each check prints one line; any failure fails the run):
#   1. kill -9 of the portal during uploads: after a restart every acknowledged report is stored, no report is
#      partial, and re-sending every unanswered report stores each exactly once (200 = it had been stored)
#   2. PostgreSQL stopped during uploads: 503 with Retry-After and a problem+json body without internals; the
#      probe keeps its report in its spool; after PostgreSQL is back the uploaders recover on their own, the
#      spooled report arrives once with the probe's next run, the portal's log has no stack trace
#   3. backup and restore (the README's commands): pg_dump -Fc, a new empty database, pg_restore, the portal on the
#      restored database: same reports, sections, findings, audit trail; the audit trail is still append-only;
#      uploads go on (a known report answers 200, a new one 201)
#   4. the probe against a portal that cannot be reached (nothing listens) and one that never answers (a listener
#      that accepts and stays silent): it gives up within its bound, exits non-zero and keeps its report
# Figures go to target/faults/summary.txt (the README quotes them). Logs: target/faults/.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
OUT=$ROOT/target/faults
PG_PORT=5544
PORTAL_PORT=8090
URL=http://127.0.0.1:$PORTAL_PORT
DB=netready_faults
TOKEN=nrt_faults-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
# The production portal refuses to start without its secrets or with known ones (issue 15): random ones per run.
random_secret() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
DB_PASSWORD=$(random_secret)
SESSION_SECRET=$(random_secret)
OIDC_CLIENT_SECRET=$(random_secret)
UPLOADERS=4
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
PGDATA_ROOT=
PORTAL_PID=
failures=0

log() { printf '[faults %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[faults] ERROR: %s\n' "$*" >&2; exit 1; }
check() { # check <description> <command...>: prints ok/FAILED, counts failures
    local what=$1
    shift
    if "$@"; then
        printf '  ok      %s\n' "$what"
    else
        printf '  FAILED  %s\n' "$what"
        failures=$((failures + 1))
    fi
}
figure() { printf '%s\n' "$*" | tee -a "$OUT/summary.txt"; }

psql_db() { runuser -u postgres -- "$PGBIN/psql" -h "$PGDATA_ROOT/sock" -p $PG_PORT -X -q -v ON_ERROR_STOP=1 "$@"; }
sql() { psql_db -d "$DB" -tAc "$1"; }

# ------------------------------------------------------------------ set-up

packages() {
    local missing=()
    command -v curl >/dev/null || missing+=(curl)
    [ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] || missing+=(postgresql)
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
        PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    fi
}

build_portal() {
    if [ "${FAULTS_SKIP_BUILD:-}" = 1 ] && [ -f "$ROOT/target/quarkus-app/quarkus-run.jar" ]; then
        return 0
    fi
    log "building the portal: ./mvnw -B -q -Dprod -DskipTests package"
    rm -rf "$ROOT/target/quarkus-app"
    (cd "$ROOT" && ./mvnw -B -q -Dprod -DskipTests package) >"$OUT/build.log" 2>&1 ||
        { tail -40 "$OUT/build.log" >&2; die "portal build failed (see $OUT/build.log)"; }
}

start_postgres() {
    if [ -z "$PGDATA_ROOT" ]; then
        PGDATA_ROOT=$(mktemp -d /tmp/netready-faults-pg.XXXXXX)
        mkdir -p "$PGDATA_ROOT/sock"
        chown -R postgres: "$PGDATA_ROOT"
        runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA_ROOT/data" -U postgres --auth=trust -E UTF8 \
            >"$OUT/initdb.log" 2>&1 || die "initdb failed (see $OUT/initdb.log)"
    fi
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA_ROOT/data" -w -l "$PGDATA_ROOT/postgres.log" \
        -o "-p $PG_PORT -k $PGDATA_ROOT/sock -c listen_addresses=127.0.0.1" start >/dev/null
}

stop_postgres() { # stop_postgres [mode]: fast by default, immediate = as if it crashed
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA_ROOT/data" -m "${1:-fast}" -w stop >/dev/null 2>&1 || true
}

fresh_database() {
    psql_db -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
    psql_db -d postgres -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'netready') THEN
        CREATE ROLE netready LOGIN; END IF; END \$\$"
    psql_db -d postgres -c "ALTER ROLE netready LOGIN PASSWORD '$DB_PASSWORD'"
    psql_db -d postgres -c "CREATE DATABASE $DB OWNER netready"
}

start_portal() { # start_portal <log name>
    local log_file=$OUT/$1.log i
    env QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/$DB" \
        QUARKUS_DATASOURCE_USERNAME=netready QUARKUS_DATASOURCE_PASSWORD="$DB_PASSWORD" \
        NETREADY_OIDC_URL=http://127.0.0.1:9/realms/none NETREADY_OIDC_CLIENT_SECRET="$OIDC_CLIENT_SECRET" \
        NETREADY_SESSION_SECRET="$SESSION_SECRET" \
        NETREADY_PUBLIC_URL="$URL" \
        NETREADY_BOOTSTRAP_CLUSTER=faults NETREADY_BOOTSTRAP_TEAM=platform NETREADY_BOOTSTRAP_TOKEN="$TOKEN" \
        setsid java -Xmx512m -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=$PORTAL_PORT \
        -jar "$ROOT/target/quarkus-app/quarkus-run.jar" </dev/null >"$log_file" 2>&1 &
    PORTAL_PID=$!
    for i in $(seq 1 120); do
        if curl -fsS -o /dev/null "$URL/q/health/ready" 2>/dev/null; then
            return 0
        fi
        kill -0 "$PORTAL_PID" 2>/dev/null || { tail -30 "$log_file" >&2; die "the portal exited (see $log_file)"; }
        sleep 1
    done
    die "the portal did not become ready in 120 s (see $log_file)"
}

kill_portal() { # kill_portal [signal]
    [ -n "$PORTAL_PID" ] || return 0
    kill "-${1:-TERM}" "$PORTAL_PID" 2>/dev/null || true
    wait "$PORTAL_PID" 2>/dev/null || true
    PORTAL_PID=
}

cleanup() {
    stop_uploaders
    kill_portal TERM
    if [ -n "$PGDATA_ROOT" ]; then
        stop_postgres fast
        rm -rf "$PGDATA_ROOT"
    fi
}

# ------------------------------------------------------------------ uploads

# A real report of this machine, made once by the probe; uploads differ only in their report id.
make_base_report() {
    sh "$ROOT/src/main/resources/probe/netready-probe.sh" --quiet --role worker --phase running --output "$OUT/base.json"
    grep -q '"reportId": "' "$OUT/base.json" || die "the probe's report has no reportId line"
}

# upload <report id> <answer file>: sends the base report under that id; prints the HTTP status (000: no answer)
upload() {
    sed "s/\"reportId\": \"[^\"]*\"/\"reportId\": \"$1\"/" "$OUT/base.json" |
        curl -s -o "$2" -w '%{http_code}' --connect-timeout 5 --max-time 30 -X POST \
            -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data-binary @- \
            "$URL/api/v1/reports" || true
}

uploader() { # uploader <n> <phase>: uploads until $OUT/stop exists; one line per upload in uploads-<phase>-<n>.log
    local n=$1 phase=$2 i=0 id code
    while [ ! -e "$OUT/stop" ]; do
        i=$((i + 1))
        id=$(printf '%s-u%s-%06d' "$phase" "$n" "$i")
        code=$(upload "$id" "$OUT/answer-$phase-$n.json")
        printf '%s %s\n' "$id" "$code" >>"$OUT/uploads-$phase-$n.log"
        # like a real client: no answer or 503 -> wait a little before the next one
        case $code in 000 | 503) sleep 1 ;; esac
    done
}

UPLOADER_PIDS=()
start_uploaders() { # start_uploaders <phase>
    rm -f "$OUT/stop"
    for n in $(seq 1 $UPLOADERS); do
        uploader "$n" "$1" &
        UPLOADER_PIDS+=($!)
    done
}

stop_uploaders() {
    touch "$OUT/stop"
    for pid in "${UPLOADER_PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    UPLOADER_PIDS=()
}

acknowledged() { cat "$OUT"/uploads-"$1"-*.log | awk '$2 == 200 || $2 == 201 { print $1 }' | sort -u; }
unanswered() { cat "$OUT"/uploads-"$1"-*.log | awk '$2 != 200 && $2 != 201 { print $1 }' | sort -u; }
attempted() { cat "$OUT"/uploads-"$1"-*.log | awk '{ print $1 }' | sort -u; }
count_status() { cat "$OUT"/uploads-"$1"-*.log | awk -v s="$2" '$2 == s' | wc -l; }
stored_like() { sql "SELECT probe_report_id FROM report WHERE probe_report_id LIKE '$1-%' ORDER BY 1"; }

# Re-sends every report that got no answer (the probe does the same from its spool); prints "<201s> <200s> <other>"
resend_unanswered() {
    local phase=$1 created=0 known=0 other=0 id code
    while read -r id; do
        [ -n "$id" ] || continue
        code=$(upload "$id" "$OUT/resend.json")
        case $code in
            201) created=$((created + 1)) ;;
            200) known=$((known + 1)) ;;
            *) other=$((other + 1)); echo "resend of $id: HTTP $code" >>"$OUT/resend-errors.log" ;;
        esac
    done < <(unanswered "$phase")
    echo "$created $known $other"
}

# Nothing half-stored: every report has its findings, its verdict, all its section contents and an identity row
# for its node, and every node points at one of its own reports.
no_partial_reports() {
    local bad
    bad=$(sql "
        SELECT count(*) FROM report r
        WHERE r.findings_hash IS NULL OR r.verdict = 'unknown'
           OR NOT EXISTS (SELECT 1 FROM finding_set f WHERE f.hash = r.findings_hash)
           OR EXISTS (SELECT 1 FROM jsonb_each_text(r.sections) s
                      WHERE NOT EXISTS (SELECT 1 FROM section_content c WHERE c.hash = decode(s.value, 'hex')))
           OR NOT EXISTS (SELECT 1 FROM node_identity i WHERE i.node_id = r.node_id)")
    bad=$((bad + $(sql "SELECT count(*) FROM node n WHERE n.last_report_id IS NULL
        OR NOT EXISTS (SELECT 1 FROM report r WHERE r.id = n.last_report_id AND r.node_id = n.id)")))
    [ "$bad" -eq 0 ] || echo "    $bad partial reports or nodes" >&2
    [ "$bad" -eq 0 ]
}

no_stack_traces() { # no_stack_traces <log file>
    ! grep -E -q $'^\tat |^\\s+at [a-z]+\\.|Caused by: ' "$1"
}

# ------------------------------------------------------------------ 1. kill -9 of the portal during uploads

portal_killed() {
    log "1. kill -9 of the portal in the middle of uploads"
    start_uploaders kill
    sleep 8
    local before
    before=$(acknowledged kill | wc -l)
    log "   $before reports acknowledged; kill -9 of the portal (pid $PORTAL_PID) while $UPLOADERS uploads are in flight"
    kill_portal KILL
    sleep 3
    start_portal portal-after-kill
    log "   portal restarted; uploads go on for 5 s"
    sleep 5
    stop_uploaders
    local acked unanswered_before resend created known other lost extra
    acked=$(acknowledged kill | wc -l)
    unanswered_before=$(unanswered kill | wc -l)
    # acknowledged before the resend must all be stored now
    lost=$(comm -23 <(acknowledged kill) <(stored_like kill) | wc -l)
    resend=$(resend_unanswered kill)
    read -r created known other <<<"$resend"
    extra=$(comm -13 <(attempted kill) <(stored_like kill) | wc -l)
    check "every report acknowledged before or after the kill is stored ($acked acknowledged, $lost missing)" \
        test "$lost" -eq 0
    check "re-sending the $unanswered_before unanswered reports: $created stored now (201), $known had been stored (200), $other failed" \
        test "$other" -eq 0
    check "stored = attempted, each once ($(stored_like kill | wc -l) stored, $(attempted kill | wc -l) attempted, $extra unknown)" \
        test "$(stored_like kill | wc -l)" -eq "$(attempted kill | wc -l)" -a "$extra" -eq 0
    check "no partial report after the kill" no_partial_reports
    figure "kill -9 of the portal during $UPLOADERS concurrent uploads: $acked acknowledged, all stored; $unanswered_before unanswered (in flight at the kill or sent while it was down), re-sent: $created new, $known already stored (answer lost), 0 partial rows"
}

# ------------------------------------------------------------------ 2. PostgreSQL stopped during uploads

postgres_stopped() {
    log "2. PostgreSQL stopped during uploads"
    local spool=$OUT/probe-spool started code headers
    rm -rf "$spool"
    mkdir -p "$spool"
    start_uploaders pgdown
    sleep 4
    log "   stopping PostgreSQL (immediate: as if it crashed)"
    stop_postgres immediate
    started=$(date +%s)
    sleep 2
    headers=$(curl -s -D - -o "$OUT/answer-db-down.json" -X POST -H "Authorization: Bearer $TOKEN" \
        -H 'Content-Type: application/json' --data-binary @"$OUT/base.json" "$URL/api/v1/reports" | tr -d '\r')
    code=$(printf '%s\n' "$headers" | awk 'NR == 1 { print $2 }')
    check "an upload while PostgreSQL is down answers 503 (got $code)" test "$code" = 503
    check "with Retry-After ($(printf '%s\n' "$headers" | grep -i '^retry-after:' | tr -d '\n'))" \
        grep -q -i '^retry-after: [0-9]' <<<"$headers"
    check "as application/problem+json" grep -q -i '^content-type: application/problem+json' <<<"$headers"
    check "whose body names no internals" \
        bash -c "! grep -E -q 'Exception|org\\.postgresql|\\bat [a-z]+\\.|SQL' '$OUT/answer-db-down.json'"
    log "   the probe runs while PostgreSQL stays down (it retries within its 90 s bound, then keeps the report)"
    NETREADY_SPOOL_DIR=$spool sh "$ROOT/src/main/resources/probe/netready-probe.sh" --server "$URL" --token "$TOKEN" \
        --role worker --phase running >"$OUT/probe-db-down.log" 2>&1 && code=0 || code=$?
    local spooled
    spooled=$(find "$spool" -maxdepth 1 -name 'netready-report-*.json' | head -1)
    check "the probe gave up with an error (exit $code) after $(($(date +%s) - started)) s" test "$code" -ne 0
    check "and kept its report in its spool (${spooled##*/})" test -n "$spooled"
    local spooled_id
    spooled_id=$(sed -n 's/.*"reportId": "\([^"]*\)".*/\1/p' "$spooled" | head -1)
    local down_seconds=$(($(date +%s) - started))
    log "   starting PostgreSQL again after $down_seconds s down"
    start_postgres
    sleep 8
    stop_uploaders
    local during_503 recovered
    during_503=$(count_status pgdown 503)
    recovered=$(tail -q -n 3 "$OUT"/uploads-pgdown-*.log | awk '$2 == 201' | wc -l)
    check "uploaders got 503 while PostgreSQL was down ($during_503 answers) and 201 again after, without a portal restart" \
        test "$during_503" -gt 0 -a "$recovered" -eq $((UPLOADERS * 3))
    NETREADY_SPOOL_DIR=$spool sh "$ROOT/src/main/resources/probe/netready-probe.sh" --server "$URL" --token "$TOKEN" \
        --role worker --phase running >"$OUT/probe-after.log" 2>&1 && code=0 || code=$?
    check "the probe's next run succeeds (exit $code) and empties its spool" \
        test "$code" -eq 0 -a -z "$(find "$spool" -maxdepth 1 -name 'netready-report-*.json')"
    check "the spooled report $spooled_id is stored, once" \
        test "$(sql "SELECT count(*) FROM report WHERE probe_report_id = '$spooled_id'")" -eq 1
    local resend created known other lost
    lost=$(comm -23 <(acknowledged pgdown) <(stored_like pgdown) | wc -l)
    resend=$(resend_unanswered pgdown)
    read -r created known other <<<"$resend"
    # A commit that reached the disk just before the crash is answered 503 (its outcome was unknown to the portal);
    # re-sent, it answers 200: stored once. Hence re-sending is how probes and uploaders resolve a 503.
    check "every acknowledged upload is stored ($lost missing); the refused ones re-sent: $created new, $known stored at the crash (in doubt, 200 now), $other failed" \
        test "$lost" -eq 0 -a "$other" -eq 0
    check "stored = attempted, each once ($(stored_like pgdown | wc -l) stored, $(attempted pgdown | wc -l) attempted)" \
        test "$(stored_like pgdown | wc -l)" -eq "$(attempted pgdown | wc -l)"
    check "no partial report after PostgreSQL's crash" no_partial_reports
    check "no stack trace in the portal's log" no_stack_traces "$OUT/portal-after-kill.log"
    figure "PostgreSQL crashed (pg_ctl stop -m immediate) for $down_seconds s during uploads: $during_503 uploads answered 503 + Retry-After (problem+json; $known of them had committed just before the crash and answered 200 when re-sent, stored once), the probe kept its report and sent it once on its next run, uploads recovered without a restart, 0 lost, 0 partial rows, 0 stack traces in the log"
}

# ------------------------------------------------------------------ 3. backup and restore

fingerprint() {
    sql "SELECT (SELECT count(*) FROM report) || ' reports, ' || (SELECT count(*) FROM section_content) || ' section contents, '
        || (SELECT count(*) FROM finding_set) || ' finding sets, ' || (SELECT count(*) FROM audit_event) || ' audit events, '
        || (SELECT count(*) FROM upload_token) || ' tokens; '
        || md5((SELECT string_agg(probe_report_id || encode(content_hash, 'hex') || verdict || coalesce(encode(findings_hash, 'hex'), ''), ',' ORDER BY id) FROM report)
            || (SELECT string_agg(encode(hash, 'hex') || md5(output), ',' ORDER BY hash) FROM section_content)
            || (SELECT string_agg(id || actor || action || coalesce(detail, ''), ',' ORDER BY id) FROM audit_event))"
}

backup_restore() {
    log "3. backup with pg_dump, restore into an empty database"
    local before after dump=$OUT/netready.dump size code
    kill_portal TERM
    before=$(fingerprint)
    # The README's commands, with this run's connection
    runuser -u postgres -- "$PGBIN/pg_dump" -h "$PGDATA_ROOT/sock" -p $PG_PORT --format=custom --no-owner \
        --file="$PGDATA_ROOT/netready.dump" "$DB"
    cp "$PGDATA_ROOT/netready.dump" "$dump"
    size=$(stat -c %s "$dump")
    psql_db -d postgres -c "DROP DATABASE $DB WITH (FORCE)"
    psql_db -d postgres -c "CREATE DATABASE $DB OWNER netready"
    runuser -u postgres -- "$PGBIN/pg_restore" -h "$PGDATA_ROOT/sock" -p $PG_PORT --no-owner --role=netready \
        --exit-on-error --dbname="$DB" "$PGDATA_ROOT/netready.dump"
    after=$(fingerprint)
    check "the restored database has the same content ($after)" test "$before" = "$after"
    check "the audit trail is still append-only after the restore" \
        bash -c "! runuser -u postgres -- '$PGBIN/psql' -h '$PGDATA_ROOT/sock' -p $PG_PORT -X -q -d $DB \
            -c 'UPDATE audit_event SET actor = actor' >/dev/null 2>&1"
    start_portal portal-restored
    code=$(upload "$(sql "SELECT min(probe_report_id) FROM report WHERE probe_report_id LIKE 'kill-%'")" "$OUT/answer-restored.json")
    check "the portal on the restored database knows an old report (re-upload answers $code)" test "$code" = 200
    code=$(upload "restored-$(date +%s)" "$OUT/answer-restored.json")
    check "and stores a new one ($code)" test "$code" = 201
    figure "backup: pg_dump --format=custom of $(sql "SELECT count(*) FROM report") reports -> $((size / 1024)) kB; pg_restore into an empty database: identical content (reports, section contents, findings, audit trail), the portal runs on it"
}

# ------------------------------------------------------------------ 4. unreachable and silent portals

probe_bounded() { # probe_bounded <name> <server URL> <bound in s>: the probe gives up within the bound, keeps its report
    local name=$1 server=$2 bound=$3 spool=$OUT/spool-$1 started took code
    rm -rf "$spool"
    mkdir -p "$spool"
    started=$(date +%s)
    NETREADY_SPOOL_DIR=$spool timeout $((bound + 60)) sh "$ROOT/src/main/resources/probe/netready-probe.sh" \
        --server "$server" --token "$TOKEN" --role worker --phase running >"$OUT/probe-$name.log" 2>&1 && code=0 || code=$?
    took=$(($(date +%s) - started))
    check "the probe against a $name portal exits $code after $took s (bound $bound s) and keeps its report" \
        test "$code" -ne 0 -a "$code" -ne 124 -a "$took" -le "$bound" \
        -a -n "$(find "$spool" -maxdepth 1 -name 'netready-report-*.json')"
    PROBE_SECONDS="$PROBE_SECONDS $name:${took}s"
}

probe_against_dead_portals() {
    log "4. the probe against an unreachable and a silent portal"
    PROBE_SECONDS=
    probe_bounded unreachable http://127.0.0.1:9 100
    # accepts connections, reads nothing, answers nothing
    python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 8099)); s.listen(64); held = []
while True:
    held.append(s.accept()[0])' &
    local silent=$!
    sleep 1
    probe_bounded silent http://127.0.0.1:8099 135
    kill "$silent" 2>/dev/null || true
    wait "$silent" 2>/dev/null || true
    figure "the probe against dead portals: gave up and kept its report ($PROBE_SECONDS; curl --connect-timeout 10, --max-time 120, retries within 90 s)"
}

# ------------------------------------------------------------------ main

main() {
    [ "$(id -u)" -eq 0 ] || die "run as root (PostgreSQL runs as the postgres user, the probe reads as root)"
    mkdir -p "$OUT"
    rm -f "$OUT"/uploads-*.log "$OUT"/summary.txt "$OUT"/resend-errors.log "$OUT/stop"
    trap cleanup EXIT
    packages
    build_portal
    log "private PostgreSQL ($PGBIN) on 127.0.0.1:$PG_PORT; the packaged portal on $URL"
    start_postgres
    fresh_database
    start_portal portal
    make_base_report
    figure "# netready fault checks, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores; report $(stat -c %s "$OUT/base.json") bytes (this machine's, by the probe)"
    portal_killed
    postgres_stopped
    backup_restore
    probe_against_dead_portals
    if [ "$failures" -gt 0 ]; then
        die "$failures fault checks failed (logs in $OUT)"
    fi
    log "all fault checks passed; figures in $OUT/summary.txt"
}

main "$@"
