#!/usr/bin/env bash
# The concurrency figures of docs/data-safety.md: WRITERS processes
# (default 7) each run COMMANDS ticket commands (default 40: contacts on
# their own ticket and on one shared by all, some with --expect-version,
# and a new ticket now and then) while a large import (60,000 rows, in
# batches) and a reader (`ticket list`, `alerts`) run. Every command is
# timed. Reports how many commands saw "locked"/"busy" (must be none), how
# many ended otherwise than 0 or 5 (a refused --expect-version, must be
# none), and the longest and 95th-percentile times; then checks that the
# history holds exactly the successful commands.
# Not part of `cargo test`. Needs sqlite3 and awk.
#
#   scripts/concurrent-writers.sh [WRITERS] [COMMANDS] [BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
WRITERS=${1:-7}
COMMANDS=${2:-40}
BIN=$(realpath "${3:-target/debug/repairdesk}")
[ -x "$BIN" ] || { echo "no binary at $BIN (cargo build first)" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DB="$WORK/station.db"
export REPAIRDESK_NOW="2026-11-26 09:30" XDG_CONFIG_HOME="$WORK/config" LC_ALL=C.UTF-8
export REPAIRDESK_USER=coordinator
unset REPAIRDESK_DB REPAIRDESK_CONFIG
HEADER="维修单号,报修时间,用户姓名,联系电话,地址,区县,产品线,机型,主机号,故障描述,服务方式,特殊用户,催上门,保修状态,优先级,备注"
rd() { "$BIN" --db "$DB" "$@"; }
q() { sqlite3 -cmd ".timeout 30000" "$DB" "$@"; }

shared=$(rd ticket new --customer 共享 --phone 13800138000 --fault f --service-type carry-in)
own=()
for w in $(seq "$WRITERS"); do
  own+=("$(rd ticket new --customer "客户$w" --phone 13800138000 --fault f --service-type carry-in)")
done
{ echo "$HEADER"
  awk 'BEGIN { for (i = 0; i < 60000; i++)
    printf "B%07d,2026-11-26 08:30,张伟,13812345678,中关村大街1号,海淀区,ThinkPad,T14,PFB%07d,开机无显示,上门,否,,保内,普通,\n", i, i }'
} > "$WORK/big.csv"
events_before=$(q "SELECT COUNT(*) FROM events")

# One writer: "CODE MILLISECONDS LOCKED" per command.
writer() {
  local w=$1 mine=$2 i start end code err locked version
  for i in $(seq "$COMMANDS"); do
    start=$(date +%s%N)
    case $((i % 5)) in
      0) err=$(rd ticket new --customer "w$w-$i" --phone 13800138000 --fault f \
               --service-type carry-in 2>&1 >/dev/null) && code=0 || code=$? ;;
      1) version=$(rd --json ticket show "$shared" | awk -F'[:,]' '/"version"/ { gsub(/ /, "", $2); print $2 }')
         start=$(date +%s%N)
         err=$(rd ticket contact "$shared" --result no-answer --expect-version "$version" 2>&1 >/dev/null) \
           && code=0 || code=$? ;;
      2) err=$(rd ticket contact "$shared" --result no-answer 2>&1 >/dev/null) && code=0 || code=$? ;;
      *) err=$(rd ticket contact "$mine" --result no-answer 2>&1 >/dev/null) && code=0 || code=$? ;;
    esac
    end=$(date +%s%N)
    case "$err" in *locked*|*busy*) locked=1 ;; *) locked=0 ;; esac
    echo "$code $(( (end - start) / 1000000 )) $locked"
  done
}

import_start=$(date +%s%N)
( rd import "$WORK/big.csv" > "$WORK/import.out" 2>&1; echo "$(( ($(date +%s%N) - import_start) / 1000000 ))" > "$WORK/import.ms" ) &
importer=$!
sleep 1   # the import is under way (its first batch)
( while kill -0 "$importer" 2>/dev/null; do
    rd ticket list >/dev/null 2>"$WORK/reader.err" || echo "reader failed: $(cat "$WORK/reader.err")"
    rd alerts >/dev/null 2>&1 || echo "alerts failed"
  done > "$WORK/reader.out" ) &
reader=$!
pids=()
for w in $(seq "$WRITERS"); do
  writer "$w" "${own[$((w - 1))]}" > "$WORK/writer.$w" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
writers_done=$(( ($(date +%s%N) - import_start) / 1000000 ))
wait "$importer"
wait "$reader"

cat "$WORK"/writer.* > "$WORK/all"
total=$(wc -l < "$WORK/all")
ok=$(awk '$1 == 0' "$WORK/all" | wc -l)
conflicts=$(awk '$1 == 5' "$WORK/all" | wc -l)
other=$(awk '$1 != 0 && $1 != 5' "$WORK/all" | wc -l)
locked=$(awk '$3 == 1' "$WORK/all" | wc -l)
max=$(sort -n -k2 "$WORK/all" | tail -1 | awk '{ print $2 }')
p95=$(sort -n -k2 "$WORK/all" | awk -v n="$total" 'NR == int(n * 0.95 + 0.5) { print $2 }')
median=$(sort -n -k2 "$WORK/all" | awk -v n="$total" 'NR == int(n / 2 + 0.5) { print $2 }')
events_after=$(q "SELECT COUNT(*) FROM events")
imported=$(q "SELECT COUNT(*) FROM tickets WHERE ticket_no LIKE 'B%'")
expected=$(( events_before + ok + imported ))
echo "concurrent writers: $WRITERS writers x $COMMANDS commands, a reader, a 60,000-row import ($BIN)"
echo "  commands: $total; succeeded $ok, refused by --expect-version (exit 5) $conflicts, other failures $other"
echo "  saw \"locked\" or \"busy\": $locked"
echo "  time per command (process start included): median ${median} ms, 95% ${p95} ms, max ${max} ms"
echo "  import: $(cat "$WORK/import.out" | tail -1) in $(cat "$WORK/import.ms") ms (writers done after ${writers_done} ms)"
echo "  reader failures: $(grep -c . "$WORK/reader.out" || true)"
echo "  events: $events_after, expected $expected (before + successes + imported tickets)"
[ "$locked" = 0 ] && [ "$other" = 0 ] && [ "$events_after" = "$expected" ] && [ "$imported" = 60000 ] \
  || { echo "FAILED" >&2; exit 1; }
[ "$(q 'PRAGMA integrity_check')" = ok ] || { echo "FAILED: integrity_check" >&2; exit 1; }
echo "  integrity_check ok"

# The same writers with no import: what the machine itself costs.
pids=()
for w in $(seq "$WRITERS"); do
  writer "$w" "${own[$((w - 1))]}" > "$WORK/base.$w" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
cat "$WORK"/base.* > "$WORK/base"
n=$(wc -l < "$WORK/base")
bmax=$(sort -n -k2 "$WORK/base" | tail -1 | awk '{ print $2 }')
bp95=$(sort -n -k2 "$WORK/base" | awk -v n="$n" 'NR == int(n * 0.95 + 0.5) { print $2 }')
bmedian=$(sort -n -k2 "$WORK/base" | awk -v n="$n" 'NR == int(n / 2 + 0.5) { print $2 }')
echo "  the same writers without the import: median ${bmedian} ms, 95% ${bp95} ms, max ${bmax} ms; \"locked\": $(awk '$3 == 1' "$WORK/base" | wc -l)"
