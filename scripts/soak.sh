#!/usr/bin/env bash
# Soak test (issue 8), not part of CI: runs `sixgate run` in the namespaces of
# scripts/e2e-topology.sh (stateful NAT64 and the IPv6 EIP, the demo's configuration) under mixed
# traffic for DURATION, and samples the daemon every INTERVAL into a CSV: resident memory, heap
# used, the JVM's native memory (NMT: committed in all, and "Other", where the frame pool, the
# counters and the session tables live), threads, open file descriptors, NAT64 sessions and the
# packet counters. At the end it prints the first, the last and the largest sample of each, and
# says whether heap after GC, threads and descriptors stayed flat.
#
#   scripts/soak.sh [DURATION_SECONDS] [--interval SECONDS] [--out FILE.csv]
#       DURATION_SECONDS  600 (10 minutes) unless given; INTERVAL 10; FILE soak-<date>.csv here
#
# Traffic, all inside the namespaces it builds (documentation prefixes only):
#   - ping -6 from the Internet host to the IPv6 EIP (5 a second), and a native IPv6 ping to the VPC host;
#   - TCP: the IPv4-only instance sends 4 MiB to the Internet host through the EIP, again and again;
#   - UDP: the Internet host sends a datagram to the instance through the EIP every 10 ms;
#   - new-flow churn: the Internet host opens a new TCP connection to the instance every 50 ms.
# Needs root, /dev/net/tun, ip, ping, nc, flock, timeout, jcmd and jstat (the JDK's).
# Exit status 0 when the daemon ran to the end and every resource stayed flat.
set -euo pipefail
PATH="$PATH:/usr/sbin:/sbin"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
topology="$root/scripts/e2e-topology.sh"
sixgate="$root/scripts/sixgate"
config_source="$root/gateway-daemon/src/main/resources/io/sixgate/daemon/demo/namespace-demo.yaml"
lock_file=/tmp/sixgate-e2e-topology.lock

eip6=64:ff9b::cb00:7105
instance=192.0.2.5
client6=2001:db8:ffff::10
vpc_host6=2001:db8:0:1::10

duration=600
interval=10
out=""
work=""
daemon_pid=""
helper_pids=()

usage() {
    sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'
}

say() {
    echo "soak: $*"
}

while (($# > 0)); do
    case "$1" in
        -h|--help) usage; exit 0 ;;
        --interval) interval="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        [0-9]*) duration="$1"; shift ;;
        *) usage >&2; exit 2 ;;
    esac
done
out="${out:-$PWD/soak-$(date +%Y%m%d-%H%M%S).csv}"

if [[ "$(id -u)" -ne 0 ]]; then
    say "needs root (network namespaces, TAP devices)" >&2
    exit 1
fi
for tool in ip ping nc flock timeout jcmd jstat; do
    if ! command -v "$tool" > /dev/null 2>&1; then
        say "$tool is missing (scripts/setup-debian.sh installs the others; jcmd and jstat come with the JDK)" >&2
        exit 1
    fi
done

