#!/usr/bin/env bash
# run-browser-tests.sh - netready's browser tests (issue 4), end to end, on one machine, as root.
#
# Usage:  bash ui/run-browser-tests.sh            start everything, run the suite, stop everything
#         bash ui/run-browser-tests.sh --up       start everything and leave it running (for writing tests)
#         bash ui/run-browser-tests.sh --test     run the suite against what --up started
#         bash ui/run-browser-tests.sh --portal   after --up: rebuild and restart the portal on a fresh database
#         bash ui/run-browser-tests.sh --down     stop what --up started
#         Extra arguments after -- go to `node --test` (e.g. -- --test-name-pattern=viewer).
#         UI_SKIP_BUILD=1: use target/quarkus-app as it is; UI_UPDATE_SCREENSHOTS=1: copy the README's screenshots
#         (first screen of each main page) from ui/test-results/screenshots/readme/ to ui/screenshots/.
#
# What it does (each step is idempotent, and everything it starts is stopped again, on failure too):
#   1. installs what is missing: Debian's chromium, postgresql, iproute2, util-linux, curl, unzip, nodejs/npm
#   2. PostgreSQL: Debian's cluster (started if it was down, stopped again after), role netready and a fresh
#      database netready_ui, dropped at the end
#   3. Keycloak 26.7.3 from Maven Central (org.keycloak:keycloak-quarkus-dist:26.7.3:zip into target/keycloak),
#      start-dev on :8180 with the realm of docker-compose.yml (src/main/keycloak/netready-realm.json), fresh data
#   4. the PACKAGED portal (./mvnw -Dprod package; java -jar target/quarkus-app/quarkus-run.jar) on 0.0.0.0:8080
#      with docker-compose.yml's portal environment, pointed at localhost
#   5. npm ci in ui/ (when ui/node_modules is missing), then node --test ui/tests/
# The tests create network namespaces named nrui-* (and host veths nrui<N>); this script removes leftovers.
# Logs: ui/test-results/logs/, screenshots: ui/test-results/screenshots/.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
UI=$ROOT/ui
RESULTS=$UI/test-results
LOGS=$RESULTS/logs
STATE=$RESULTS/.state          # pids and flags of what --up started
KC_VERSION=26.7.3
KC_HOME=$ROOT/target/keycloak/keycloak-$KC_VERSION
REALM=$ROOT/src/main/keycloak/netready-realm.json
PORTAL_URL=http://localhost:8080
KC_URL=http://localhost:8180
DB_NAME=netready_ui
DB_USER=netready

mode=all
case ${1:-} in
    --up) mode='up'; shift ;;
    --test) mode='test'; shift ;;
    --down) mode='down'; shift ;;
    --portal) mode='portal'; shift ;;
    --) ;;
    '') ;;
    -h | --help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
esac
[ "${1:-}" = -- ] && shift
NODE_TEST_ARGS=("$@")

log() { printf '[ui %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[ui] ERROR: %s\n' "$*" >&2; exit 1; }
now() { date +%s; }

mkdir -p "$LOGS" "$STATE"
cd "$ROOT"

# The production portal refuses to start without its secrets, or with one from the repository (issue 15): each run
# makes its own, random, kept in $STATE so that --portal restarts the portal with the ones Keycloak and PostgreSQL got.
secret() { # secret <name>: prints the secret of that name, made on first use
    [ -s "$STATE/secret-$1" ] || head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$STATE/secret-$1"
    cat "$STATE/secret-$1"
}
DB_PASSWORD=$(secret db-password)
OIDC_CLIENT_SECRET=$(secret oidc-client)

# ------------------------------------------------------------------ cleanup

stop_group() { # NAME: stop the process group recorded in $STATE/NAME.pid (started with setsid)
    local f=$STATE/$1.pid pid i
    [ -f "$f" ] || return 0
    pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then
        log "stopping $1 (pid $pid)"
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 100; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        if kill -0 "$pid" 2>/dev/null; then
            log "$1 did not stop in 20 s: SIGKILL"
            kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    # the group may outlive its leader for a moment (kc.sh -> java)
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$f"
}

