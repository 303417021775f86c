#!/usr/bin/env bash
# The kill loop of docs/data-safety.md: ROUNDS rounds (default 100) of an
# import and two bursts of ticket commands running at once, all killed
# with SIGKILL at a random moment; after each kill, once every killed
# process is gone:
#   - PRAGMA integrity_check is ok;
#   - every ticket row is its events' sum: version = number of events,
#     status = the last event's, no event without its ticket;
#   - every transition a burst reported (the command had exited 0) is in
#     the history, and at most one unreported command per burst is there;
#   - the import left whole batches: a file of at most 5,000 rows entirely
#     or not at all, a larger one its first N rows, each ticket complete;
#     run again, it completes the file (imported + skipped = the rows).
# Not part of `cargo test` (minutes of work). Needs sqlite3 and awk.
#
#   scripts/kill-loop.sh [ROUNDS] [BINARY]     # default: target/debug/repairdesk
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-100}
BIN=$(realpath "${2:-target/debug/repairdesk}")
[ -x "$BIN" ] || { echo "no binary at $BIN (cargo build first)" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "needs sqlite3" >&2; exit 2; }
WORK=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT; echo "work: $WORK" >&2
DB="$WORK/station.db"
export REPAIRDESK_NOW="2026-11-26 09:30" XDG_CONFIG_HOME="$WORK/config" LC_ALL=C.UTF-8
unset REPAIRDESK_DB REPAIRDESK_CONFIG
HEADER="维修单号,报修时间,用户姓名,联系电话,地址,区县,产品线,机型,主机号,故障描述,服务方式,特殊用户,催上门,保修状态,优先级,备注"

fail() { echo "round $round: FAILED: $*" >&2; exit 1; }
q() { sqlite3 -cmd ".timeout 30000" "$DB" "$@"; }

# Four tickets per burst, made before the loop.
tickets=()
for i in $(seq 8); do
  tickets+=("$(REPAIRDESK_USER=kill-loop "$BIN" --db "$DB" ticket new --customer "客户$i" \
    --phone 13800138000 --fault f --service-type carry-in)")
done

# A burst: contacts with a unique note each, "ok TAG" after each success.
burst_script='
B="$1"; DB="$2"; R="$3"; W="$4"; shift 4
i=0
while [ $i -lt 100000 ]; do
  i=$((i+1))
  j=0
  for T in "$@"; do
    j=$((j+1))
    tag="K${R}_${W}_${i}_${j}_Z"
    "$B" --db "$DB" ticket contact "$T" --result no-answer --note "$tag" >/dev/null 2>&1 || exit 9
    echo "ok $tag"
  done
done'

