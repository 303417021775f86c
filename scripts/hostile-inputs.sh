#!/usr/bin/env bash
# The hostile inputs of docs/data-safety.md, each run against the real
# binary with a 1 GB address-space limit and a 2-minute timeout: dispatch
# files (broken quotes, line ends, poisoned ticket numbers, /dev/zero, a
# zip bomb, a million columns …), databases that are not ours or are
# damaged, a full disk and a read-only folder, planted links, failing
# output, bad flags and configuration. Each input states what must happen
# (the exit status and words of the message, the database untouched or
# consistent); none may panic. Prints one line per input and the totals.
# Not part of `cargo test`. Needs sqlite3, python3; the full-disk and
# read-only cases need root (a tmpfs mount, `setpriv`) and are skipped
# otherwise.
#
#   scripts/hostile-inputs.sh [BINARY]      # default: target/debug/repairdesk
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${1:-target/debug/repairdesk}")
[ -x "$BIN" ] || { echo "no binary at $BIN (cargo build first)" >&2; exit 2; }
WORK=$(mktemp -d)
MNT=""
cleanup() {
  [ -n "$MNT" ] && umount "$MNT" 2>/dev/null && rmdir "$MNT"
  chmod -R u+w "$WORK" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
export REPAIRDESK_NOW="2026-11-26 09:30" REPAIRDESK_USER=coordinator LC_ALL=C.UTF-8
export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data" HOME="$WORK"
unset REPAIRDESK_DB REPAIRDESK_CONFIG
DB="$WORK/station.db"
HEADER="维修单号,报修时间,用户姓名,联系电话,地址,区县,产品线,机型,主机号,故障描述,服务方式,特殊用户,催上门,保修状态,优先级,备注"
row() { printf '%s,2026-11-26 08:30,张伟,13812345678,中关村大街1号,海淀区,ThinkPad,T14,PF1,开机无显示,上门,否,,保内,普通,\n' "$1"; }

tried=0 passed=0 skipped=0
failures=()
OUT="$WORK/out" ERR="$WORK/err"

# run [--db FILE] ARGS…: the binary, limited, its status in $code, its
# peak memory in $rss_mb, its time in $secs.
run() {
  local db="$DB"
  if [ "$1" = --db ]; then db=$2; shift 2; fi
  /usr/bin/time -f '%M %e' -o "$WORK/time" \
    bash -c 'ulimit -v 1048576; exec timeout 120 "$@"' rd "$BIN" --db "$db" "$@" >"$OUT" 2>"$ERR" </dev/null
  code=$?
  rss_mb=$(( $(awk 'END { print $1 }' "$WORK/time" 2>/dev/null || echo 0) / 1024 ))
  secs=$(awk 'END { print $2 }' "$WORK/time" 2>/dev/null)
}

# verdict NAME CONDITION-STATUS: one line; a panic fails whatever else.
verdict() {
  local name=$1 ok=$2
  tried=$((tried + 1))
  if grep -q "panicked" "$ERR" || [ "$code" = 101 ] || [ "$code" = 124 ]; then ok=1; fi
  if [ "$ok" = 0 ]; then
    passed=$((passed + 1))
    printf 'ok    %-58s exit %-3s %5s MB %6ss\n' "$name" "$code" "$rss_mb" "$secs"
  else
    failures+=("$name")
    printf 'FAIL  %-58s exit %-3s %5s MB %6ss\n' "$name" "$code" "$rss_mb" "$secs"
    sed 's/^/        /' "$ERR" | head -5
  fi
}
has() { grep -q -- "$1" "$ERR" "$OUT"; }
skip() { tried=$((tried + 1)); skipped=$((skipped + 1)); printf 'skip  %s (%s)\n' "$1" "$2"; }
sound() { code=0 rss_mb=0 secs=-; : > "$ERR"; [ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok ]; }
# summary_adds_up ROWS: the import's three counts add up to the data rows.
summary_adds_up() {
  awk -v want="$1" '/imported [0-9]+, skipped as already present [0-9]+, rejected [0-9]+/ {
      match($0, /imported [0-9]+/); i = substr($0, RSTART + 9, RLENGTH - 9)
      match($0, /present [0-9]+/); s = substr($0, RSTART + 8, RLENGTH - 8)
      match($0, /rejected [0-9]+/); r = substr($0, RSTART + 9, RLENGTH - 9)
      found = 1; if (i + s + r != want) exit 1 }
    END { exit found ? 0 : 1 }' "$OUT" "$ERR"
}
import_file() { run import "$1"; }

