#!/usr/bin/env bash
# Times repairdesk and writes BENCHMARKS.md: the station targets of round one
# on a demo database of N tickets, and round two's rows side by side in the
# same run: the dashboard over OPEN open tickets, the import of M dispatch
# rows against sqlite3 `.import` (peak memory, another desk's transition
# during it), the demo database's bytes per ticket and the time to make it,
# and the PostgreSQL rows when a server is at hand, with a region's database
# of REGION_STATIONS stations × REGION_PER tickets (scripts/pg-region.sh).
#
#   scripts/bench.sh                 # N = M = 1,000,000, OPEN = 100,000; writes BENCHMARKS.md
#   scripts/bench.sh --tickets 200000 --import-rows 200000   # smaller; still writes BENCHMARKS.md
#   scripts/bench.sh --smoke         # 5,000 tickets, few runs; writes $BENCH_DIR/BENCHMARKS.md
#   --region-stations S --region-per-station P   # the region database (default 100 × 50,000)
#   --region-reuse                   # measure the region database already built
#   --region-results                 # take the region's rows from a pg-region.sh run made beside
#                                    # this one ($BENCH_DIR/region.txt; waited for at the end)
#   --no-region                      # leave the region database out
#   --pg-import-rows R               # rows of the PostgreSQL import against \copy (default 10,000)
#
# Whole commands are timed with hyperfine (medians over several runs) and
# their peak memory with /usr/bin/time; the in-process pieces (transition,
# dashboard model, frame, key press, filter, another desk's change) come
# from `cargo bench` run against the same databases. The data sets are made
# once into $BENCH_DIR (default /tmp/repairdesk-bench) and reused:
#   demo-N.db        repairdesk demo --tickets N --no-tui (the station)
#   dispatch-M.csv   scripts/gen-dispatch.py M (the import's input)
#   open-OPEN.db     repairdesk import of dispatch-OPEN.csv: OPEN open tickets
# REPAIRDESK_BENCH_CHANGES=0 leaves out the in-process benchmarks that
# write (they work on a copy of the database).
# PostgreSQL: $REPAIRDESK_BENCH_PG, a server URL whose login may create
# databases (default: the test login of scripts/pg-test-setup.sh, password
# from PGPASSWORD, default repairdesk_test); the database repairdesk_bench
# is made afresh there. Without a server those rows say so.
# hyperfine, sqlite3, /usr/bin/time, script and python3 are installed with
# apt-get when missing.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=1000000
M=
OPEN_N=100000
RUNS=10
IMPORT_RUNS=3
OUT="$ROOT/BENCHMARKS.md"
SMOKE=0
REGION_STATIONS=100
REGION_PER=50000
REGION_ARGS=()
REGION=1
PG_ROWS=10000
BENCH_DIR=${BENCH_DIR:-/tmp/repairdesk-bench}
PG_URL=${REPAIRDESK_BENCH_PG:-postgres://repairdesk_test@127.0.0.1:5432/postgres}
export PGPASSWORD=${PGPASSWORD:-repairdesk_test}
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) SMOKE=1; N=5000; OPEN_N=5000; RUNS=3; IMPORT_RUNS=2; OUT=""
                 REGION_STATIONS=5; REGION_PER=1000; REGION_ARGS+=(--desks 2 --seconds 5 --open-per-station 50) ;;
        --region-stations) REGION_STATIONS=$2; shift ;;
        --region-per-station) REGION_PER=$2; shift ;;
        --region-reuse) REGION_ARGS+=(--reuse) ;;
        --region-results) REGION=2 ;;
        --no-region) REGION=0 ;;
        --pg-import-rows) PG_ROWS=$2; shift ;;
        --tickets) N=$2; shift ;;
        --import-rows) M=$2; shift ;;
        --open) OPEN_N=$2; shift ;;
        --runs) RUNS=$2; shift ;;
        --import-runs) IMPORT_RUNS=$2; shift ;;
        --out) OUT=$2; shift ;;
        -h|--help) sed -n '2,36p' "$0"; exit 0 ;;
        *) echo "bench.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
    shift
done
[ -n "$M" ] || M=$N
mkdir -p "$BENCH_DIR"
[ -n "$OUT" ] || OUT="$BENCH_DIR/BENCHMARKS.md"
# The moment the demo is built around and every command takes as now.
export REPAIRDESK_NOW="2026-11-26 11:30"
export REPAIRDESK_USER="协调员"
MONTH=2026-11