cleanup() {
    local status=$? pid
    trap - EXIT INT TERM
    for pid in "${helper_pids[@]}"; do
        kill "$pid" 2> /dev/null || true
    done
    if [[ -n "$daemon_pid" ]] && kill -0 "$daemon_pid" 2> /dev/null; then
        kill -TERM "$daemon_pid" 2> /dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$daemon_pid" 2> /dev/null || break
            sleep 0.1
        done
        kill -KILL "$daemon_pid" 2> /dev/null || true
    fi
    "$topology" down > /dev/null 2>&1 || say "removing the namespaces failed (run: $topology down)"
    [[ -n "$work" ]] && rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT INT TERM

"$sixgate" version > /dev/null     # build before taking the namespaces
exec 9> "$lock_file"
if ! flock -w 600 9; then
    say "the namespaces stayed busy for 10 minutes (a test or a demo); try again later" >&2
    exit 1
fi
work="$(mktemp -d /tmp/sixgate-soak.XXXXXX)"

"$topology" up | sed 's/^/soak: /'
sed "s|^counters-file: .*|counters-file: $work/counters.dat|" "$config_source" > "$work/gw.yaml"
# NMT for the off-heap figures; its own cost is a few per cent, the same over the whole run.
ip netns exec sggw env SIXGATE_JAVA_OPTS="-XX:NativeMemoryTracking=summary" \
    "$sixgate" run --config "$work/gw.yaml" > "$work/sixgate.log" 2>&1 &
launcher=$!
for _ in $(seq 1 600); do
    grep -q "stop with SIGTERM" "$work/sixgate.log" 2> /dev/null && break
    kill -0 "$launcher" 2> /dev/null || { say "sixgate run did not start:"; cat "$work/sixgate.log"; exit 1; }
    sleep 0.1
done
# scripts/sixgate execs java, so the launcher's PID is the JVM's.
daemon_pid="$launcher"
"$topology" ready 20 | sed 's/^/soak: /'
say "sixgate run (pid $daemon_pid) forwards in namespace sggw; ${duration}s of traffic, a sample every ${interval}s into $out"

# --- traffic -----------------------------------------------------------------------------
ip netns exec sginet ping -n -6 -i 0.2 -W 2 "$eip6" > "$work/ping-eip.log" 2>&1 &
helper_pids+=($!)
ip netns exec sginet ping -n -6 -i 0.5 -W 2 "$vpc_host6" > "$work/ping-vpc.log" 2>&1 &
helper_pids+=($!)
head -c $((4 * 1024 * 1024)) /dev/urandom > "$work/blob.bin"
ip netns exec sgsrv bash -c "while :; do timeout 30 nc -n -4 -N -l $instance 5001 < '$work/blob.bin' > /dev/null 2>&1; done" &
helper_pids+=($!)
ip netns exec sginet bash -c "while :; do timeout 30 bash -c 'cat < /dev/tcp/$eip6/5001 | wc -c' >> '$work/tcp.log' 2>&1; sleep 1; done" &
helper_pids+=($!)
ip netns exec sgsrv bash -c "while :; do timeout 60 nc -n -4 -u -l $instance 5353 > /dev/null 2>&1; done" &
helper_pids+=($!)
ip netns exec sginet bash -c "while :; do echo soak > /dev/udp/$eip6/5353 2> /dev/null; sleep 0.01; done" &
helper_pids+=($!)
ip netns exec sgsrv bash -c "while :; do timeout 60 nc -n -4 -k -l $instance 5002 > /dev/null 2>&1; done" &
helper_pids+=($!)
ip netns exec sginet bash -c "while :; do nc -n -z -w 1 $eip6 5002 > /dev/null 2>&1; sleep 0.05; done" &
helper_pids+=($!)

# --- sampling ----------------------------------------------------------------------------
packet_counters() {
    # rx, tx and dropped frames in all, from the daemon's counters file ("  label   value" lines).
    SIXGATE_MAIN_CLASS=io.sixgate.daemon.run.CountersPrinter SIXGATE_NO_BUILD=1 "$sixgate" "$work/counters.dat" \
        2> /dev/null | awk '$1 == "rx" { rx += $NF } $1 == "tx" { tx += $NF } $1 == "drop" { drop += $NF }
            END { printf "%d,%d,%d", rx, tx, drop }'
}

sessions() {
    ip netns exec sggw timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/8464 &&
        printf "GET /v1/sessions?limit=100000 HTTP/1.0\r\n\r\n" >&3 && cat <&3' 2> /dev/null \
        | grep -c '"protocol"' || true
}

sample() {
    local elapsed="$1" rss threads fds heap nmt other
    rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$daemon_pid/status")
    threads=$(awk '/^Threads/ { print $2 }' "/proc/$daemon_pid/status")
    fds=$(ls "/proc/$daemon_pid/fd" 2> /dev/null | wc -l)
    heap=$(jstat -gc "$daemon_pid" 2> /dev/null | awk 'NR == 2 { printf "%d", $3 + $4 + $6 + $8 }' || true)
    nmt=$(jcmd "$daemon_pid" VM.native_memory summary 2> /dev/null || true)
    other=$(awk '/- *Other \(reserved/ { match($0, /committed=[0-9]+/); print substr($0, RSTART + 10, RLENGTH - 10) }' <<< "$nmt")
    nmt=$(awk '/^Total:/ { match($0, /committed=[0-9]+/); print substr($0, RSTART + 10, RLENGTH - 10) }' <<< "$nmt")
    echo "$elapsed,$rss,${heap:-0},${nmt:-0},${other:-0},$threads,$fds,$(sessions),$(packet_counters)" >> "$out"
}

echo "elapsed_s,rss_kb,heap_used_kb,nmt_committed_kb,nmt_other_kb,threads,fds,nat64_sessions,rx_frames,tx_frames,dropped_frames" > "$out"
start=$SECONDS
while ((SECONDS - start < duration)); do
    kill -0 "$daemon_pid" 2> /dev/null || { say "the daemon died:"; tail -20 "$work/sixgate.log"; exit 1; }
    sample $((SECONDS - start))
    sleep "$interval"
done
# The last sample after a full GC, so the heap figure is what is live.
jcmd "$daemon_pid" GC.run > /dev/null 2>&1 || true
sample $((SECONDS - start))

# --- summary -----------------------------------------------------------------------------
for pid in "${helper_pids[@]}"; do
    # SIGINT: ping prints its statistics on it.
    kill -INT "$pid" 2> /dev/null || true
done
sleep 1
for pid in "${helper_pids[@]}"; do
    kill "$pid" 2> /dev/null || true
done
helper_pids=()
say "ping to the EIP: $(grep 'packets transmitted' "$work/ping-eip.log" || echo "$(grep -c 'bytes from' "$work/ping-eip.log") replies")"
say "native ping to the VPC host: $(grep 'packets transmitted' "$work/ping-vpc.log" || echo "$(grep -c 'bytes from' "$work/ping-vpc.log") replies")"
say "TCP transfers completed: $(grep -c "^$((4 * 1024 * 1024))$" "$work/tcp.log" || true) of 4 MiB each"
say "the daemon's counters at the end:"
SIXGATE_MAIN_CLASS=io.sixgate.daemon.run.CountersPrinter SIXGATE_NO_BUILD=1 "$sixgate" "$work/counters.dat" \
    | sed 's/^/soak:   /'
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) name[i] = $i; next }
    NR == 2 { for (i = 2; i <= NF; i++) first[i] = $i }
    { for (i = 2; i <= NF; i++) { last[i] = $i; if ($i > max[i]) max[i] = $i } }
    END { printf "soak: %-18s %14s %14s %14s\n", "", "first", "last", "largest";
          for (i = 2; i <= length(name); i++) printf "soak: %-18s %14s %14s %14s\n", name[i], first[i], last[i], max[i] }' "$out"
verdict=$(awk -F, 'NR == 2 { heap0 = $3; threads0 = $6; fds0 = $7 } NR > 2 { heap = $3; threads = $6; fds = $7 }
    END { ok = (threads <= threads0 + 2 && fds <= fds0 + 4 && heap <= 2 * heap0 + 65536);
          print (ok ? "flat" : "GROWING") }' "$out")
say "heap after GC, threads and file descriptors: $verdict (samples in $out)"
[[ "$verdict" == flat ]]
