#!/usr/bin/env bash
# Renders a work-order printout (HTML) in headless Chromium and checks it
# prints on exactly one A4 page. Also leaves a PNG screenshot beside the
# PDF for a look at the layout.
#
#   scripts/check-print.sh WORK_ORDER.html [OUT_DIR]
#
# Installs Debian's chromium (and poppler-utils for pdfinfo) when missing,
# unless CHECK_PRINT_NO_INSTALL=1.
set -euo pipefail

html=${1:?usage: check-print.sh WORK_ORDER.html [OUT_DIR]}
out=${2:-$(mktemp -d)}
mkdir -p "$out"
html=$(realpath "$html")

chrome=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $chrome || -z $(command -v pdfinfo || true) ]]; then
    if [[ ${CHECK_PRINT_NO_INSTALL:-0} == 1 ]]; then
        [[ -n $chrome ]] || { echo "chromium is not installed" >&2; exit 1; }
    else
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils fonts-noto-cjk >/dev/null
        chrome=$(command -v chromium)
    fi
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$profile")

pdf="$out/workorder.pdf"
png="$out/workorder.png"
"$chrome" "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$pdf" "file://$html" >/dev/null 2>&1
"$chrome" "${flags[@]}" --window-size=900,1300 --screenshot="$png" "file://$html" >/dev/null 2>&1 || true

[[ -s $pdf ]] || { echo "no PDF was written" >&2; exit 1; }
if command -v pdfinfo >/dev/null; then
    pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
else
    pages=$(grep -a -c '/Type */Page[^s]' "$pdf" || true)
fi
echo "pdf: $pdf  pages: $pages  screenshot: $png"
if [[ $pages != 1 ]]; then
    echo "the work order does not fit on one page ($pages pages)" >&2
    exit 1
fi