need() { # command package
    command -v "$1" >/dev/null 2>&1 && return 0
    echo "installing $2 ..." >&2
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq "$2" >/dev/null
}
need hyperfine hyperfine
need sqlite3 sqlite3
[ -x /usr/bin/time ] || need /usr/bin/time time
need script bsdutils
need python3 python3
command -v psql >/dev/null 2>&1 || echo "no psql: the PostgreSQL rows are left out" >&2

echo "building (release) ..." >&2
(cd "$ROOT" && cargo build --release --quiet)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN="$BENCH_DIR/repairdesk"
cp "$TARGET/release/repairdesk" "$BIN"

DB="$BENCH_DIR/demo-$N.db"
CSV="$BENCH_DIR/dispatch-$M.csv"
OPEN_CSV="$BENCH_DIR/dispatch-$OPEN_N.csv"
OPEN_DB="$BENCH_DIR/open-$OPEN_N.db"
if [ ! -s "$DB" ]; then
    echo "making $DB (once) ..." >&2
    rm -f "$DB" "$DB-wal" "$DB-shm"
    /usr/bin/time -f "%e %M" -o "$BENCH_DIR/demo-$N.seconds" \
        "$BIN" --db "$DB" demo --tickets "$N" --no-tui >/dev/null
fi
for rows in "$M" "$OPEN_N"; do
    f="$BENCH_DIR/dispatch-$rows.csv"
    if [ ! -s "$f" ]; then
        echo "making $f (once) ..." >&2
        python3 "$ROOT/scripts/gen-dispatch.py" "$rows" -o "$f" --encoding utf-8
    fi
done
if [ ! -s "$OPEN_DB" ]; then
    echo "making $OPEN_DB (once) ..." >&2
    rm -f "$OPEN_DB" "$OPEN_DB-wal" "$OPEN_DB-shm"
    "$BIN" --db "$OPEN_DB" import "$OPEN_CSV" >/dev/null
    sqlite3 "$OPEN_DB" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
fi
# Let the database settle (checkpoint the log) before timing readers.
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
WORK="$BENCH_DIR/work.db"
rm -f "$WORK" "$WORK-wal" "$WORK-shm"
cp "$DB" "$WORK"   # the transition runs on a copy: the data set stays as made
NO=$(sqlite3 "$WORK" "SELECT ticket_no FROM tickets WHERE status = 'queued' ORDER BY t1 DESC LIMIT 1")
OPEN=$(sqlite3 "$DB" "SELECT COUNT(*) FROM tickets WHERE status NOT IN ('resolved','cancelled')")
TOTAL=$(sqlite3 "$DB" "SELECT COUNT(*) FROM tickets")

RESULTS="$BENCH_DIR/results"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

# hyperfine NAME RUNS [hyperfine options...] -- COMMAND
time_cmd() {
    local name=$1 runs=$2
    shift 2
    hyperfine --style basic --runs "$runs" --export-json "$RESULTS/$name.json" "$@" >&2
}
median_ms() { # NAME
    python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["results"][0]["median"]*1000))' "$RESULTS/$1.json"
}
# Peak resident memory (MB) of one run of a command.
peak_mb() {
    /usr/bin/time -f "%M" -o "$RESULTS/mem" "$@" >/dev/null 2>&1 || true
    awk '{printf "%.1f", $1/1024}' "$RESULTS/mem"
}

echo "import: repairdesk vs sqlite3 .import ($N rows) ..." >&2
IMP="$BENCH_DIR/import.db"
PLAIN="$BENCH_DIR/plain.db"
time_cmd import "$IMPORT_RUNS" --prepare "rm -f $IMP $IMP-wal $IMP-shm" \
    "$BIN --db $IMP import $CSV"
time_cmd sqlite_import "$IMPORT_RUNS" --prepare "rm -f $PLAIN" \
    "sqlite3 $PLAIN '.import --csv $CSV dispatch'"
rm -f "$IMP" "$IMP-wal" "$IMP-shm"
MEM_IMPORT=$(peak_mb "$BIN" --db "$IMP" import "$CSV")
rm -f "$IMP" "$IMP-wal" "$IMP-shm" "$PLAIN"

