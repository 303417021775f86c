#!/usr/bin/env bash
# Times repairdesk at a million tickets and writes BENCHMARKS.md.
#
#   scripts/bench.sh            # 1,000,000 tickets; writes BENCHMARKS.md
#   scripts/bench.sh --smoke    # 5,000 tickets, few runs; writes $BENCH_DIR/BENCHMARKS.md
#
# Whole commands are timed with hyperfine (medians over several runs) and
# their peak memory with /usr/bin/time; the in-process pieces (transition,
# dashboard model, frame, key press, filter) come from `cargo bench` run
# against the same database. The data sets are made once into $BENCH_DIR
# (default /tmp/repairdesk-bench) and reused:
#   demo-N.db       repairdesk demo --tickets N --no-tui (the dashboard's data)
#   dispatch-N.csv  scripts/gen-dispatch.py N (the import's input)
# hyperfine, sqlite3, /usr/bin/time and script are installed with apt-get
# when missing.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=1000000
RUNS=10
IMPORT_RUNS=3
OUT="$ROOT/BENCHMARKS.md"
SMOKE=0
BENCH_DIR=${BENCH_DIR:-/tmp/repairdesk-bench}
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) SMOKE=1; N=5000; RUNS=3; IMPORT_RUNS=2; OUT="" ;;
        --tickets) N=$2; shift ;;
        --runs) RUNS=$2; shift ;;
        --out) OUT=$2; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "bench.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
    shift
done
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

echo "building (release) ..." >&2
(cd "$ROOT" && cargo build --release --quiet)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN="$BENCH_DIR/repairdesk"
cp "$TARGET/release/repairdesk" "$BIN"

DB="$BENCH_DIR/demo-$N.db"
CSV="$BENCH_DIR/dispatch-$N.csv"
if [ ! -s "$DB" ]; then
    echo "making $DB (once) ..." >&2
    rm -f "$DB" "$DB-wal" "$DB-shm"
    /usr/bin/time -f "%e" -o "$BENCH_DIR/demo-$N.seconds" \
        "$BIN" --db "$DB" demo --tickets "$N" --no-tui >/dev/null
fi
if [ ! -s "$CSV" ]; then
    echo "making $CSV (once) ..." >&2
    python3 "$ROOT/scripts/gen-dispatch.py" "$N" -o "$CSV" --encoding utf-8
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
(cd "$ROOT" && REPAIRDESK_BENCH_DB="$DB" cargo bench --quiet --bench store --bench dashboard -- "${CRIT[@]}") >"$RESULTS/cargo-bench.txt" 2>&1 \
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

verdict() { # value op limit
    python3 -c "import sys; v=sys.argv[1]; print('n/a' if v=='n/a' else ('met' if float(v) <= float(sys.argv[2]) else '**not met**'))" "$1" "$2"
}

CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
# The SQLite compiled into repairdesk (rusqlite's bundled copy).
LIBSQLITE=$(awk '/name = "libsqlite3-sys"/ {getline; gsub(/[^0-9.]/, ""); print; exit}' "$ROOT/Cargo.lock")
BUNDLED=$(grep -h -m1 '#define SQLITE_VERSION ' "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/libsqlite3-sys-"$LIBSQLITE"/sqlite3/sqlite3.c 2>/dev/null \
    | head -1 | cut -d'"' -f2)
MEMTOTAL=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
DEMO_S=$(cat "$BENCH_DIR/demo-$N.seconds" 2>/dev/null || echo "n/a")
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
    echo "- \`demo-$N.db\`: \`repairdesk demo --tickets $N --no-tui\` at $REPAIRDESK_NOW: $TOTAL tickets, $OPEN open, $(du -m "$DB" | cut -f1) MB; made in $DEMO_S s."
    echo "- \`dispatch-$N.csv\`: \`scripts/gen-dispatch.py $N\` (UTF-8): $(( $(wc -l <"$CSV") - 1 )) rows, $(du -m "$CSV" | cut -f1) MB."
    echo
    echo "## Results against the targets"
    echo
    echo "| what | target | measured | peak memory | |"
    echo "|---|---|---|---|---|"
    echo "| import $N dispatch rows (\`repairdesk import\`) vs sqlite3 \`.import\` of the same file | ≤ 1.5 × | $IMPORT_MS ms vs $SQLITE_MS ms = **${RATIO} ×** | $MEM_IMPORT MB | $(verdict "$RATIO" 1.5) |"
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
