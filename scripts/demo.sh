#!/usr/bin/env bash
# The sixgate demo on real Linux network stacks: builds the network namespaces of
# scripts/e2e-topology.sh, runs `sixgate run` between them with the bundled configuration
# io/sixgate/daemon/demo/namespace-demo.yaml (stateful NAT64 and an IPv6 EIP; printed first), then
#   1. ping -6 from an IPv6 client on the Internet to the IPv6 EIP of an IPv4-only instance in the VPC,
#   2. a 10 MiB TCP transfer from that instance to the client, through the EIP, checked by SHA-256,
#   3. a native IPv6 ping from the Internet host to a VPC host,
# printing each step and its result, then the daemon's counters, and removes everything it built,
# also on failure or Ctrl-C. Exit status 0 when every step worked.
#
# Needs root (namespaces, TAP devices), /dev/net/tun, ip, ping, nc, flock, timeout, sha256sum
# (scripts/setup-debian.sh installs what is missing). Without root it says so in one line and
# runs the replay demo, `scripts/sixgate demo`, instead. Documentation prefixes only: nothing
# is sent outside the namespaces it creates.
#
#   scripts/demo.sh [-h|--help]
set -euo pipefail
PATH="$PATH:/usr/sbin:/sbin"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
topology="$root/scripts/e2e-topology.sh"
sixgate="$root/scripts/sixgate"
config_resource="io/sixgate/daemon/demo/namespace-demo.yaml"
config_source="$root/gateway-daemon/src/main/resources/$config_resource"
# The lock the namespace tests take too (scripts/e2e-topology.sh builds the same namespaces).
lock_file=/tmp/sixgate-e2e-topology.lock

eip6=64:ff9b::cb00:7105
instance=192.0.2.5
pool4=203.0.113.64
client6=2001:db8:ffff::10
vpc_host6=2001:db8:0:1::10
transfer_bytes=$((10 * 1024 * 1024))

work=""
daemon_pid=""
helper_pids=()
steps=0
failed=0

usage() {
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
}

say() {
    echo "demo: $*"
}

# Without root there are no namespaces and no TAP devices; the replay demo shows the same
# pipeline on bundled captures, so a newcomer's first command still shows something real.
fall_back_without_root() {
    say "not root, so no network namespaces: running the replay demo (scripts/sixgate demo) instead; run as root for the live one"
    exec "$sixgate" demo
}

check_tools() {
    local tool
    if [[ ! -c /dev/net/tun ]]; then
        say "/dev/net/tun is missing (modprobe tun)" >&2
        exit 1
    fi
    for tool in ip ping nc flock timeout sha256sum; do
        if ! command -v "$tool" > /dev/null 2>&1; then
            say "$tool is missing; scripts/setup-debian.sh installs it" >&2
            exit 1
        fi
    done
}

# Runs on every exit: stops what this script started (by PID), removes the namespaces, the
# work directory; the last line says how it went.
cleanup() {
    local status=$? pid removed="namespaces removed"
    trap - EXIT INT TERM
    for pid in "${helper_pids[@]}"; do
        kill "$pid" 2> /dev/null || true
    done
    if [[ -n "$daemon_pid" ]]; then
        stop_within "$daemon_pid" 10 || true
    fi
    if ! "$topology" down > /dev/null 2>&1; then
        removed="removing the namespaces FAILED (run: $topology down)"
        ((status != 0)) || status=1
    fi
    if [[ -n "$work" ]]; then
        rm -rf "$work"
    fi
    if ((status == 0 && failed == 0)); then
        say "OK: all $steps steps worked; $removed"
    elif ((failed > 0)); then
        say "FAILED: $failed of $steps steps failed; $removed"
        status=1
    else
        say "FAILED: stopped (exit status $status) after $steps of 3 steps; $removed"
    fi
    exit "$status"
}

# Whether a child of this script still runs (bash reaps a background child when it ends and
# keeps its status for `wait`, so kill -0 fails from then on).
alive() {
    kill -0 "$1" 2> /dev/null
}

# SIGTERM to a child, SIGKILL when it has not ended after SECONDS; returns its exit status.
stop_within() {
    local pid="$1" deadline=$((SECONDS + $2)) status=0
    kill -TERM "$pid" 2> /dev/null || true
    while alive "$pid"; do
        if ((SECONDS >= deadline)); then
            kill -KILL "$pid" 2> /dev/null || true
            break
        fi
        sleep 0.1
    done
    wait "$pid" || status=$?
    return "$status"
}

step() {
    steps=$((steps + 1))
    echo
    echo "[$steps/3] $*"
}

ok() {
    echo "      ok: $*"
}

not_ok() {
    failed=$((failed + 1))
    echo "      FAILED: $*"
}

# Waits until FILE holds TEXT, for at most SECONDS; fails early when PID (if given) has ended.
await_text() {
    local file="$1" text="$2" seconds="$3" pid="${4:-}" deadline=$((SECONDS + $3))
    until grep -q -- "$text" "$file" 2> /dev/null; do
        if ((SECONDS >= deadline)) || { [[ -n "$pid" ]] && ! alive "$pid"; }; then
            return 1
        fi
        sleep 0.1
    done
}

take_lock() {
    exec 9> "$lock_file"
    if ! flock -n 9; then
        say "waiting for another user of the namespaces (a test or a demo) to finish"
        if ! flock -w 600 9; then
            say "the namespaces stayed busy for 10 minutes; try again later" >&2
            exit 1
        fi
    fi
}