# Another desk's transition while the import runs: one ticket is there
# first, then the big import starts and the desk logs calls on that ticket
# until the import ends; the longest of those commands is the wait.
echo "another desk's transition during the import ..." >&2
head -2 "$OPEN_CSV" | sed 's/^G/D/' >"$BENCH_DIR/one.csv"
"$BIN" --db "$IMP" import "$BENCH_DIR/one.csv" >/dev/null
ONE=$(sqlite3 "$IMP" "SELECT ticket_no FROM tickets LIMIT 1")
"$BIN" --db "$IMP" import "$CSV" >/dev/null &
IMPORT_PID=$!
sleep 0.5
: >"$RESULTS/waits"
while kill -0 "$IMPORT_PID" 2>/dev/null; do
    /usr/bin/time -f "%e" -a -o "$RESULTS/waits" \
        "$BIN" --db "$IMP" ticket contact "$ONE" --result no-answer --note bench >/dev/null 2>&1 || true
    sleep 0.2
done
wait "$IMPORT_PID" || true
WAIT_MAX=$(sort -n "$RESULTS/waits" | tail -1)
WAIT_N=$(wc -l <"$RESULTS/waits")
WAIT_MS=$(python3 -c "print('%.0f' % (float('${WAIT_MAX:-0}') * 1000))")
rm -f "$IMP" "$IMP-wal" "$IMP-shm"

# The demo database: bytes per ticket, and what holds them (dbstat).
BYTES=$(stat -c %s "$DB")
PER_TICKET=$(( BYTES / $(sqlite3 "$DB" "SELECT COUNT(*) FROM tickets") ))
SPACE=$(sqlite3 "$DB" "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 6" 2>/dev/null \
    | awk -F'|' -v n="$(sqlite3 "$DB" "SELECT COUNT(*) FROM tickets")" '{printf "%s%s %d", sep, $1, $2/n; sep=", "}')

# The dashboard over OPEN_N open tickets.
echo "the dashboard over $OPEN_N open tickets ..." >&2
OFIRST="stty cols 200 rows 60; $BIN --db $OPEN_DB --exit-after-first-frame"
time_cmd open_first_frame "$RUNS" --warmup 1 "script -qec '$OFIRST' /dev/null"
script -qec "stty cols 200 rows 60; /usr/bin/time -f %M -o $RESULTS/mem $BIN --db $OPEN_DB --exit-after-first-frame" /dev/null >/dev/null
MEM_ODASH=$(awk '{printf "%.1f", $1/1024}' "$RESULTS/mem")
# Until the whole open set is read behind the first screen and drawn.
OLOADED="stty cols 200 rows 60; $BIN --db $OPEN_DB --exit-after-load"
time_cmd open_loaded "$RUNS" --warmup 1 "script -qec '$OLOADED' /dev/null"
script -qec "stty cols 200 rows 60; /usr/bin/time -f %M -o $RESULTS/mem $BIN --db $OPEN_DB --exit-after-load" /dev/null >/dev/null
MEM_OLOADED=$(awk '{printf "%.1f", $1/1024}' "$RESULTS/mem")
time_cmd open_alerts "$RUNS" --warmup 1 "$BIN --db $OPEN_DB alerts"
MEM_OALERTS=$(peak_mb "$BIN" --db "$OPEN_DB" alerts)

