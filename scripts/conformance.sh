#!/usr/bin/env bash
# Runs a translator conformance corpus (the Jool graybox packets) through sixgate's translator
# pipeline in-process and compares every emitted packet byte for byte.
#
#   scripts/conformance.sh DIR [SUITE]     SUITE: siit (default) or nat64
#
# DIR holds cases.tsv (in CI: ../shared/conformance/jool-graybox). Prints one FAIL line with a
# byte diff per failing case and closes with "conformance: N passed, M failed". Exit status 1
# when a case listed as expected to pass fails (nat64/src/main/resources/io/sixgate/nat64/
# conformance/SUITE-expected-pass.txt; nat64 cases share one session table, in file order),
# 2 when the corpus cannot be read. See docs/conformance.md.
set -euo pipefail
if [[ $# -lt 1 || $# -gt 2 || "$1" == -h || "$1" == --help ]]; then
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
    [[ $# -ge 1 && ( "$1" == -h || "$1" == --help ) ]] && exit 0
    exit 2
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIXGATE_MAIN_CLASS=io.sixgate.nat64.conformance.ConformanceMain exec "$root/scripts/sixgate" "$1" "${2:-siit}"