start_gateway() {
    "$topology" up | sed 's/^/demo: /'
    sed "s|^counters-file: .*|counters-file: $work/counters.dat|" "$config_source" > "$work/gw.yaml"
    say "configuration ($config_resource, counters-file in the demo's directory):"
    sed 's/^/    /' "$work/gw.yaml"
    ip netns exec sggw "$sixgate" run --config "$work/gw.yaml" > "$work/sixgate.log" 2>&1 &
    daemon_pid=$!
    if ! await_text "$work/sixgate.log" "stop with SIGTERM" 60 "$daemon_pid"; then
        say "sixgate run did not start:" >&2
        sed 's/^/    /' "$work/sixgate.log" >&2
        exit 1
    fi
    "$topology" ready 20 | sed 's/^/demo: /'
    say "sixgate run is forwarding in namespace sggw (pid $daemon_pid)"
}

ping_the_eip() {
    step "ping -6 from the Internet host $client6 to the IPv6 EIP $eip6 of the IPv4-only instance $instance"
    local out
    if out="$(ip netns exec sginet ping -n -6 -c 3 -i 0.2 -W 5 "$eip6" 2>&1)" && grep -q " 0% packet loss" <<< "$out"; then
        ok "$(grep 'packets transmitted' <<< "$out"); replies from $(grep -m1 -o 'from [^ ]*' <<< "$out" | sed 's/^from //; s/:$//')"
    else
        not_ok "$(grep 'packets transmitted' <<< "$out" || echo "$out")"
    fi
}

transfer_tcp() {
    step "TCP: the instance $instance sends $transfer_bytes random bytes to the Internet host, which connects to [$eip6]:5001"
    head -c "$transfer_bytes" /dev/urandom > "$work/sent.bin"
    # The instance serves the file (-N: FIN after the last byte); -v says who connected, -n keeps nc from DNS.
    ip netns exec sgsrv timeout 60 nc -n -4 -v -N -l "$instance" 5001 < "$work/sent.bin" > "$work/nc.log" 2>&1 &
    local server=$!
    helper_pids+=("$server")
    if ! await_text "$work/nc.log" "Listening on" 10 "$server"; then
        not_ok "nc did not listen on the instance: $(cat "$work/nc.log")"
        return
    fi
    local start_ns end_ns sent received peer
    start_ns="$(date +%s%N)"
    if ! ip netns exec sginet timeout 60 bash -c "cat < /dev/tcp/$eip6/5001 > '$work/received.bin'"; then
        not_ok "the client could not read from [$eip6]:5001"
        return
    fi
    end_ns="$(date +%s%N)"
    wait "$server" || true
    sent="$(ip netns exec sgsrv sha256sum "$work/sent.bin" | cut -d ' ' -f 1)"
    received="$(ip netns exec sginet sha256sum "$work/received.bin" | cut -d ' ' -f 1)"
    peer="$(grep -o 'Connection received on .*' "$work/nc.log" | sed 's/Connection received on //')"
    if [[ "$sent" == "$received" ]]; then
        ok "$(stat -c %s "$work/received.bin") bytes in $(((end_ns - start_ns) / 1000000)) ms, sha256 ${sent:0:16}... on both sides; the instance saw the client as ${peer/ / port } (pool4 is $pool4)"
    else
        not_ok "sha256 differs: sent ${sent:0:16}..., received ${received:0:16}... ($(stat -c %s "$work/received.bin") bytes)"
    fi
}

ping_native() {
    step "native IPv6: ping -6 from the Internet host $client6 to the VPC host $vpc_host6 (routed, not translated)"
    local out
    if out="$(ip netns exec sginet ping -n -6 -c 3 -i 0.2 -W 5 "$vpc_host6" 2>&1)" && grep -q " 0% packet loss" <<< "$out"; then
        ok "$(grep 'packets transmitted' <<< "$out")"
    else
        not_ok "$(grep 'packets transmitted' <<< "$out" || echo "$out")"
    fi
}

show_counters() {
    echo
    say "the daemon's counters, read from its counters file while it runs:"
    SIXGATE_MAIN_CLASS=io.sixgate.daemon.run.CountersPrinter "$sixgate" "$work/counters.dat" | sed 's/^/    /'
}

stop_gateway() {
    local status=0
    stop_within "$daemon_pid" 30 || status=$?
    daemon_pid=""
    echo
    say "sixgate run stopped on SIGTERM (exit status $status): $(grep -o 'stopped: .*' "$work/sixgate.log" || true)"
    if ((status != 0)); then
        failed=$((failed + 1))
        sed 's/^/    /' "$work/sixgate.log"
    fi
}

main() {
    case "${1:-}" in
        -h|--help)
            usage
            exit 0
            ;;
        "")
            ;;
        *)
            usage >&2
            exit 2
            ;;
    esac
    if [[ "$(id -u)" -ne 0 ]]; then
        fall_back_without_root
    fi
    check_tools
    # Build (or check) the jar before taking the namespaces: a build can take minutes.
    "$sixgate" version > /dev/null
    echo "sixgate demo: an IPv6 client on the Internet reaches an IPv4-only instance in the VPC through its IPv6 EIP"
    take_lock
    work="$(mktemp -d /tmp/sixgate-demo.XXXXXX)"
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    start_gateway
    ping_the_eip
    transfer_tcp
    ping_native
    show_counters
    stop_gateway
}

main "$@"
