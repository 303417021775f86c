#!/usr/bin/env bash
# Builds a region's PostgreSQL database — STATIONS stations of PER tickets
# each, with their full history — and times what its desks do there:
# a station's first frame, the region's first frame, one transition, a
# 2-char name search, a station's monthly figures, and DESKS coordinators of
# different stations making transitions at once for SECONDS. Writes the
# figures as key=value lines to $BENCH_DIR/region.txt (read by bench.sh)
# and prints them.
#
#   scripts/pg-region.sh                         # 100 stations × 50,000 = 5M tickets
#   scripts/pg-region.sh --stations 100 --per-station 10000   # 1M
#   scripts/pg-region.sh --reuse                 # measure the database already built
#   scripts/pg-region.sh --build-only            # build it, measure nothing
#
# How the database is made: one station (S000) is a demo station
# (`repairdesk demo --tickets PER`) plus OPEN_PER fresh dispatch rows
# (`scripts/gen-dispatch.py`, received over the 20 days before now), copied to the server with `repairdesk
# migrate --to` by the login that creates the database (its first
# administrator). The other stations are copies of S000 under their own
# codes, made inside the server by its superuser (the fastest way to
# billions of bytes; the copy keeps every column and the history), then
# ANALYZE. The logins rdr_c000… (coordinators of S000…) and rdr_region are
# created and granted with `repairdesk admin grant`.
#
# Needs a local server and the login of scripts/pg-test-setup.sh (with
# CREATEDB and CREATEROLE); the copying runs `psql` as the `postgres`
# system user (root or sudo). Disk: about 5 KB per ticket (25 GB for 5M).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
STATIONS=100
PER=50000
OPEN_PER=500
DESKS=20
SECONDS_=60
RUNS=10
REUSE=0
BUILD_ONLY=0
BENCH_DIR=${BENCH_DIR:-/tmp/repairdesk-bench}
PG_HOST=${REPAIRDESK_BENCH_PG_HOST:-127.0.0.1:5432}
ADMIN=${REPAIRDESK_BENCH_PG_LOGIN:-repairdesk_test}
export PGPASSWORD=${PGPASSWORD:-repairdesk_test}
DB=repairdesk_region
while [ $# -gt 0 ]; do
    case "$1" in
        --stations) STATIONS=$2; shift ;;
        --per-station) PER=$2; shift ;;
        --open-per-station) OPEN_PER=$2; shift ;;
        --desks) DESKS=$2; shift ;;
        --seconds) SECONDS_=$2; shift ;;
        --runs) RUNS=$2; shift ;;
        --reuse) REUSE=1 ;;
        --build-only) BUILD_ONLY=1 ;;
        -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
        *) echo "pg-region.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
    shift
done
[ "$DESKS" -le "$STATIONS" ] || { echo "pg-region.sh: --desks must not exceed --stations" >&2; exit 2; }

export REPAIRDESK_NOW="2026-11-26 11:30"
MONTH=2026-11
WORK="$BENCH_DIR/region"
mkdir -p "$WORK"
OUT="$BENCH_DIR/region.txt"
ADMIN_URL="postgres://$ADMIN@$PG_HOST/postgres"
URL="postgres://$ADMIN@$PG_HOST/$DB"
# Every login of this database has the password in PGPASSWORD.
login_url() { echo "postgres://$1@$PG_HOST/$DB"; }
code() { printf 'S%03d' "$1"; }
superuser_psql() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -d "$DB" "$@"
    else sudo -u postgres psql -X -q -v ON_ERROR_STOP=1 -d "$DB" "$@"; fi
}
for c in hyperfine psql script python3; do
    command -v "$c" >/dev/null 2>&1 || { echo "pg-region.sh: needs $c (scripts/bench.sh installs it)" >&2; exit 2; }
done
psql "$ADMIN_URL" -qAtc "SELECT 1" >/dev/null || { echo "pg-region.sh: no PostgreSQL server at $ADMIN_URL" >&2; exit 2; }

echo "building (release) ..." >&2
(cd "$ROOT" && cargo build --release --quiet && cargo build --release --quiet --example pg_desks)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN="$TARGET/release/repairdesk"
DESKS_BIN="$TARGET/release/examples/pg_desks"

# One config file per station (and the region's, naming none).
for ((k = 0; k < STATIONS; k++)); do
    printf '[station]\ncode = "%s"\n' "$(code $k)" > "$WORK/$(code $k).toml"
