#!/usr/bin/env bash
# Runs Keyward on this machine: moto server on a loopback port (unless AWS_ENDPOINT_URL points
# elsewhere), then the local API and console on 127.0.0.1:${PORT:-3000}. `make run` builds first
# and calls this. Ctrl-C (or TERM) stops everything this script started.
#
#   PORT=3000            where the API and the console listen
#   HOST=127.0.0.1       the address they bind; one other machines can reach needs ALLOW_REMOTE=1
#   ALLOW_REMOTE=1       allow a HOST that is not a loopback address (the local API checks no
#                        signature: whoever reaches it is an admin); refused with EMULATOR=none
#   PERSIST=1            keep the data across restarts, in local/state/ (default: in memory only)
#   KEYWARD_STATE=dir    where the emulator's log and PERSIST's recording go (default local/state)
#   AWS_ENDPOINT_URL=... use this emulator (LocalStack, Floci) instead of starting moto;
#                        credentials then come from the usual AWS_* variables
#   EMULATOR=none        start no emulator and call AWS itself (AWS_REGION, AWS_* credentials)
#   MOTO_PORT=...        the port for moto (default: a free one)
#   KEYWARD_MOTO_MODE=threaded  serve moto unlocked, as moto_server does (default atomic: see
#                        local/emulator.py)
#   KEYS_TABLE, AWS_REGION as the functions read them (default keyward-local, us-east-1)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

venv="${VENV:-.venv}"
state="${KEYWARD_STATE:-local/state}"
jar="local/target/keyward-local.jar"
recording="$state/moto-recording.jsonl"

pids=()
stop_tenths=50
stop_children() {
    trap - EXIT INT TERM
    local pid
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    # give them 5 s to finish (with PERSIST=1 the emulator up to 2 min, to write its snapshot), then make sure
    for _ in $(seq "$stop_tenths"); do
        local alive=0
        for pid in "${pids[@]}"; do
            kill -0 "$pid" 2>/dev/null && alive=1
        done
        [[ $alive == 0 ]] && break
        sleep 0.1
    done
    for pid in "${pids[@]}"; do
        kill -KILL "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
}
trap stop_children EXIT
# stopping on request is the normal end of a run: exit 0, so make reports no error
trap 'echo; echo "Stopping Keyward."; exit 0' INT
trap 'exit 0' TERM

die() {
    echo "run: $*" >&2
    exit 1
}

moto_mode() {
    sed -n 's/^moto listening on .* (\(.*\))$/\1/p' "$state/moto.log" | head -1
}

port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

[[ -f "$jar" ]] || die "$jar is missing: run 'make run' (it builds first)"
command -v java >/dev/null || die "java (17 or later) is not on PATH"

export AWS_REGION="${AWS_REGION:-us-east-1}"
export KEYS_TABLE="${KEYS_TABLE:-keyward-local}"
export KEYWARD_PORT="${PORT:-3000}"
export KEYWARD_HOST="${HOST:-127.0.0.1}"
export KEYWARD_ROOT="$root"
export KEYWARD_ALLOW_REMOTE="${ALLOW_REMOTE:-0}"

if [[ "${EMULATOR:-moto}" == none && "$KEYWARD_ALLOW_REMOTE" == 1 ]]; then
    die "ALLOW_REMOTE=1 is refused with EMULATOR=none: the local API checks no signature, and with AWS itself every account's secrets are real"
fi

if port_open "$KEYWARD_PORT" && [[ "$KEYWARD_HOST" == 127.0.0.1 ]]; then
    die "port $KEYWARD_PORT is in use; stop what runs there or pick another: make run PORT=3001"
fi

if [[ "${EMULATOR:-moto}" == none ]]; then
    unset AWS_ENDPOINT_URL
    echo "Using AWS itself in $AWS_REGION: the table and the secrets are real (and billed)."
elif [[ -n "${AWS_ENDPOINT_URL:-}" ]]; then
    echo "Using the AWS endpoint $AWS_ENDPOINT_URL (moto is not started)."
    [[ -z "${PERSIST:-}" ]] || echo "PERSIST is moto's; $AWS_ENDPOINT_URL keeps data as it does."