remove_namespaces() { # leftovers of tests that were killed
    local ns link
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
        case $ns in nrui-*) ip netns del "$ns" 2>/dev/null || true ;; esac
    done
    for link in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do
        case $link in nrui[0-9]*) ip link del "$link" 2>/dev/null || true ;; esac
    done
}

psql_admin() { PGOPTIONS="-c client_min_messages=warning" runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }

down() {
    stop_group tests
    stop_group portal
    stop_group keycloak
    remove_namespaces
    if [ -f "$STATE/db-created" ]; then
        log "dropping database $DB_NAME"
        psql_admin -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" || true
        rm -f "$STATE/db-created"
    fi
    if [ -f "$STATE/role-created" ]; then
        psql_admin -c "DROP ROLE IF EXISTS $DB_USER" || true
        rm -f "$STATE/role-created"
    fi
    if [ -f "$STATE/pg-started" ]; then
        read -r pgver pgname <"$STATE/pg-started"
        log "stopping PostgreSQL $pgver/$pgname (this script started it)"
        pg_ctlcluster "$pgver" "$pgname" stop || true
        rm -f "$STATE/pg-started"
    fi
}

where() {
    log "logs:        $LOGS/ (keycloak.log, portal.log, build.log, tests.log)"
    log "screenshots: $RESULTS/screenshots/"
}

# ------------------------------------------------------------------ setup steps

need_root() {
    [ "$(id -u)" = 0 ] || die "run as root: the tests create network namespaces, the script starts PostgreSQL"
}