alive() { ps -e -o pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/' | grep -q .; }

kills=0 reported_total=0 unreported_total=0 max_unreported=0 imports_partial=0 imports_rerun=0
started=$(date +%s)
for round in $(seq "$ROUNDS"); do
  # Odd rounds: a daily file (all or nothing); even: a large one (batches).
  rows=$(( round % 2 == 1 ? 3000 : 9000 ))
  prefix=$(printf 'R%03d' "$round")
  file="$WORK/$prefix.csv"
  { echo "$HEADER"
    awk -v p="$prefix" -v n="$rows" 'BEGIN { for (i = 0; i < n; i++)
      printf "%s%06d,2026-11-26 08:30,张伟,13812345678,中关村大街1号,海淀区,ThinkPad,T14,PF%s%06d,开机无显示,上门,否,,保内,普通,\n", p, i, p, i }'
  } > "$file"
  burst_before=$(q "SELECT COUNT(*) FROM events WHERE actor = 'kill-loop-burst'")
  # One process group: the import and both bursts.
  setsid bash -c '
    B="$1"; DB="$2"; F="$3"; R="$4"; S="$5"; shift 5
    REPAIRDESK_USER=kill-loop-import "$B" --db "$DB" import "$F" >/dev/null 2>&1 &
    REPAIRDESK_USER=kill-loop-burst sh -c "$S" burst "$B" "$DB" "$R" a "$1" "$2" "$3" "$4" > "$F.a" &
    REPAIRDESK_USER=kill-loop-burst sh -c "$S" burst "$B" "$DB" "$R" b "$5" "$6" "$7" "$8" > "$F.b" &
    wait' group "$BIN" "$DB" "$file" "$round" "$burst_script" "${tickets[@]}" &
  leader=$!
  # A random moment in the first 0.05–3 s (the import takes about 3 s).
  sleep "$(awk -v s="$RANDOM" 'BEGIN { srand(s); printf "%.3f", 0.05 + rand() * 2.95 }')"
  kill -9 -- "-$leader" 2>/dev/null || true
  wait "$leader" 2>/dev/null || true
  while alive "$leader"; do sleep 0.01; done
  kills=$((kills + 1))

  # The database is sound and every ticket is its events' sum.
  [ "$(q 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
  bad=$(q "SELECT COUNT(*) FROM tickets t WHERE t.version <> (SELECT COUNT(*) FROM events e WHERE e.ticket_id = t.id)
           OR t.status IS NOT (SELECT e.to_status FROM events e WHERE e.ticket_id = t.id ORDER BY e.id DESC LIMIT 1)")
  [ "$bad" = 0 ] || fail "$bad tickets differ from their events"
  [ "$(q 'SELECT COUNT(*) FROM events WHERE ticket_id NOT IN (SELECT id FROM tickets)')" = 0 ] || fail "orphan events"

  # Every reported transition is there; at most one more per burst.
  cat "$file.a" "$file.b" | awk '/^ok .*_Z$/ { print $2 }' | sort -u > "$WORK/reported"
  q "SELECT json_extract(data, '\$.note') FROM events WHERE actor = 'kill-loop-burst' AND data LIKE '%K${round}\\_%' ESCAPE '\\'" \
    | sort -u > "$WORK/applied"
  lost=$(comm -23 "$WORK/reported" "$WORK/applied" | wc -l)
  [ "$lost" = 0 ] || fail "$lost reported transitions missing: $(comm -23 "$WORK/reported" "$WORK/applied" | head -3)"
  reported=$(wc -l < "$WORK/reported")
  burst_after=$(q "SELECT COUNT(*) FROM events WHERE actor = 'kill-loop-burst'")
  unreported=$(( burst_after - burst_before - reported ))
  [ "$unreported" -ge 0 ] && [ "$unreported" -le 2 ] || fail "$reported reported, $((burst_after - burst_before)) applied"
  reported_total=$((reported_total + reported))
  unreported_total=$((unreported_total + unreported))
  [ "$unreported" -gt "$max_unreported" ] && max_unreported=$unreported

  # The import: whole batches, the file's first rows, each ticket complete.
  present=$(q "SELECT COUNT(*) FROM tickets WHERE ticket_no LIKE '${prefix}%'")
  last=$(q "SELECT COALESCE(MAX(CAST(substr(ticket_no, 5) AS INTEGER)), -1) FROM tickets WHERE ticket_no LIKE '${prefix}%'")
  [ "$last" = $((present - 1)) ] || fail "import left rows out of order: $present present, last $last"
  if [ "$rows" -le 5000 ]; then
    [ "$present" = 0 ] || [ "$present" = "$rows" ] || fail "a $rows-row file is partly imported ($present)"
  fi
  [ "$present" -gt 0 ] && [ "$present" -lt "$rows" ] && imports_partial=$((imports_partial + 1))
  # Run again, it completes the file.
  out=$(REPAIRDESK_USER=kill-loop-import "$BIN" --db "$DB" import "$file" 2>&1)
  case "$out" in
    *"imported $((rows - present)), skipped as already present $present, rejected 0"*) ;;
    *) fail "re-run after $present present: $out" ;;
  esac
  [ "$(q "SELECT COUNT(*) FROM tickets WHERE ticket_no LIKE '${prefix}%'")" = "$rows" ] || fail "re-run incomplete"
  imports_rerun=$((imports_rerun + 1))
  rm -f "$file" "$file.a" "$file.b"
  printf '\rround %d/%d: %d reported, %d unreported applied, import %d/%d before the re-run   ' \
    "$round" "$ROUNDS" "$reported" "$unreported" "$present" "$rows" >&2
done
echo >&2
echo "kill loop: $kills rounds killed with SIGKILL in $(( $(date +%s) - started )) s ($BIN)"
echo "  integrity_check ok and every ticket = its events after every kill"
echo "  transitions reported: $reported_total, lost: 0; applied without being reported: $unreported_total (at most $max_unreported in a round, 2 commands in flight)"
echo "  imports killed half-way (whole batches kept): $imports_partial; re-runs that completed the file: $imports_rerun"
echo "  tickets: $(q 'SELECT COUNT(*) FROM tickets'), events: $(q 'SELECT COUNT(*) FROM events')"