# PostgreSQL: the same import against psql \copy, one transition, a
# 2-character search and the month's figures, on a database made afresh.
PG_NOTE="not measured: no PostgreSQL server at $PG_URL (set REPAIRDESK_BENCH_PG)"
PG_DONE=0
if command -v psql >/dev/null 2>&1 && psql "$PG_URL" -qAtc "SELECT 1" >/dev/null 2>&1; then
    echo "PostgreSQL at $PG_URL ..." >&2
    # The import against \copy on the first PG_ROWS rows: PostgreSQL's
    # import costs the same per row at any size, and 100,000 rows would
    # take a quarter of an hour a run here.
    PG_CSV="$BENCH_DIR/dispatch-pg-$PG_ROWS.csv"
    head -n $((PG_ROWS + 1)) "$OPEN_CSV" >"$PG_CSV"
    PG_DB="${PG_URL%/*}/repairdesk_bench"
    pg_fresh() {
        psql "$PG_URL" -qc "DROP DATABASE IF EXISTS repairdesk_bench" >/dev/null
        psql "$PG_URL" -qc "CREATE DATABASE repairdesk_bench" >/dev/null
    }
    FRESH="psql $PG_URL -qc 'DROP DATABASE IF EXISTS repairdesk_bench' && psql $PG_URL -qc 'CREATE DATABASE repairdesk_bench'"
    time_cmd pg_import "$IMPORT_RUNS" --prepare "$FRESH" \
        "$BIN --db $PG_DB import $PG_CSV"
    # The plain table in a database of its own (the login may not create
    # tables in the server's default database).
    PG_PLAIN="${PG_URL%/*}/repairdesk_bench_plain"
    psql "$PG_URL" -qc "DROP DATABASE IF EXISTS repairdesk_bench_plain" >/dev/null
    psql "$PG_URL" -qc "CREATE DATABASE repairdesk_bench_plain" >/dev/null
    time_cmd pg_copy "$IMPORT_RUNS" \
        --prepare "psql $PG_PLAIN -qc 'DROP TABLE IF EXISTS bench_plain' -c 'CREATE TABLE bench_plain (a text, b text, c text, d text, e text, f text, g text, h text, i text, j text, k text, l text, m text, n text, o text, p text)'" \
        "psql $PG_PLAIN -qc '\copy bench_plain FROM $PG_CSV WITH (FORMAT csv, HEADER true)'"
    psql "$PG_URL" -qc "DROP DATABASE IF EXISTS repairdesk_bench_plain" >/dev/null
    pg_fresh
    "$BIN" --db "$PG_DB" import "$PG_CSV" >/dev/null
    PG_NO=$(psql "$PG_DB" -qAtc "SELECT ticket_no FROM tickets ORDER BY id DESC LIMIT 1")
    PG_NAME=$(psql "$PG_DB" -qAtc "SELECT left(customer_name, 2) FROM tickets ORDER BY id DESC LIMIT 1")
    time_cmd pg_contact "$RUNS" --warmup 2 \
        "$BIN --db $PG_DB ticket contact $PG_NO --result no-answer --note bench"
    time_cmd pg_search "$RUNS" --warmup 2 "$BIN --db $PG_DB ticket list --search $PG_NAME"
    time_cmd pg_kpi "$RUNS" --warmup 1 "$BIN --db $PG_DB report kpi --month $MONTH"
    PG_TICKETS=$(psql "$PG_DB" -qAtc "SELECT COUNT(*) FROM tickets")
    psql "$PG_URL" -qc "DROP DATABASE IF EXISTS repairdesk_bench" >/dev/null
    PG_DONE=1
fi
REGION_DONE=0
if [ "$PG_DONE" = 1 ] && [ "$REGION" = 1 ]; then
    echo "the region database ($REGION_STATIONS stations × $REGION_PER tickets) ..." >&2
    if BENCH_DIR="$BENCH_DIR" bash "$ROOT/scripts/pg-region.sh" --stations "$REGION_STATIONS" \
        --per-station "$REGION_PER" --runs "$RUNS" "${REGION_ARGS[@]}" >&2; then
        REGION_DONE=1
    fi
fi

echo "commands on the $TOTAL-ticket database ..." >&2
time_cmd contact "$RUNS" --warmup 2 \
    "$BIN --db $WORK ticket contact $NO --result no-answer --note bench"
MEM_CONTACT=$(peak_mb "$BIN" --db "$WORK" ticket contact "$NO" --result no-answer --note bench)
time_cmd alerts "$RUNS" --warmup 2 "$BIN --db $DB alerts"
MEM_ALERTS=$(peak_mb "$BIN" --db "$DB" alerts)
time_cmd kpi "$RUNS" --warmup 2 "$BIN --db $DB report kpi --month $MONTH"
MEM_KPI=$(peak_mb "$BIN" --db "$DB" report kpi --month "$MONTH")
# The dashboard needs a terminal: `script` gives it a 200x60 one.
FIRST="stty cols 200 rows 60; $BIN --db $DB --exit-after-first-frame"
time_cmd first_frame "$RUNS" --warmup 2 "script -qec '$FIRST' /dev/null"
time_cmd script_alone "$RUNS" --warmup 2 "script -qec 'stty cols 200 rows 60; true' /dev/null"
script -qec "stty cols 200 rows 60; /usr/bin/time -f %M -o $RESULTS/mem $BIN --db $DB --exit-after-first-frame" /dev/null >/dev/null
MEM_DASH=$(awk '{printf "%.1f", $1/1024}' "$RESULTS/mem")