run staff add 王工 >/dev/null

echo "== dispatch files"
F=$WORK/f
: > "$F.csv"; import_file "$F.csv"; verdict "empty file" $([ $code = 2 ] && has "$F.csv"; echo $?)
echo "$HEADER" > "$F.csv"; import_file "$F.csv"; verdict "header only" $([ $code = 0 ] && summary_adds_up 0; echo $?)
head -c 1000000 /dev/urandom > "$F.csv"; import_file "$F.csv"; verdict "1 MB of random bytes" $([ $code = 2 ]; echo $?)
{ printf '\xff\xfe'; printf '%s\n' "$HEADER" "$(row U1)" | iconv -f utf-8 -t utf-16le; } > "$F.csv"
import_file "$F.csv"; verdict "UTF-16 file" $([ $code = 2 ] || [ $code = 0 ]; echo $?)
printf '%s\n' "$HEADER" "$(row X1)" > "$F.xlsx"; import_file "$F.xlsx"; verdict "CSV text named .xlsx" $([ $code = 2 ] && has "$F.xlsx"; echo $?)
mkdir -p "$WORK/dir.csv"; import_file "$WORK/dir.csv"; verdict "a directory as the file" $([ $code = 2 ] && has dir.csv; echo $?)
import_file "$WORK/missing.csv"; verdict "a file that does not exist" $([ $code != 0 ] && has missing.csv; echo $?)
import_file /dev/null; verdict "/dev/null" $([ $code = 2 ] || [ $code = 0 ]; echo $?)
import_file /dev/zero; verdict "/dev/zero as a CSV" $([ $code = 2 ] && [ $rss_mb -lt 200 ]; echo $?)
head -c 100000000 /dev/zero | tr '\0' 'a' > "$F.csv"; import_file "$F.csv"
verdict "100 MB without a line end" $([ $code = 2 ] && [ $rss_mb -lt 200 ] && [ $(wc -l < "$ERR") -le 3 ]; echo $?)
{ echo "$HEADER"; printf '"'; head -c 100000000 /dev/zero | tr '\0' 'b'; printf '",x\n'; row Q1; } > "$F.csv"
import_file "$F.csv"; verdict "a 100 MB quoted cell, then a good row" $([ $code = 6 ] && summary_adds_up 2 && [ $rss_mb -lt 200 ]; echo $?)
{ python3 -c 'import sys; sys.stdout.write(",".join("c%d" % i for i in range(1000000)) + "\n")'; row M1; } > "$F.csv"
import_file "$F.csv"; verdict "a header of a million columns" $([ $code = 2 ] && [ $(wc -c < "$ERR") -lt 2000 ]; echo $?)
{ echo "$HEADER"; printf 'W70K,2026-11-26 08:30,%s,13812345678,a,b,c,d,e,f,上门,否,,保内,普通,\n' "$(head -c 70000 /dev/zero | tr '\0' 'x')"; row W70OK; } > "$F.csv"
import_file "$F.csv"; verdict "a 70 KB cell" $([ $code = 6 ] && summary_adds_up 2 && has "limit"; echo $?)
{ echo "$HEADER"; row WIDE1 | sed 's/$/'"$(printf ',x%.0s' $(seq 2000))"'/'; row WIDE2; } > "$F.csv"
import_file "$F.csv"; verdict "a row of 2,000 cells" $([ $code = 6 ] || [ $code = 0 ]; summary_adds_up 2; echo $?)
{ echo "$HEADER"; row UQ1; row UQ2; echo 'UQ3,2026-11-26 08:30,"张伟,13812345678,a,b,c,d,e,f,上门,否,,保内,普通,'; for i in 4 5 6 7 8 9 10; do row UQ$i; done; } > "$F.csv"
import_file "$F.csv"; verdict "10 rows, an unbalanced quote on line 4" $([ $code = 6 ] && summary_adds_up 10 && has "line 4"; echo $?)
{ echo "$HEADER"; row CR1; echo 'CR2,2026-11-26 08:30,"张伟'; echo '二行",13812345678,a,b,c,d,e,f,上门,否,,保内,普通,'; echo 'CR3,bad time,x,13812345678,a,b,c,d,e,f,上门,否,,保内,普通,'; } | sed 's/$/\r/' > "$F.csv"
import_file "$F.csv"; verdict "CRLF with a quoted line break, bad row on line 5" $([ $code = 6 ] && has "f.csv:5:" && summary_adds_up 3; echo $?)
{ echo "$HEADER"; row CO1; echo 'CO2,bad time,x,13812345678,a,b,c,d,e,f,上门,否,,保内,普通,'; } | tr '\n' '\r' > "$F.csv"
import_file "$F.csv"; verdict "CR-only line ends, bad row on line 3" $([ $code = 6 ] && has "f.csv:3:" && summary_adds_up 2; echo $?)
for poison in 'NUL:\x00' 'BOM:\xef\xbb\xbf' 'zero-width space:\xe2\x80\x8b' 'RLO:\xe2\x80\xae' 'LRI:\xe2\x81\xa6' 'space: ' 'ESC:\x1b' 'invalid UTF-8:\xff' 'tab:\t' 'DEL:\x7f'; do
  name=${poison%%:*}; bytes=${poison#*:}
  { echo "$HEADER"; printf "W2026P${bytes}01,2026-11-26 08:30,张伟,13812345678,a,海淀区,c,d,e,f,上门,否,,保内,普通,\n"; row PCLEAN; } > "$F.csv"
  import_file "$F.csv"
  verdict "ticket number with $name inside" $([ $code = 6 ] && summary_adds_up 2 && ! sqlite3 "$DB" "SELECT ticket_no FROM tickets WHERE ticket_no LIKE 'W2026P%'" | grep -q .; echo $?)
done
{ echo "$HEADER"; for i in $(seq 1000); do row DUP1; done; } > "$F.csv"
import_file "$F.csv"; verdict "one ticket number 1,000 times in a file" $([ $code = 0 ] || [ $code = 6 ]; summary_adds_up 1000; echo $?)
{ echo "$HEADER"; printf '%s\n' 'FX1,2026-11-26 08:30,=HYPERLINK("http://evil"),13812345678,@SUM(1),-2+3,+cmd|calc,d,e,f,上门,否,,保内,普通,'; } > "$F.csv"
import_file "$F.csv"; run ticket contact FX1 --result reached
run ticket promise FX1 --at '2026-11-27 10:00' --type customer --reason $'=HYPERLINK("http://evil")\e[31m\a'
run export writeback -o "$WORK/wb.csv"
verdict "a formula, ESC and BEL in a reason, then the write-back" $([ $code = 0 ] && ! grep -q ',=HYPERLINK' "$WORK/wb.csv" && grep -q "'=HYPERLINK" "$WORK/wb.csv" && ! grep -qP '[\x07\x1b]' "$WORK/wb.csv"; echo $?)
{ echo "$HEADER"; printf 'HT1,2026-11-26 08:30,\x1b]0;pwned\x07\x1b[2J\xc2\x9b1m\xe2\x80\xaeevil,13812345678,a,b,c,d,e,f,上门,否,,保内,普通,\n'; } > "$F.csv"
import_file "$F.csv"; run ticket list --search HT1
verdict "escape sequences in a name, then ticket list" $([ $code = 0 ] && ! grep -qP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]' "$OUT"; echo $?)
run --json ticket show HT1
verdict "escape sequences in a name, then --json" $([ $code = 0 ] && ! grep -qP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]' "$OUT"; echo $?)
iconv -f utf-8 -t gbk > "$F.csv" <<EOF
$HEADER
$(row GBK1)
EOF
import_file "$F.csv"; verdict "a GBK file (control: imported)" $([ $code = 0 ] && summary_adds_up 1; echo $?)
{ echo "$HEADER"; head -c 96000000 /dev/zero | tr '\0' '\n'; row EMPTYLINES; } > "$F.csv"
import_file "$F.csv"; verdict "96 MB of empty lines, then a row" $([ $code = 0 ] && summary_adds_up 1 && [ $rss_mb -lt 200 ]; echo $?)
rm -f "$F.csv"

echo "== workbooks"
python3 - "$WORK" <<'PY'
import sys, zipfile
work = sys.argv[1]
ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
      '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
wb = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="派单" sheetId="1" r:id="rId1"/></sheets></workbook>')
wbrels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
          '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
         '<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>')