done
: > "$WORK/region.toml"

if [ "$REUSE" = 0 ]; then
    started=$(date +%s)
    echo "station S000: demo of $PER tickets and $OPEN_PER fresh dispatch rows ..." >&2
    rm -f "$WORK/base.db" "$WORK/base.db-wal" "$WORK/base.db-shm"
    "$BIN" --db "$WORK/base.db" demo --tickets "$PER" --no-tui >/dev/null
    python3 "$ROOT/scripts/gen-dispatch.py" "$OPEN_PER" -o "$WORK/open.csv" --start "2026-11-06 08:00" --seed 7
    "$BIN" --db "$WORK/base.db" import "$WORK/open.csv" >/dev/null
    echo "copying S000 to the server ..." >&2
    psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
    "$BIN" --config "$WORK/S000.toml" --db "$WORK/base.db" migrate --to "$URL" >/dev/null
    echo "making stations S001..$(code $((STATIONS - 1))) from S000 ..." >&2
    # Inside the server, as its superuser: every per-station table, every
    # column but the generated ones; ids moved past S000's, and the
    # history's triggers (station, notifications, append-only, the ticket
    # row following its history) not fired for these copied rows.
    superuser_psql <<SQL
SET session_replication_role = replica;
SET maintenance_work_mem = '512MB';
DO \$do\$
DECLARE
    tbl TEXT;
    cols TEXT;
    vals TEXT;
    step_t BIGINT := (SELECT COALESCE(max(id), 0) + 1 FROM tickets);
    step BIGINT;
    has_id BOOLEAN;