echo "cargo bench against $DB ..." >&2
CRIT=(--noplot)
[ "$SMOKE" = 1 ] && CRIT+=(--quick --warm-up-time 1 --measurement-time 2)
(cd "$ROOT" && REPAIRDESK_BENCH_CHANGES=0 REPAIRDESK_BENCH_DB="$DB" cargo bench --quiet --bench store --bench dashboard -- "${CRIT[@]}") >"$RESULTS/cargo-bench.txt" 2>&1 \
    || { cat "$RESULTS/cargo-bench.txt" >&2; exit 1; }
crit_ms() { # "group/name"
    python3 - "$TARGET/criterion/$1/new/estimates.json" <<'PY'
import json, sys
try:
    print("%.2f" % (json.load(open(sys.argv[1]))["median"]["point_estimate"] / 1e6))
except OSError:
    print("n/a")
PY
}

IMPORT_MS=$(median_ms import)
SQLITE_MS=$(median_ms sqlite_import)
RATIO=$(python3 -c "print('%.2f' % ($IMPORT_MS / $SQLITE_MS))")
CONTACT_MS=$(median_ms contact)
ALERTS_MS=$(median_ms alerts)
KPI_MS=$(median_ms kpi)
FIRST_MS=$(median_ms first_frame)
SCRIPT_MS=$(median_ms script_alone)
TRANSITION_MS=$(crit_ms "transition/contact")
MONTH_MS=$(crit_ms "report/month figures")
MODEL_MS=$(crit_ms "dashboard/model load")
FRAME_MS=$(crit_ms "dashboard/frame 200x60")
KEY_MS=$(crit_ms "dashboard/key j + frame")
F_NAME=$(crit_ms "dashboard filter/last key of name2 + frame")
F_PHONE=$(crit_ms "dashboard filter/last key of phone4 + frame")
F_SERIAL=$(crit_ms "dashboard filter/last key of serial + frame")
S_NAME=$(crit_ms "filter/name2 all")
S_PHONE=$(crit_ms "filter/phone4 all")
S_SERIAL=$(crit_ms "filter/serial all")

echo "cargo bench against $OPEN_DB ..." >&2
(cd "$ROOT" && REPAIRDESK_BENCH_DB="$OPEN_DB" cargo bench --quiet --bench dashboard -- "${CRIT[@]}" '^dashboard') >"$RESULTS/cargo-bench-open.txt" 2>&1 \
    || { cat "$RESULTS/cargo-bench-open.txt" >&2; exit 1; }
O_MODEL_MS=$(crit_ms "dashboard/model load")
O_KEY_MS=$(crit_ms "dashboard/key j + frame")
O_FRAME_MS=$(crit_ms "dashboard/frame 200x60")
O_CHANGE_MS=$(crit_ms "dashboard changes/change at another desk, tick + frame")
O_TICK_MS=$(crit_ms "dashboard changes/tick, nothing changed")
O_F_NAME=$(crit_ms "dashboard filter/last key of name2 + frame")
O_OPEN=$(sqlite3 "$OPEN_DB" "SELECT COUNT(*) FROM tickets WHERE status NOT IN ('resolved','cancelled')")
O_FIRST_MS=$(median_ms open_first_frame)
O_ALERTS_MS=$(median_ms open_alerts)
O_LOADED_MS=$(median_ms open_loaded)
if [ "$PG_DONE" = 1 ]; then
    PG_IMPORT_MS=$(median_ms pg_import)
    PG_COPY_MS=$(median_ms pg_copy)
    PG_RATIO=$(python3 -c "print('%.2f' % ($PG_IMPORT_MS / $PG_COPY_MS))")
    PG_CONTACT_MS=$(median_ms pg_contact)
    PG_SEARCH_MS=$(median_ms pg_search)
    PG_KPI_MS=$(median_ms pg_kpi)
fi

if [ "$REGION" = 2 ]; then
    echo "waiting for the region's figures in $BENCH_DIR/region.txt ..." >&2
    for _ in $(seq 1 180); do
        grep -q '^desks_line=' "$BENCH_DIR/region.txt" 2>/dev/null && { REGION_DONE=1; break; }
        sleep 10
    done