packages() {
    local want=(chromium postgresql iproute2 iptables util-linux curl unzip dash ca-certificates) missing=() p
    for p in "${want[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    command -v node >/dev/null 2>&1 || missing+=(nodejs)
    command -v npm >/dev/null 2>&1 || missing+=(npm)
    command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$LOGS/apt.log" 2>&1 ||
            { tail -20 "$LOGS/apt.log" >&2; die "apt-get install failed (see $LOGS/apt.log)"; }
    fi
    [ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_http() { # URL SECONDS NAME PIDNAME: wait until URL answers 2xx
    local url=$1 secs=$2 name=$3 pidname=$4 start
    start=$(now)
    while ! curl -fsS -o /dev/null --max-time 5 "$url" 2>/dev/null; do
        if ! kill -0 "$(cat "$STATE/$pidname.pid")" 2>/dev/null; then
            tail -40 "$LOGS/$pidname.log" >&2
            die "$name exited while starting (see $LOGS/$pidname.log)"
        fi
        [ $(($(now) - start)) -lt "$secs" ] || { tail -40 "$LOGS/$pidname.log" >&2; die "$name not up after ${secs}s"; }
        sleep 1
    done
}

postgres() {
    local line ver name status
    line=$(pg_lsclusters -h 2>/dev/null | head -1 || true)
    if [ -z "$line" ]; then
        log "no PostgreSQL cluster: installing postgresql"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends postgresql >>"$LOGS/apt.log" 2>&1 || die "apt-get install postgresql failed"
        line=$(pg_lsclusters -h | head -1)
        [ -n "$line" ] || die "still no PostgreSQL cluster after installing postgresql"
    fi
    read -r ver name _ status _ <<<"$line"
    if [ "$status" != online ]; then
        log "starting PostgreSQL $ver/$name"
        pg_ctlcluster "$ver" "$name" start
        echo "$ver $name" >"$STATE/pg-started"
    fi
    if ! psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'" | grep -q 1; then
        psql_admin -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD'"
        touch "$STATE/role-created"
    else
        psql_admin -c "ALTER ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD'"
    fi
    psql_admin -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)"
    psql_admin -c "CREATE DATABASE $DB_NAME OWNER $DB_USER"
    touch "$STATE/db-created"
    log "PostgreSQL $ver/$name: fresh database $DB_NAME"
}

fetch_keycloak() {
    [ -x "$KC_HOME/bin/kc.sh" ] && return 0
    log "fetching Keycloak $KC_VERSION from Maven Central"
    ./mvnw -B -q dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" \
        -DoutputDirectory=target/keycloak >"$LOGS/keycloak-fetch.log" 2>&1 ||
        { tail -20 "$LOGS/keycloak-fetch.log" >&2; die "could not fetch Keycloak (see $LOGS/keycloak-fetch.log)"; }
    rm -rf "$KC_HOME"
    if command -v unzip >/dev/null 2>&1; then
        (cd target/keycloak && unzip -q "keycloak-quarkus-dist-$KC_VERSION.zip")
    else
        (cd target/keycloak && jar xf "keycloak-quarkus-dist-$KC_VERSION.zip" && chmod +x "keycloak-$KC_VERSION/bin/"*.sh)
    fi
    [ -x "$KC_HOME/bin/kc.sh" ] || die "no $KC_HOME/bin/kc.sh after unpacking"
}

start_keycloak() {
    port_free 8180 || die "port 8180 is taken: stop what listens there (ss -ltnp 'sport = :8180')"
    fetch_keycloak
    # fresh data: the realm is imported anew from the same file docker-compose.yml mounts
    rm -rf "$KC_HOME/data"
    mkdir -p "$KC_HOME/data/import"
    cp "$REALM" "$KC_HOME/data/import/netready-realm.json"
    log "starting Keycloak (start-dev :8180, realm $(basename "$REALM"))"
    now >"$STATE/keycloak.start"
    # the realm file takes the portal's client secret from NETREADY_OIDC_CLIENT_SECRET (a placeholder in the file)
    KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin KC_HOSTNAME=$KC_URL \
        KC_HOSTNAME_BACKCHANNEL_DYNAMIC=true NETREADY_OIDC_CLIENT_SECRET="$OIDC_CLIENT_SECRET" \
        setsid "$KC_HOME/bin/kc.sh" start-dev --http-port=8180 --import-realm </dev/null >"$LOGS/keycloak.log" 2>&1 &
    echo $! >"$STATE/keycloak.pid"
}

wait_keycloak() {
    wait_http "$KC_URL/realms/netready/.well-known/openid-configuration" 240 Keycloak keycloak
    echo $(($(now) - $(cat "$STATE/keycloak.start"))) >"$STATE/keycloak.seconds"
    log "Keycloak up $(cat "$STATE/keycloak.seconds")s after its start"
}

build_portal() {
    local start
    start=$(now)
    log "building the portal: ./mvnw -B -q -Dprod -DskipTests package"
    # a fresh quarkus-app: a test build (./mvnw verify) leaves one with the embedded PostgreSQL in it
    rm -rf "$ROOT/target/quarkus-app"
    ./mvnw -B -q -Dprod -DskipTests package >"$LOGS/build.log" 2>&1 ||
        { tail -40 "$LOGS/build.log" >&2; die "portal build failed (see $LOGS/build.log)"; }
    if compgen -G "$ROOT/target/quarkus-app/lib/main/*embedded*" >/dev/null; then
        die "target/quarkus-app has the embedded PostgreSQL: not a -Dprod build"
    fi
    log "built in $(($(now) - start))s"
}

portal() {
    local start
    port_free 8080 || die "port 8080 is taken: stop what listens there (ss -ltnp 'sport = :8080')"
    [ -f "$ROOT/target/quarkus-app/quarkus-run.jar" ] || die "no target/quarkus-app/quarkus-run.jar"
    log "starting the portal (java -jar target/quarkus-app/quarkus-run.jar on 0.0.0.0:8080)"
    start=$(now)
    # docker-compose.yml's portal environment, with localhost for its service names
    env \
        QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://localhost:5432/$DB_NAME" \
        QUARKUS_DATASOURCE_USERNAME="$DB_USER" \
        QUARKUS_DATASOURCE_PASSWORD="$DB_PASSWORD" \
        NETREADY_OIDC_URL="$KC_URL/realms/netready" \
        NETREADY_OIDC_CLIENT_SECRET="$OIDC_CLIENT_SECRET" \
        NETREADY_SESSION_SECRET="$(secret session)" \
        NETREADY_PUBLIC_URL="$PORTAL_URL" \
        NETREADY_BOOTSTRAP_CLUSTER= \
        NETREADY_BOOTSTRAP_TEAM=platform \
        NETREADY_BOOTSTRAP_TOKEN= \
        setsid java -Xmx512m -Dquarkus.http.host=0.0.0.0 -jar target/quarkus-app/quarkus-run.jar \
        </dev/null >"$LOGS/portal.log" 2>&1 &
    echo $! >"$STATE/portal.pid"
    wait_http "$PORTAL_URL/q/health/ready" 120 portal portal
    echo $(($(now) - start)) >"$STATE/portal.seconds"
    log "portal up in $(cat "$STATE/portal.seconds")s"
}

node_modules() {
    if [ ! -d "$UI/node_modules/playwright-core" ]; then
        log "npm ci in ui/"
        (cd "$UI" && npm ci --no-audit --no-fund) >"$LOGS/npm.log" 2>&1 ||
            { tail -20 "$LOGS/npm.log" >&2; die "npm ci failed (see $LOGS/npm.log)"; }
    fi
}

up() {
    need_root
    down                      # whatever an earlier --up or a killed run left behind
    packages
    node_modules
    postgres
    start_keycloak            # ~40 s to start: the portal builds meanwhile
    [ "${UI_SKIP_BUILD:-}" = 1 ] || build_portal
    wait_keycloak
    portal
}

run_tests() {
    local start rc=0
    node_modules
    remove_namespaces
    rm -rf "$RESULTS/screenshots"
    mkdir -p "$RESULTS/screenshots"
    log "node --test ui/tests/"
    start=$(now)
    # own process group, so that an interrupted run leaves no browser behind
    NETREADY_URL=$PORTAL_URL KEYCLOAK_URL=$KC_URL UI_RESULTS=$RESULTS \
        setsid node --test --test-concurrency=1 --test-reporter=spec "${NODE_TEST_ARGS[@]}" ui/tests/ \
        </dev/null > >(tee "$LOGS/tests.log") 2>&1 &
    echo $! >"$STATE/tests.pid"
    wait "$(cat "$STATE/tests.pid")" || rc=$?
    rm -f "$STATE/tests.pid"
    log "suite took $(($(now) - start))s (Keycloak start $(cat "$STATE/keycloak.seconds" 2>/dev/null || echo ?)s, portal start $(cat "$STATE/portal.seconds" 2>/dev/null || echo ?)s)"
    remove_namespaces
    if [ "${UI_UPDATE_SCREENSHOTS:-}" = 1 ] && [ -d "$RESULTS/screenshots/readme" ]; then
        mkdir -p "$UI/screenshots"
        cp "$RESULTS/screenshots/readme/"*.png "$UI/screenshots/"
        log "copied the screenshots of $RESULTS/screenshots/readme/ to ui/screenshots/"
    fi
    return "$rc"
}

case $mode in
    up)
        trap 'rc=$?; [ $rc -eq 0 ] || down; exit $rc' EXIT
        up
        where
        log "running; now: bash ui/run-browser-tests.sh --test, and --down when done"
        ;;
    test)
        need_root
        run_tests
        ;;
    down)
        need_root
        down
        ;;
    portal)
        need_root
        stop_group portal
        postgres
        [ "${UI_SKIP_BUILD:-}" = 1 ] || build_portal
        portal
        ;;
    all)
        trap 'rc=$?; trap - EXIT INT TERM; down; where; exit $rc' EXIT
        trap 'exit 130' INT
        trap 'exit 143' TERM
        up
        run_tests
        ;;
esac