else
    [[ -x "$venv/bin/python" ]] || die "$venv/bin/python is missing: run 'make run' (it installs moto)"
    mkdir -p "$state"
    moto_env=()
    moto_args=()
    wait_tenths=150
    if [[ -n "${PERSIST:-}" && "${PERSIST}" != 0 ]]; then
        # moto keeps state in memory only; its recorder appends every write to a file, and a
        # replay of that file into a fresh moto rebuilds the same tables, items and secrets. The
        # emulator does that itself before it listens (--restore), from a snapshot where it can.
        moto_env=(MOTO_ENABLE_RECORDING=1 "MOTO_RECORDER_FILEPATH=$([[ $recording == /* ]] || printf '%s/' "$root")$recording")
        moto_args=(--restore)
        stop_tenths=1200
        touch "$recording"
        "$venv/bin/python" local/compact_recording.py "$recording"
        # the ids of the events published so far: the restored table's stream holds every kept
        # event again, and the API publishes only those not in this file
        export KEYWARD_PUBLISHED_EVENTS="$state/published-events"
        if [[ -s "$recording" ]]; then
            echo "Restoring the data kept in $recording ..."
            wait_tenths=36000
        else
            : >"$KEYWARD_PUBLISHED_EVENTS"
        fi
    fi
    # each DynamoDB and Secrets Manager call applied atomically, as AWS does (local/emulator.py).
    # Ctrl-C is this script's to handle: it stops everything in order. The emulator would quit
    # on the terminal's SIGINT itself and look like a crash, so it runs in a session of its own,
    # out of the terminal's reach; the EXIT trap still stops it, and --parent stops it when this
    # script ends without running its traps (SIGKILL).
    : >"$state/moto.log"
    setsid env "${moto_env[@]}" "$venv/bin/python" local/emulator.py -H 127.0.0.1 -p "${MOTO_PORT:-0}" --parent $$ "${moto_args[@]}" >"$state/moto.log" 2>&1 &
    pids+=($!)
    moto_port=
    for _ in $(seq "$wait_tenths"); do
        moto_port="$(sed -n 's/^moto listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$state/moto.log" | head -1)"
        [[ -n "$moto_port" ]] && port_open "$moto_port" && break
        kill -0 "${pids[0]}" 2>/dev/null || die "moto did not start; see $state/moto.log"
        sleep 0.1
    done
    [[ -n "$moto_port" ]] && port_open "$moto_port" || die "moto did not open its port within $((wait_tenths / 10)) s; see $state/moto.log"
    export AWS_ENDPOINT_URL="http://127.0.0.1:$moto_port"
    # moto accepts any credentials; only set them when none are given
    export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
    export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
    if [[ "${#moto_env[@]}" -gt 0 ]]; then
        echo "Emulator: moto ($(moto_mode)) on $AWS_ENDPOINT_URL, data kept in $recording (delete it to start empty)."
    else
        echo "Emulator: moto ($(moto_mode)) on $AWS_ENDPOINT_URL, data in memory (gone when stopped; PERSIST=1 keeps it)."
    fi
fi

# the JVM leaves SIGINT alone when started with it ignored: Ctrl-C reaches only this script.
# local/with_parent.py has it sent SIGTERM when this script ends, even by SIGKILL (Linux).
with_parent=()
for python in "$venv/bin/python" python3; do
    if command -v "$python" >/dev/null; then
        with_parent=("$python" local/with_parent.py $$)
        break
    fi
done
(trap '' INT; exec "${with_parent[@]}" java ${JAVA_OPTS:--XX:TieredStopAtLevel=1 -Xshare:auto} -cp "$jar:local/target/lib/*" dev.keyward.local.LocalApi) &
pids+=($!)

# Back when either process ends (the other is then stopped) or on Ctrl-C.
set +e
wait -n "${pids[@]}"
status=$?
set -e
echo "run: a process stopped (exit $status); stopping the rest." >&2
exit "$status"