def book(path, shared_chunks):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in [("[Content_Types].xml", ct), ("_rels/.rels", rels), ("xl/workbook.xml", wb),
                           ("xl/_rels/workbook.xml.rels", wbrels), ("xl/worksheets/sheet1.xml", sheet)]:
            z.writestr(name, body)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
            for chunk in shared_chunks:
                f.write(chunk)
            f.write(b'</t></si></sst>')
mb = b"A" * (1 << 20)
book(f"{work}/bomb.xlsx", (mb for _ in range(1024)))      # expands to 1 GB
book(f"{work}/small.xlsx", [b"x"])
data = open(f"{work}/small.xlsx", "rb").read()
open(f"{work}/truncated.xlsx", "wb").write(data[: len(data) // 2])
PY
import_file "$WORK/bomb.xlsx"
verdict "XLSX of $(( $(stat -c %s "$WORK/bomb.xlsx") / 1024 )) KB whose shared strings expand to 1 GB" $([ $code = 2 ] && has sharedStrings && [ $rss_mb -lt 300 ]; echo $?)
import_file "$WORK/truncated.xlsx"; verdict "a truncated workbook" $([ $code = 2 ] && has truncated.xlsx; echo $?)
import_file "$WORK/small.xlsx"; verdict "a workbook without the dispatch columns" $([ $code = 2 ]; echo $?)
rm -f "$WORK"/*.xlsx

echo "== databases"
sound; verdict "the station after every file above: integrity_check" $?
F="$WORK/foreign.db"; sqlite3 "$F" "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES ('x');"
sum=$(sha256sum < "$F"); run --db "$F" ticket list
verdict "another program's SQLite file" $([ $code = 1 ] && has "another program" && [ "$(sha256sum < "$F")" = "$sum" ] && [ ! -e "$F-wal" ]; echo $?)
cp "$DB" "$WORK/newer.db"; sqlite3 "$WORK/newer.db" "PRAGMA user_version = 99"; sum=$(sha256sum < "$WORK/newer.db")
run --db "$WORK/newer.db" ticket list
verdict "a database from a newer repairdesk" $([ $code = 1 ] && has newer && [ "$(sha256sum < "$WORK/newer.db")" = "$sum" ]; echo $?)
head -c 200000 /dev/urandom > "$WORK/noise.db"; run --db "$WORK/noise.db" ticket list
verdict "random bytes as the database" $([ $code = 1 ] && has "repairdesk backup"; echo $?)
head -c 40000 "$DB" > "$WORK/cut.db"; run --db "$WORK/cut.db" ticket list
verdict "a truncated database" $([ $code = 1 ] && has cut.db; echo $?)
cp "$DB" "$WORK/bad.db"
sqlite3 "$WORK/bad.db" "UPDATE tickets SET status = 'bogus' WHERE ticket_no = 'GBK1'; UPDATE tickets SET progress = '{x' WHERE ticket_no = 'HT1'"
run --db "$WORK/bad.db" ticket list
verdict "two bad stored values: ticket list works, names both" $([ $code = 0 ] && has GBK1 && has HT1 && grep -q FX1 "$OUT"; echo $?)
run --db "$WORK/bad.db" alerts; verdict "two bad stored values: alerts" $([ $code = 0 ] && grep -q GBK1 "$OUT"; echo $?)
run --db "$WORK/bad.db" export writeback -o "$WORK/wb2.csv"
verdict "two bad stored values: export" $([ $code = 0 ] && has GBK1 && grep -q FX1 "$WORK/wb2.csv"; echo $?)
run --db "$WORK/bad.db" ticket show GBK1; verdict "two bad stored values: ticket show names the fault" $([ $code = 1 ] && has "unknown status 'bogus'"; echo $?)

echo "== disks, folders, links, output"
if [ "$(id -u)" = 0 ]; then
  MNT=$(mktemp -d); mount -t tmpfs -o size=2m tmpfs "$MNT"
  run --db "$MNT/full.db" demo --no-tui --tickets 30 >/dev/null
  no=$(sqlite3 "$MNT/full.db" "SELECT ticket_no FROM tickets WHERE status NOT IN ('resolved', 'cancelled') LIMIT 1")
  head -c 4000000 /dev/zero > "$MNT/fill" 2>/dev/null
  for args in "ticket list" "ticket show $no" "alerts" "report kpi --month 2026-11" "report unfinished"; do
    run --db "$MNT/full.db" $args; verdict "full disk: $args" $([ $code = 0 ]; echo $?)
  done
  run --db "$MNT/full.db" export writeback -o "$WORK/full-wb.csv"
  verdict "full disk: export to another disk" $([ $code = 0 ] && [ -s "$WORK/full-wb.csv" ]; echo $?)
  run --db "$MNT/full.db" ticket contact "$no" --result no-answer
  verdict "full disk: a change names the disk" $([ $code = 1 ] && has "disk full at $MNT"; echo $?)
  run --db "$MNT/full.db" export writeback -o "$MNT/wb.csv"
  verdict "full disk: export onto it leaves no file" $([ $code = 1 ] && has "$MNT/wb.csv: disk full at $MNT" && [ ! -e "$MNT/wb.csv" ]; echo $?)
  umount "$MNT"; rmdir "$MNT"; MNT=""
  RO=$(mktemp -d); cp "$DB" "$RO/ro.db"; chown -R 65534:65534 "$RO"; chmod 555 "$RO"
  for args in "ticket list" "alerts"; do
    code=0; env HOME="$RO" XDG_CONFIG_HOME="$RO/config" setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN" --db "$RO/ro.db" $args >"$OUT" 2>"$ERR" || code=$?
    rss_mb=0 secs=-; verdict "read-only folder: $args" $([ $code = 0 ]; echo $?)
  done
  code=0; env HOME="$RO" XDG_CONFIG_HOME="$RO/config" setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN" --db "$RO/ro.db" ticket contact FX1 --result no-answer >"$OUT" 2>"$ERR" || code=$?
  verdict "read-only folder: a change names the folder" $([ $code = 1 ] && has "read-only directory $RO"; echo $?)
  chmod 755 "$RO"; rm -rf "$RO"
else
  for c in "full disk (8 inputs)" "read-only folder (3 inputs)"; do skip "$c" "needs root"; done
fi
ln -s "$DB-wal" "$WORK/link.db"; run backup "$WORK/link.db"
verdict "backup onto a link to the database's -wal" $([ $code != 0 ]; echo $?)
(cd "$WORK" && run backup station.db); verdict "backup onto the database by a relative name" $([ $code != 0 ]; echo $?)
echo old > "$WORK/victim"; ln -s "$WORK/victim" "$WORK/planted.csv"; run export writeback -o "$WORK/planted.csv"
verdict "export onto a planted link" $([ $code = 0 ] && [ "$(cat "$WORK/victim")" = old ] && [ ! -L "$WORK/planted.csv" ]; echo $?)
echo old > "$WORK/wide.csv"; chmod 644 "$WORK/wide.csv"; run export writeback -o "$WORK/wide.csv"
verdict "export over a 0644 file" $([ $code = 0 ] && [ "$(stat -c %a "$WORK/wide.csv")" = 600 ]; echo $?)
"$BIN" --db "$DB" ticket new --customer x --phone 13800138000 --fault f --service-type carry-in >/dev/full 2>"$ERR"; code=$?; rss_mb=0 secs=-
verdict "a change with stdout on /dev/full" $([ $code = 7 ] && has "recorded"; echo $?)
"$BIN" --db "$DB" ticket list >/dev/full 2>"$ERR"; code=$?
verdict "a read with stdout on /dev/full" $([ $code = 1 ]; echo $?)
"$BIN" --db "$DB" --json ticket new --customer x --phone 13800138000 --fault f --service-type carry-in >/dev/full 2>/dev/full; code=$?; : > "$ERR"
verdict "stdout and stderr both on /dev/full" $([ $code = 7 ]; echo $?)

echo "== flags and configuration"
run --now '' ticket list; verdict "--now ''" $([ $code = 2 ]; echo $?)
run --now 'yesterday-ish' ticket list; verdict "--now that is not a time" $([ $code = 2 ]; echo $?)
run --now '2026-02-30 10:00' ticket list; verdict "--now on 30 February" $([ $code = 2 ]; echo $?)
run ticket promise FX1 --at '2026-13-01 10:00'; verdict "--at in month 13" $([ $code = 2 ]; echo $?)
run ticket list --search "%_\\'\"; DROP TABLE tickets; --"; verdict "--search with SQL and LIKE characters" $([ $code = 0 ] && sound; echo $?)
run ticket show $'W\e[2J\u202e1'; verdict "a ticket number with escapes on the command line" $([ $code = 4 ] && ! grep -qP '\x1b' "$ERR"; echo $?)
mkdir -p "$WORK/config/repairdesk"
printf '[keys]\ndispatch = "Ctrl-Alt-Banana"\n' > "$WORK/config/repairdesk/config.toml"
run ticket list; verdict "[keys] with a key that does not exist" $([ $code = 2 ] && has "config.toml:2:"; echo $?)
head -c 5000 /dev/urandom > "$WORK/config/repairdesk/config.toml"; run ticket list
verdict "random bytes as the configuration" $([ $code = 2 ] && has config.toml; echo $?)
rm -f "$WORK/config/repairdesk/config.toml"

sound; verdict "the station after everything: integrity_check" $?
echo
echo "hostile inputs: $tried tried, $passed as expected, $skipped skipped, ${#failures[@]} not as expected ($BIN)"
[ ${#failures[@]} = 0 ] || { printf '  %s\n' "${failures[@]}"; exit 1; }