BEGIN
    FOREACH tbl IN ARRAY ARRAY['tickets', 'events', 'staff', 'staff_events', 'counters'] LOOP
        SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position),
               string_agg(CASE column_name
                              WHEN 'station' THEN format('''S'' || lpad(k::TEXT, 3, ''0'')')
                              WHEN 'id' THEN 'id + k * %1\$s'
                              WHEN 'ticket_id' THEN format('ticket_id + k * %s', step_t)
                              ELSE quote_ident(column_name) END,
                          ', ' ORDER BY ordinal_position),
               bool_or(column_name = 'id')
          INTO cols, vals, has_id
          FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name = tbl AND is_generated = 'NEVER';
        IF has_id THEN
            EXECUTE format('SELECT COALESCE(max(id), 0) + 1 FROM %I', tbl) INTO step;
        ELSE
            step := 0;
        END IF;
        EXECUTE format('INSERT INTO %I (%s) SELECT %s FROM %I, generate_series(1, $STATIONS - 1) k WHERE station = %L',
                       tbl, cols, format(vals, step), tbl, 'S000');
        IF has_id THEN
            EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, ''id''), (SELECT max(id) FROM %I))', tbl, tbl);
        END IF;
    END LOOP;
END
\$do\$;
ANALYZE;
SQL
    echo "logins ..." >&2
    for ((k = 0; k < DESKS; k++)); do
        l=$(printf 'rdr_c%03d' $k)
        psql "$ADMIN_URL" -qc "DROP ROLE IF EXISTS $l" -c "CREATE ROLE $l LOGIN PASSWORD '$PGPASSWORD'" >/dev/null
        "$BIN" --db "$URL" admin grant "$l" --role coordinator --station "$(code $k)" --name "协调员$k" >/dev/null
    done
    psql "$ADMIN_URL" -qc "DROP ROLE IF EXISTS rdr_region" -c "CREATE ROLE rdr_region LOGIN PASSWORD '$PGPASSWORD'" >/dev/null
    "$BIN" --db "$URL" admin grant rdr_region --role region --name 大区 >/dev/null
    BUILD_S=$(($(date +%s) - started))
    echo "build_s=$BUILD_S" > "$OUT"
    [ "$BUILD_ONLY" = 0 ] || { echo "built in $BUILD_S s" >&2; exit 0; }
else
    BUILD_S=$(sed -n 's/^build_s=//p' "$OUT" 2>/dev/null || echo "?")
fi

# The administrator's desk brings the database up to this build's schema
# (the coordinators' desks wait for it), outside the timings.
"$BIN" --config "$WORK/S000.toml" --db "$URL" staff list >/dev/null
TICKETS=$(psql "$URL" -qAtc "SELECT COUNT(*) FROM tickets")
OPEN=$(psql "$URL" -qAtc "SELECT COUNT(*) FROM tickets WHERE status NOT IN ('resolved', 'cancelled')")
STATION_OPEN=$(psql "$URL" -qAtc "SELECT COUNT(*) FROM tickets WHERE station = 'S001' AND status NOT IN ('resolved', 'cancelled')")
NSTATIONS=$(psql "$URL" -qAtc "SELECT COUNT(DISTINCT station) FROM tickets")
DB_BYTES=$(psql "$URL" -qAtc "SELECT pg_database_size('$DB')")
echo "$TICKETS tickets ($OPEN open) in $NSTATIONS stations, $((DB_BYTES / 1024 / 1024)) MB" >&2

C1=$(login_url rdr_c001)
RG=$(login_url rdr_region)
ST1="--config $WORK/S001.toml --db $C1"
REG="--config $WORK/region.toml --db $RG"
NO=$(psql "$URL" -qAtc "SELECT ticket_no FROM tickets WHERE station = 'S001' AND status = 'queued' ORDER BY id DESC LIMIT 1")
NAME=$(psql "$URL" -qAtc "SELECT left(customer_name, 2) FROM tickets WHERE station = 'S001' AND status = 'queued' ORDER BY id DESC LIMIT 1")
RESULTS="$WORK/results"
mkdir -p "$RESULTS"
time_cmd() { # name runs hyperfine-args... command
    local name=$1 runs=$2
    shift 2
    hyperfine -N --style none --runs "$runs" --export-json "$RESULTS/$name.json" "$@" >/dev/null 2>&1 \
        || hyperfine --style none --runs "$runs" --export-json "$RESULTS/$name.json" "$@" >/dev/null
}
median_ms() { python3 -c "import json,sys; r=json.load(open('$RESULTS/$1.json'))['results'][0]; print('%.1f' % (r['median']*1000))"; }

echo "timing a station's first frame, the region's, a transition, a search, the figures ..." >&2
time_cmd station_frame "$RUNS" --warmup 1 -S none \
    "script -qec 'stty cols 200 rows 60; $BIN $ST1 --exit-after-first-frame' /dev/null"
time_cmd region_frame "$RUNS" --warmup 1 -S none \
    "script -qec 'stty cols 200 rows 60; $BIN $REG --exit-after-first-frame' /dev/null"
time_cmd script_alone "$RUNS" --warmup 1 -S none "script -qec 'stty cols 200 rows 60; true' /dev/null"
time_cmd transition "$RUNS" --warmup 2 "$BIN $ST1 ticket contact $NO --result no-answer --note bench"
time_cmd search "$RUNS" --warmup 2 "$BIN $ST1 ticket list --search $NAME"
time_cmd kpi "$RUNS" --warmup 1 "$BIN $ST1 report kpi --month $MONTH"
script -qec "stty cols 200 rows 60; /usr/bin/time -f %M -o $RESULTS/region_mem $BIN $REG --exit-after-first-frame" /dev/null >/dev/null

echo "$DESKS desks making transitions for $SECONDS_ s ..." >&2
DESK_ARGS=()
for ((k = 0; k < DESKS; k++)); do
    l=$(printf 'rdr_c%03d' $k)
    DESK_ARGS+=("$(login_url "$l")=$(code $k)")
done
DESKS_LINE=$(REPAIRDESK_NOW= "$DESKS_BIN" "$SECONDS_" "${DESK_ARGS[@]}") || DESKS_LINE="$DESKS_LINE (failed)"
echo "$DESKS_LINE" >&2

{
    echo "tickets=$TICKETS"
    echo "open=$OPEN"
    echo "station_open=$STATION_OPEN"
    echo "stations=$NSTATIONS"
    echo "db_mb=$((DB_BYTES / 1024 / 1024))"
    echo "build_s=$BUILD_S"
    echo "station_frame_ms=$(median_ms station_frame)"
    echo "region_frame_ms=$(median_ms region_frame)"
    echo "script_ms=$(median_ms script_alone)"
    echo "region_mem_mb=$(( $(cat "$RESULTS/region_mem") / 1024 ))"
    echo "transition_ms=$(median_ms transition)"
    echo "search_ms=$(median_ms search)"
    echo "kpi_ms=$(median_ms kpi)"
    echo "desks=$DESKS"
    echo "desks_seconds=$SECONDS_"
    echo "desks_line=$DESKS_LINE"
} > "$OUT"
cat "$OUT"