fi

verdict() { # value op limit
    python3 -c "import sys; v=sys.argv[1]; print('n/a' if v=='n/a' else ('met' if float(v) <= float(sys.argv[2]) else '**not met**'))" "$1" "$2"
}

CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
# The SQLite compiled into repairdesk (rusqlite's bundled copy).
LIBSQLITE=$(awk '/name = "libsqlite3-sys"/ {getline; gsub(/[^0-9.]/, ""); print; exit}' "$ROOT/Cargo.lock")
BUNDLED=$(grep -h -m1 '#define SQLITE_VERSION ' "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/libsqlite3-sys-"$LIBSQLITE"/sqlite3/sqlite3.c 2>/dev/null \
    | head -1 | cut -d'"' -f2)
MEMTOTAL=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
DEMO_S=$(cut -d' ' -f1 "$BENCH_DIR/demo-$N.seconds" 2>/dev/null || echo "n/a")
DEMO_MB=$(awk '{printf "%.1f", $2/1024}' "$BENCH_DIR/demo-$N.seconds" 2>/dev/null || echo "n/a")
{
    echo "# Benchmarks"
    echo
    echo "Written by \`scripts/bench.sh$([ "$SMOKE" = 1 ] && echo " --smoke")\` on $(date -u '+%Y-%m-%d %H:%M UTC'). Medians; whole"
    echo "commands by hyperfine ($RUNS runs, $IMPORT_RUNS for the imports, after warm-up runs), the in-process"
    echo "pieces by \`cargo bench\` (criterion) against the same database. See"
    echo "\"How to run\" and \"Notes\" below."
    echo
    echo "## Machine"
    echo
    echo "| | |"
    echo "|---|---|"
    echo "| CPUs (nproc) | $(nproc) |"
    echo "| CPU | $CPU |"
    echo "| memory | $MEMTOTAL |"
    echo "| OS | $(uname -sr) |"
    echo "| rustc | $(rustc -V) |"
    echo "| SQLite | ${BUNDLED:-bundled} in repairdesk (libsqlite3-sys $LIBSQLITE); $(sqlite3 --version | cut -d' ' -f1) in the sqlite3 shell |"
    echo "| hyperfine | $(hyperfine --version | cut -d' ' -f2) |"
    echo
    echo "## Data"
    echo
    echo "- \`demo-$N.db\`: \`repairdesk demo --tickets $N --no-tui\` at $REPAIRDESK_NOW: $TOTAL tickets, $OPEN open, $(du -m "$DB" | cut -f1) MB; made in $DEMO_S s (peak memory $DEMO_MB MB)."
    echo "- \`dispatch-$M.csv\`: \`scripts/gen-dispatch.py $M\` (UTF-8): $(( $(wc -l <"$CSV") - 1 )) rows, $(du -m "$CSV" | cut -f1) MB."
    echo "- \`open-$OPEN_N.db\`: \`repairdesk import dispatch-$OPEN_N.csv\`: $O_OPEN open tickets (all waiting for the first contact, every one breached at $REPAIRDESK_NOW)."
    echo
    echo "## Round two: a region's tickets, imports that share the database, compact history"
    echo
    echo "| what | target | measured | peak memory | |"
    echo "|---|---|---|---|---|"
    echo "| import $M dispatch rows (\`repairdesk import\`) vs sqlite3 \`.import\` of the same file | ≤ 3 × (moonshot 1.5 ×), ≤ 200 MB | $IMPORT_MS ms vs $SQLITE_MS ms = **${RATIO} ×** | $MEM_IMPORT MB | $(verdict "$RATIO" 3) ratio, $(verdict "$MEM_IMPORT" 200) memory |"
    echo "| another desk's transition (\`ticket contact\`, whole process) while that import runs: the longest of $WAIT_N | ≤ 1 s | $WAIT_MS ms | | $(verdict "$WAIT_MS" 1000) |"
    echo "| bytes per ticket, \`demo-$N.db\` (full history) | ≤ 1,600 | $PER_TICKET (per ticket: $SPACE) | | $(verdict "$PER_TICKET" 1600) |"
    echo "| \`demo --tickets $N\` | ≤ 60 s at 1,000,000 | $DEMO_S s | $DEMO_MB MB | $( [ "$N" = 1000000 ] && verdict "$DEMO_S" 60 || echo "at $N tickets; scaled: $(python3 -c "print('%.0f' % (float('$DEMO_S') * 1000000 / $N))" 2>/dev/null || echo n/a) s per million" ) |"
    echo "| dashboard, $O_OPEN open: first frame after start (200×60 pty) | ≤ 150 ms | $O_FIRST_MS ms | $MEM_ODASH MB | $(verdict "$O_FIRST_MS" 150) |"
    echo "| dashboard, $O_OPEN open: the whole open set read behind the first screen and drawn (\`--exit-after-load\`) | — | $O_LOADED_MS ms | $MEM_OLOADED MB | |"
    echo "| dashboard, $O_OPEN open: peak memory (first frame; whole open set held) | ≤ 150 MB | $MEM_ODASH MB; $MEM_OLOADED MB | | $(verdict "$MEM_OLOADED" 150) |"
    echo "| dashboard, $O_OPEN open: another desk's change → the next tick reads it (only the changed tickets) + frame | ≤ 20 ms | $O_CHANGE_MS ms | | $(verdict "$O_CHANGE_MS" 20) |"
    echo "| dashboard, $O_OPEN open: key press → frame (\`j\`) | ≤ 16 ms | $O_KEY_MS ms (frame alone $O_FRAME_MS ms) | | $(verdict "$O_KEY_MS" 16) |"
    echo "| dashboard, $O_OPEN open: a tick with nothing changed (alerts of 10,000 rows again) | — | $O_TICK_MS ms | | |"
    echo "| dashboard, $O_OPEN open: a full read (start, \`F5\`) in process | — | $O_MODEL_MS ms | | |"
    echo "| dashboard, $O_OPEN open: filter as you type, 2-char name | ≤ 50 ms | $O_F_NAME ms | | $(verdict "$O_F_NAME" 50) |"
    echo "| \`alerts\`, $O_OPEN open | ≤ 300 ms | $O_ALERTS_MS ms | $MEM_OALERTS MB | $(verdict "$O_ALERTS_MS" 300) |"
    if [ "$PG_DONE" = 1 ]; then
        echo "| PostgreSQL (local server): import $PG_ROWS rows vs \`psql \\copy\` of the same file into a plain table | ≤ 2 × | $PG_IMPORT_MS ms vs $PG_COPY_MS ms = **${PG_RATIO} ×** | | $(verdict "$PG_RATIO" 2) |"
        echo "| PostgreSQL: one transition, whole process ($PG_TICKETS tickets) | ≤ 15 ms | $PG_CONTACT_MS ms | | $(verdict "$PG_CONTACT_MS" 15) |"
        echo "| PostgreSQL: 2-char name search, whole process (\`ticket list --search\`, open tickets) | ≤ 50 ms | $PG_SEARCH_MS ms | | $(verdict "$PG_SEARCH_MS" 50) |"
        echo "| PostgreSQL: the month's figures, whole process (\`report kpi\`) | ≤ 300 ms | $PG_KPI_MS ms | | $(verdict "$PG_KPI_MS" 300) |"
    else
        echo "| PostgreSQL rows | | $PG_NOTE | | |"
    fi
    if [ "$REGION_DONE" = 1 ]; then
        rg() { sed -n "s/^$1=//p" "$BENCH_DIR/region.txt"; }
        R_P99=$(rg desks_line | sed -n 's/.*p99_ms \([0-9.]*\).*/\1/p')
        R_ERR=$(rg desks_line | sed -n 's/.*errors \([0-9]*\).*/\1/p')
        R_DESKS_OK=$(python3 -c "print('met' if float('${R_P99:-inf}') <= 50 and '${R_ERR:-1}' == '0' else '**not met**')")
        echo "| PostgreSQL region database: $(rg tickets) tickets in $(rg stations) stations ($(rg open) open, $(rg station_open) at a station), $(rg db_mb) MB, built in $(rg build_s) s | ≥ 5M tickets, ≥ 100 stations, ≥ 50k open | | | $(python3 -c "print('met' if $(rg tickets) >= 5000000 and $(rg stations) >= 100 and $(rg open) >= 50000 else '**smaller**')") |"
        echo "| region database: a station's first frame (coordinator of S001, 200×60 pty) | ≤ 300 ms | $(rg station_frame_ms) ms (of which \`script\` alone $(rg script_ms) ms) | | $(verdict "$(rg station_frame_ms)" 300) |"
        echo "| region database: the region's first frame (the region login) | ≤ 500 ms | $(rg region_frame_ms) ms | $(rg region_mem_mb) MB | $(verdict "$(rg region_frame_ms)" 500) |"
        echo "| region database: one transition, whole process (\`ticket contact\` at S001) | ≤ 15 ms | $(rg transition_ms) ms | | $(verdict "$(rg transition_ms)" 15) |"
        echo "| region database: $(rg desks) desks of $(rg desks) stations making transitions for $(rg desks_seconds) s (\`examples/pg_desks.rs\`) | p99 ≤ 50 ms, 0 errors | $(rg desks_line) | | $R_DESKS_OK |"
        echo "| region database: 2-char name search at a station, whole process | ≤ 50 ms | $(rg search_ms) ms | | $(verdict "$(rg search_ms)" 50) |"
        echo "| region database: a station's monthly figures, whole process (\`report kpi\`) | ≤ 300 ms | $(rg kpi_ms) ms | | $(verdict "$(rg kpi_ms)" 300) |"
    else
        echo "| PostgreSQL region database | see issue 16 | not measured: no server, or \`--no-region\` | | not measured |"
    fi
    echo
    echo "## Round one: the station (\`demo-$N.db\`)"
    echo
    echo "| what | target | measured | peak memory | |"
    echo "|---|---|---|---|---|"
    echo "| one transition, whole process (\`ticket contact\`) | ≤ 15 ms | $CONTACT_MS ms | $MEM_CONTACT MB | $(verdict "$CONTACT_MS" 15) |"
    echo "| one transition, decided and recorded (in process) | — | $TRANSITION_MS ms | | |"
    echo "| dashboard model load (4 panes + counts + alerts) | ≤ 20 ms | $MODEL_MS ms | | $(verdict "$MODEL_MS" 20) |"
    echo "| one frame 200×60 | ≤ 2 ms | $FRAME_MS ms | | $(verdict "$FRAME_MS" 2) |"
    echo "| key press → new frame (\`j\`) | ≤ 16 ms | $KEY_MS ms | | $(verdict "$KEY_MS" 16) |"
    echo "| first frame after start (\`--exit-after-first-frame\` in a 200×60 pty) | ≤ 150 ms | $FIRST_MS ms (of which \`script\` alone $SCRIPT_MS ms) | $MEM_DASH MB | $(verdict "$FIRST_MS" 150) |"
    echo "| filter as you type, 2-char name: last key → frame | ≤ 50 ms | $F_NAME ms | | $(verdict "$F_NAME" 50) |"
    echo "| filter as you type, 4-digit phone: last key → frame | ≤ 50 ms | $F_PHONE ms | | $(verdict "$F_PHONE" 50) |"
    echo "| filter as you type, serial: last key → frame | ≤ 50 ms | $F_SERIAL ms | | $(verdict "$F_SERIAL" 50) |"
    echo "| search all tickets (open and closed), 2-char name / 4-digit phone / serial | ≤ 50 ms | $S_NAME / $S_PHONE / $S_SERIAL ms | | $(verdict "$(python3 -c "print(max(float(x) for x in '$S_NAME $S_PHONE $S_SERIAL'.split()))" 2>/dev/null || echo n/a)" 50) |"
    echo "| \`alerts\` | ≤ 300 ms | $ALERTS_MS ms | $MEM_ALERTS MB | $(verdict "$ALERTS_MS" 300) |"
    echo "| \`report kpi --month $MONTH\` | ≤ 300 ms | $KPI_MS ms | $MEM_KPI MB | $(verdict "$KPI_MS" 300) |"
    echo "| the month's figures (in process) | — | $MONTH_MS ms | | |"
    echo "| peak memory, dashboard | ≤ 80 MB | $MEM_DASH MB | | $(verdict "$MEM_DASH" 80) |"
    echo
    if [ -f "$ROOT/docs/benchmarks-notes.md" ]; then
        cat "$ROOT/docs/benchmarks-notes.md"
    fi
} >"$OUT"
echo "wrote $OUT" >&2
cat "$OUT"
