#!/usr/bin/env bash
# Posts a signed secret-scanning report to the local API, as GitHub's secret scanning would:
#   local/report-leak.sh kw_sec_... [url where it was found]
# The local API (make run) trusts the key pair in local/state/secret-scanning.{key,pub}, made on
# first use. PORT as for make run (3000).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ $# -ge 1 ]] || { echo "usage: $0 kw_sec_... [url]" >&2; exit 2; }
[[ -f "$root/local/target/keyward-local.jar" ]] || { echo "build first: make run" >&2; exit 1; }
KEYWARD_ROOT="$root" exec java -cp "$root/local/target/keyward-local.jar:$root/local/target/lib/*" \
    dev.keyward.local.LocalScanner "http://127.0.0.1:${PORT:-3000}" "$@"
