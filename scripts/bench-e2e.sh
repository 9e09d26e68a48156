#!/usr/bin/env bash
# End-to-end benchmark: the same IPv6 client, IPv4/IPv6 server and traffic generators, and in the
# router namespace between them, one after the other,
#   kernel   (a) Linux forwarding IPv6 (the ceiling),
#   tayga    (b) TAYGA translating 6->4 over its TUN device (Debian package tayga),
#   sixgate  (c) `sixgate run` translating 6->4 (stateful NAT64) over its TAP devices.
# Figures per case: delivered packets/s of 64-byte UDP payloads (iperf3 -u -l 64 -b 0, counted on
# the server's interface), TCP bulk throughput (iperf3, parallel streams), and the connection-setup
# rate (new TCP connections/s, each a full handshake and close: io.sixgate.bench.e2e.ConnectRate).
# Prints a table with each figure's ratio to (a) and (b), and writes results.md, results.csv, the
# environment, raw logs and (unless --quick) a profile of the sixgate case (JFR, and perf when it
# works here) into the results directory.
#
#   scripts/bench-e2e.sh [options]
#     --duration SECONDS   length of each measurement (default 10)
#     --quick              2 s per measurement, 1 s warm-up, no profile: checks that everything works
#     --cases LIST         comma-separated, of kernel,tayga,sixgate (default all three)
#     --tests LIST         comma-separated, of udp,tcp,connect (default all three)
#     --workers N          sixgate `workers` (default 1; one TAP queue and worker thread each)
#     --streams N          parallel TCP streams of the bulk test (default 4)
#     --concurrency N      connections in flight in the connection-setup test (default 64)
#     --profile | --no-profile   profile the sixgate case (default: on, off with --quick)
#     --results DIR        where results go (default target/bench-e2e/TIMESTAMP in this checkout)
#     -h, --help           this text
#
# Needs root (namespaces, TUN/TAP devices). Installs what is missing (tayga, iperf3, jq; perf is
# optional) through scripts/setup-debian.sh --bench, and builds sixgate and the load tool when
# they are missing or stale, before it takes the namespace lock that the end-to-end tests and
# scripts/demo.sh take too (flock on /tmp/sixgate-e2e-topology.lock), so it never overlaps them.
# Environment: JAVA_HOME (the JDK of sixgate and the load tool), SIXGATE_NO_BUILD=1 (fail
# instead of building), SIXGATE_MAVEN_ARGS (more Maven flags for a build).
# Its namespaces have their own names (sgbcli, sgbrtr, sgbsrv); documentation prefixes only;
# everything it built is removed on exit, also on failure or Ctrl-C.
#
#  netns sgbcli              netns sgbrtr (the case under test)                 netns sgbsrv
#  +-------------+       +----------------------------------------------+       +---------------+
#  | sgb-c  -----+-veth--+- sgb-rc                              sgb-rs -+-veth--+----- sgb-s    |
#  +-------------+       |  (a) IPv6 forwarding between the two veths   |       +---------------+
#  2001:db8:1::10        |  (b) kernel routes the NAT64 prefix and the  |       2001:db8:2::10
#                        |      dynamic pool into tayga's TUN sgb-nat64 |       198.51.100.10
#                        |  (c) each veth bridged to a sixgate TAP:     |
#                        |   sgb-rc-[sgbbr-c]-sgb-tap-c =sixgate= sgb-tap-s-[sgbbr-s]-sgb-rs
#                        +----------------------------------------------+
#
#   targets: (a) 2001:db8:2::10; (b) and (c) 2001:db8:64::c633:640a (NAT64 prefix 2001:db8:64::/96
#   + 198.51.100.10; not 64:ff9b::/96, with which TAYGA refuses documentation IPv4 addresses)
#   the server sees (b) 203.0.113.0/25 (tayga's dynamic pool), (c) 203.0.113.64/28 (pool4)
#   gateway MACs 02:53:47:b0:00:01 (client side) and :02 (server side) in every case
set -euo pipefail
PATH="$PATH:/usr/sbin:/sbin"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sixgate="$root/scripts/sixgate"
load_classes="$root/bench/target/classes"
load_main=io.sixgate.bench.e2e.ConnectRate
# The JDK of the load tool is sixgate's (scripts/sixgate takes JAVA_HOME too).
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# The lock the namespace tests and scripts/demo.sh take (see E2eTopology and demo.sh).
lock_file=/tmp/sixgate-e2e-topology.lock

ns_cli=sgbcli
ns_rtr=sgbrtr
ns_srv=sgbsrv

cli_mac=02:53:47:b0:01:10
srv_mac=02:53:47:b0:02:10
gw_cli_mac=02:53:47:b0:00:01
gw_srv_mac=02:53:47:b0:00:02
# In case (c) the router's veth ends are bridge ports: they get other MACs, the TAPs' frames
# carry the gateway's.
bridged_cli_mac=02:53:47:b0:00:11
bridged_srv_mac=02:53:47:b0:00:12

cli6=2001:db8:1::10
gw_cli6=2001:db8:1::1
srv6=2001:db8:2::10
gw_srv6=2001:db8:2::1
srv4=198.51.100.10
gw_srv4=198.51.100.1
nat64_prefix=2001:db8:64::/96
srv_nat64=2001:db8:64::c633:640a
tayga_ipv4=192.0.2.1
tayga_ipv6=2001:db8:1::64
tayga_pool=203.0.113.0/25
sixgate_pool4=203.0.113.64/28
iperf_port=5201
connect_port=5300

duration=10
warmup=3
quick=no
profile=auto
cases=kernel,tayga,sixgate
tests=udp,tcp,connect
workers=1
streams=4
concurrency=64
results=""

work=""
helper_pids=()
daemon_pid=""
tayga_pid=""
router_case=""
locked=no
# sixgate's figures while profiled, after the connection-setup test filled its session table.
loaded_udp=""
loaded_tcp=""

# The comment block at the top of this file.
usage() {
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
}

say() {
    echo "bench-e2e: $*"
}

die() {
    say "$*" >&2
    exit 1
}

parse_args() {
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --duration) duration="${2:?--duration needs SECONDS}"; shift ;;
            --quick) quick=yes ;;
            --cases) cases="${2:?--cases needs a list}"; shift ;;
            --tests) tests="${2:?--tests needs a list}"; shift ;;
            --workers) workers="${2:?--workers needs N}"; shift ;;
            --streams) streams="${2:?--streams needs N}"; shift ;;
            --concurrency) concurrency="${2:?--concurrency needs N}"; shift ;;
            --profile) profile=yes ;;
            --no-profile) profile=no ;;
            --results) results="${2:?--results needs DIR}"; shift ;;
            -h|--help) usage; exit 0 ;;
            *) usage >&2; exit 2 ;;
        esac
        shift
    done
    if [[ "$quick" == yes ]]; then
        duration=2
        warmup=1
        [[ "$profile" == auto ]] && profile=no
    fi
    [[ "$profile" == auto ]] && profile=yes
    local value item
    for value in "$duration" "$workers" "$streams" "$concurrency"; do
        [[ "$value" =~ ^[1-9][0-9]*$ ]] || { say "not a positive whole number: $value" >&2; exit 2; }
    done
    for item in ${cases//,/ }; do
        [[ "$item" =~ ^(kernel|tayga|sixgate)$ ]] || { say "--cases: unknown case $item (kernel, tayga, sixgate)" >&2; exit 2; }
    done
    for item in ${tests//,/ }; do
        [[ "$item" =~ ^(udp|tcp|connect)$ ]] || { say "--tests: unknown test $item (udp, tcp, connect)" >&2; exit 2; }
    done
}

selected() {
    [[ ",$1," == *",$2,"* ]]
}

# --- tools and builds (before the lock: they can take minutes) ----------------------------------

check_tools() {
    [[ "$(id -u)" -eq 0 ]] || die "must run as root (network namespaces, TUN/TAP devices)"
    [[ -c /dev/net/tun ]] || die "/dev/net/tun is missing (modprobe tun)"
    local tool missing=()
    for tool in ip flock jq iperf3 tayga "$java"; do
        command -v "$tool" > /dev/null 2>&1 || missing+=("$tool")
    done
    if ((${#missing[@]} > 0)); then
        say "missing: ${missing[*]}; installing with scripts/setup-debian.sh --bench"
        "$root/scripts/setup-debian.sh" --bench
    fi
    for tool in ip flock jq iperf3 tayga "$java"; do
        command -v "$tool" > /dev/null 2>&1 || die "$tool is still missing after scripts/setup-debian.sh --bench"
    done
}

# The load tool needs only the JDK: its classes run from bench/target/classes.
build() {
    "$sixgate" version > /dev/null
    local class="$load_classes/${load_main//.//}.class" newer=""
    if [[ -f "$class" ]]; then
        newer="$(find "$root/bench/src/main" -type f -newer "$class" -print -quit)"
    fi
    if [[ ! -f "$class" || -n "$newer" ]]; then
        if [[ "${SIXGATE_NO_BUILD:-0}" == 1 ]]; then
            die "$class is missing or older than the sources, and SIXGATE_NO_BUILD=1 forbids building it"
        fi
        read -r -a maven_args <<< "${SIXGATE_MAVEN_ARGS:-}"
        say "building the load tool ($load_main)"
        (cd "$root" && ./mvnw -B -q -DskipTests "${maven_args[@]}" -pl bench -am package) >&2
    fi
}

take_lock() {
    exec 9> "$lock_file"
    if ! flock -n 9; then
        say "waiting for another user of the namespaces (a test, the demo) to finish"
        flock -w 900 9 || die "the namespaces stayed busy for 15 minutes; try again later"
    fi
    locked=yes
}

# --- cleanup -----------------------------------------------------------------------------------

alive() {
    kill -0 "$1" 2> /dev/null
}

# SIGTERM, then SIGKILL after SECONDS; returns the exit status.
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
    wait "$pid" 2> /dev/null || status=$?
    return "$status"
}

remove_namespaces() {
    local ns
    for ns in "$ns_cli" "$ns_srv" "$ns_rtr"; do
        if ip netns list | grep -qw "$ns"; then
            ip netns del "$ns" 2> /dev/null || true
        fi
    done
}

cleanup() {
    local status=$? pid
    trap - EXIT INT TERM
    for pid in "${helper_pids[@]}"; do
        stop_within "$pid" 5 || true
    done
    [[ -n "$daemon_pid" ]] && { stop_within "$daemon_pid" 15 || true; }
    [[ -n "$tayga_pid" ]] && { stop_within "$tayga_pid" 5 || true; }
    local removed="nothing built"
    # Without the lock the namespaces (if any) are another run's.
    if [[ "$locked" == yes ]]; then
        removed="namespaces removed"
        remove_namespaces
        if ip netns list | grep -qE "^($ns_cli|$ns_rtr|$ns_srv)\b"; then
            removed="removing the namespaces FAILED: $(ip netns list | tr '\n' ' ')"
            ((status != 0)) || status=1
        fi
    fi
    if ((status == 0)); then
        say "OK: results in $results; $removed"
    else
        say "FAILED (exit status $status); $removed; what there is lies in ${results:-nowhere}"
    fi
    exit "$status"
}

# --- topology ------------------------------------------------------------------------------------

# In a namespace, in the foreground. Background processes are started with `ip netns exec ... &`
# directly, so that $! is the process itself (ip netns exec execs it), not a subshell around it,
# and without the lock's descriptor, so that none of them can hold the lock past this script.
in_ns() {
    local ns="$1"
    shift
    ip netns exec "$ns" "$@"
}

build_topology() {
    remove_namespaces
    ip netns add "$ns_cli"
    ip netns add "$ns_rtr"
    ip netns add "$ns_srv"
    local ns
    for ns in "$ns_cli" "$ns_rtr" "$ns_srv"; do
        ip -n "$ns" link set lo up
    done
    ip link add sgb-c netns "$ns_cli" address "$cli_mac" type veth peer name sgb-rc netns "$ns_rtr"
    ip link add sgb-s netns "$ns_srv" address "$srv_mac" type veth peer name sgb-rs netns "$ns_rtr"

    ip -n "$ns_cli" addr add "$cli6/64" dev sgb-c nodad
    ip -n "$ns_cli" link set sgb-c up
    ip -n "$ns_cli" -6 route add default via "$gw_cli6" dev sgb-c
    ip -n "$ns_cli" neigh replace "$gw_cli6" lladdr "$gw_cli_mac" dev sgb-c nud permanent
    # The connection-setup test leaves a TIME_WAIT per connection on the client (it closes
    # first): every port, and reuse of a TIME_WAIT port after 1 s for new outgoing connections.
    in_ns "$ns_cli" sysctl -qw net.ipv4.ip_local_port_range="1024 65535" net.ipv4.tcp_tw_reuse=1

    ip -n "$ns_srv" addr add "$srv6/64" dev sgb-s nodad
    ip -n "$ns_srv" addr add "$srv4/24" dev sgb-s
    ip -n "$ns_srv" link set sgb-s up
    ip -n "$ns_srv" -6 route add default via "$gw_srv6" dev sgb-s
    ip -n "$ns_srv" route add default via "$gw_srv4" dev sgb-s
    ip -n "$ns_srv" neigh replace "$gw_srv6" lladdr "$gw_srv_mac" dev sgb-s nud permanent
    ip -n "$ns_srv" neigh replace "$gw_srv4" lladdr "$gw_srv_mac" dev sgb-s nud permanent
    in_ns "$ns_srv" sysctl -qw net.core.somaxconn=4096 net.ipv4.tcp_max_syn_backlog=4096
    say "namespaces $ns_cli $ns_rtr $ns_srv built"
}

# The router's veth ends as an IP router: the gateway MACs, addresses, static neighbours.
router_ip_links() {
    ip -n "$ns_rtr" link set sgb-rc address "$gw_cli_mac"
    ip -n "$ns_rtr" link set sgb-rs address "$gw_srv_mac"
    in_ns "$ns_rtr" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0
    ip -n "$ns_rtr" addr add "$gw_cli6/64" dev sgb-rc nodad
    ip -n "$ns_rtr" addr add "$gw_srv6/64" dev sgb-rs nodad
    ip -n "$ns_rtr" addr add "$gw_srv4/24" dev sgb-rs
    ip -n "$ns_rtr" link set sgb-rc up
    ip -n "$ns_rtr" link set sgb-rs up
    ip -n "$ns_rtr" neigh replace "$cli6" lladdr "$cli_mac" dev sgb-rc nud permanent
    ip -n "$ns_rtr" neigh replace "$srv6" lladdr "$srv_mac" dev sgb-rs nud permanent
    ip -n "$ns_rtr" neigh replace "$srv4" lladdr "$srv_mac" dev sgb-rs nud permanent
    in_ns "$ns_rtr" sysctl -qw net.ipv6.conf.all.forwarding=1 net.ipv4.ip_forward=1
}

router_reset() {
    if [[ -n "$daemon_pid" ]]; then
        local status=0
        stop_within "$daemon_pid" 30 || status=$?
        daemon_pid=""
        say "sixgate stopped (exit status $status): $(grep -o 'stopped: .*' "$work/sixgate.log" || true)"
    fi
    if [[ -n "$tayga_pid" ]]; then
        stop_within "$tayga_pid" 5 || true
        tayga_pid=""
    fi
    local link
    for link in sgb-tap-c sgb-tap-s sgbbr-c sgbbr-s sgb-nat64; do
        ip -n "$ns_rtr" link del "$link" 2> /dev/null || true
    done
    in_ns "$ns_rtr" sysctl -qw net.ipv6.conf.all.forwarding=0 net.ipv4.ip_forward=0
    ip -n "$ns_rtr" link set sgb-rc down
    ip -n "$ns_rtr" link set sgb-rs down
    ip -n "$ns_rtr" addr flush dev sgb-rc
    ip -n "$ns_rtr" addr flush dev sgb-rs
    ip -n "$ns_rtr" neigh flush all 2> /dev/null || true
    router_case=""
}

router_kernel() {
    router_ip_links
    target=$srv6
}

router_tayga() {
    router_ip_links
    cat > "$work/tayga.conf" <<EOF
tun-device sgb-nat64
ipv4-addr $tayga_ipv4
ipv6-addr $tayga_ipv6
prefix $nat64_prefix
dynamic-pool $tayga_pool
data-dir $work/tayga
EOF
    mkdir -p "$work/tayga"
    local out
    out="$(in_ns "$ns_rtr" tayga --mktun -c "$work/tayga.conf" 2>&1)" || die "tayga --mktun failed: $out"
    ip -n "$ns_rtr" link set sgb-nat64 up
    ip -n "$ns_rtr" -6 route add "$nat64_prefix" dev sgb-nat64
    ip -n "$ns_rtr" route add "$tayga_pool" dev sgb-nat64
    ip -n "$ns_rtr" route add "$tayga_ipv4/32" dev sgb-nat64
    ip netns exec "$ns_rtr" tayga -n -c "$work/tayga.conf" > "$work/tayga.log" 2>&1 9>&- &
    tayga_pid=$!
    sleep 0.5
    alive "$tayga_pid" || die "tayga did not start: $(cat "$work/tayga.log")"
    target=$srv_nat64
}

sixgate_config() {
    cat <<EOF
# sixgate configuration of scripts/bench-e2e.sh, case (c): stateful NAT64 between the client's
# and the server's link. Documentation prefixes only.
counters-file: $work/counters.dat
workers: $workers
# Slots of 64 KiB + 128: the TAPs take offloads (offload: true), TCP super-packets of up to 64 KiB.
frame-pool: {frames: 2048, slot-size: 65664}
ports:
  - name: client
    type: tap
    offload: true
    device: sgb-tap-c
    mac: $gw_cli_mac
    mtu: 1500
    addresses: [$gw_cli6/64]
  - name: server
    type: tap
    offload: true
    device: sgb-tap-s
    mac: $gw_srv_mac
    mtu: 1500
    addresses: [$gw_srv4/24]
neighbours:
  - {address: $cli6, mac: $cli_mac, port: client}
  - {address: $srv4, mac: $srv_mac, port: server}
nat64:
  mode: stateful
  prefix: "$nat64_prefix"
  pool4:
    - {prefix: $sixgate_pool4, ports: 1024-65535}
  # The connection-setup test leaves each connection's session in the 4-minute transitory state.
  max-sessions: 262144
EOF
}

router_sixgate() {
    # The router's own stack stays off these links: the frames on them are the hosts' and sixgate's.
    in_ns "$ns_rtr" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    local key
    for key in net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables; do
        if in_ns "$ns_rtr" sysctl -n "$key" > /dev/null 2>&1; then
            in_ns "$ns_rtr" sysctl -qw "$key=0"
        fi
    done
    ip -n "$ns_rtr" link set sgb-rc address "$bridged_cli_mac"
    ip -n "$ns_rtr" link set sgb-rs address "$bridged_srv_mac"
    local side
    for side in c s; do
        ip -n "$ns_rtr" link add "sgbbr-$side" type bridge stp_state 0 forward_delay 0
        ip -n "$ns_rtr" tuntap add dev "sgb-tap-$side" mode tap
        ip -n "$ns_rtr" link set "sgb-tap-$side" master "sgbbr-$side"
        ip -n "$ns_rtr" link set "sgb-r$side" master "sgbbr-$side" up
        ip -n "$ns_rtr" link set "sgbbr-$side" up
    done
    sixgate_config > "$work/sixgate.yaml"
    SIXGATE_NO_BUILD=1 ip netns exec "$ns_rtr" "$sixgate" run --config "$work/sixgate.yaml" > "$work/sixgate.log" 2>&1 9>&- &
    daemon_pid=$!
    local deadline=$((SECONDS + 60)) tap
    until grep -q "stop with SIGTERM" "$work/sixgate.log" 2> /dev/null; do
        if ((SECONDS >= deadline)) || ! alive "$daemon_pid"; then
            die "sixgate run did not start: $(cat "$work/sixgate.log")"
        fi
        sleep 0.1
    done
    # Frames sent before the bridge port forwards are lost (see scripts/e2e-topology.sh ready).
    for tap in sgb-tap-c sgb-tap-s; do
        until ip -n "$ns_rtr" -d link show "$tap" | grep -q 'LOWER_UP' \
            && ip -n "$ns_rtr" -d link show "$tap" | grep -q 'bridge_slave state forwarding'; do
            ((SECONDS < deadline)) || die "$tap is not forwarding after 60 s"
            sleep 0.1
        done
    done
    target=$srv_nat64
}

# --- measurements --------------------------------------------------------------------------------

start_servers() {
    ip netns exec "$ns_srv" iperf3 -s -p "$iperf_port" > "$work/iperf3-server.log" 2>&1 9>&- &
    helper_pids+=($!)
    ip netns exec "$ns_srv" "$java" -Xmx256m -cp "$load_classes" "$load_main" server "[::]:$connect_port" \
        > "$work/connect-server.log" 2>&1 9>&- &
    helper_pids+=($!)
    local deadline=$((SECONDS + 30))
    until grep -q "listening on" "$work/connect-server.log" 2> /dev/null; do
        ((SECONDS < deadline)) || die "the connection-setup server did not start: $(cat "$work/connect-server.log")"
        sleep 0.1
    done
}

# The host-side address of a target in URL/socket form.
bracketed() {
    if [[ "$1" == *:* ]]; then echo "[$1]"; else echo "$1"; fi
}

server_rx_packets() {
    in_ns "$ns_srv" cat /sys/class/net/sgb-s/statistics/rx_packets
}

check_path() {
    local out
    if ! out="$(in_ns "$ns_cli" ping -n -6 -c 3 -i 0.2 -W 2 "$target" 2>&1)" || ! grep -q " 0% packet loss" <<< "$out"; then
        die "case $1: ping -6 $target from the client does not get through: $(grep 'packets transmitted' <<< "$out" || echo "$out")"
    fi
}

# iperf3 as the client; the JSON goes to FILE. Retries once when the server is still busy.
iperf_client() {
    local file="$1"
    shift
    local attempt
    for attempt in 1 2 3; do
        if in_ns "$ns_cli" timeout $((duration + warmup + 30)) iperf3 -c "$target" -p "$iperf_port" --json "$@" > "$file" 2>&1; then
            return 0
        fi
        grep -q 'server is busy' "$file" 2> /dev/null || break
        sleep 1
    done
    say "iperf3 $* failed: $(jq -r '.error // empty' "$file" 2> /dev/null || head -c 300 "$file")" >&2
    return 1
}

# Small-packet rate: iperf3 sends 64-byte UDP payloads as fast as it can for warm-up + duration + 1 s;
# the server's interface counts what arrives during the middle `duration` seconds.
measure_udp() {
    local name="$1" log="$work/$1-udp.json" before after start_ns end_ns
    iperf_client "$log" -u -l 64 -b 0 -t $((duration + 2)) &
    local client=$!
    sleep 1
    before="$(server_rx_packets)"
    start_ns="$(date +%s%N)"
    sleep "$duration"
    after="$(server_rx_packets)"
    end_ns="$(date +%s%N)"
    wait "$client" || return 1
    udp_pps="$(((after - before) * 1000000000 / (end_ns - start_ns)))"
    udp_sent_pps="$(jq '.end.sum_sent.packets / .end.sum_sent.seconds | floor' "$log")"
    udp_app_pps="$(jq '(.end.sum_received.packets - .end.sum_received.lost_packets) / .end.sum_received.seconds | floor' "$log")"
    say "  udp 64 B: $udp_pps packets/s delivered at the server's interface (iperf3 sent $udp_sent_pps/s, its server received $udp_app_pps/s)"
}

measure_tcp() {
    local log="$work/$1-tcp.json"
    iperf_client "$log" -P "$streams" -O 1 -t $((duration + 1)) || return 1
    tcp_mbps="$(jq '.end.sum_received.bits_per_second / 1e6 | floor' "$log")"
    tcp_retransmits="$(jq '.end.sum_sent.retransmits // 0' "$log")"
    say "  tcp bulk: $tcp_mbps Mbit/s ($streams streams, $tcp_retransmits retransmits)"
}

measure_connect() {
    local log="$work/$1-connect.txt" line
    in_ns "$ns_cli" timeout $((duration + 30)) "$java" -Xmx256m -cp "$load_classes" "$load_main" client \
        "$(bracketed "$target"):$connect_port" "$duration" "$concurrency" > "$log" 2>&1 || {
        say "connection-setup client failed: $(cat "$log")" >&2
        return 1
    }
    line="$(grep '^connect-rate:' "$log")"
    connect_rate="$(sed 's/.*per-second=\([0-9]*\).*/\1/' <<< "$line")"
    connect_failed="$(sed 's/.*failed=\([0-9]*\).*/\1/' <<< "$line")"
    connect_stalled="$(sed 's/.*stalled=\([0-9]*\).*/\1/' <<< "$line")"
    say "  connection setup: $connect_rate connections/s ($concurrency in flight; $connect_failed failed, $connect_stalled stalled)"
}

# Warm-ups (unmeasured): the JIT of the sixgate case, the neighbour caches and queues of every
# case. The connection test's comes right before it: the sessions it leaves (4 minutes in
# sixgate's transitory state) would otherwise be in the table while UDP and TCP are measured.
warm_up_packets() {
    iperf_client "$work/$1-warmup-udp.json" -u -l 64 -b 0 -t "$warmup" || true
}

warm_up_connections() {
    in_ns "$ns_cli" timeout $((warmup + 30)) "$java" -Xmx256m -cp "$load_classes" "$load_main" \
        client "$(bracketed "$target"):$connect_port" "$warmup" "$concurrency" > /dev/null 2>&1 || true
}

declare -A figure

run_case() {
    local name="$1" label="$2"
    say "case $label"
    router_reset
    "router_$name"
    router_case="$name"
    check_path "$name"
    udp_pps="" udp_sent_pps="" tcp_mbps="" connect_rate=""
    if selected "$tests" udp || selected "$tests" tcp; then warm_up_packets "$name"; fi
    if selected "$tests" udp; then measure_udp "$name" || udp_pps=""; fi
    if selected "$tests" tcp; then measure_tcp "$name" || tcp_mbps=""; fi
    if selected "$tests" connect; then
        warm_up_connections
        measure_connect "$name" || connect_rate=""
    fi
    figure["$name,udp"]="$udp_pps"
    figure["$name,offered"]="$udp_sent_pps"
    figure["$name,tcp"]="$tcp_mbps"
    figure["$name,connect"]="$connect_rate"
    if [[ "$name" == sixgate ]]; then
        SIXGATE_MAIN_CLASS=io.sixgate.daemon.run.CountersPrinter "$sixgate" "$work/counters.dat" > "$work/sixgate-counters.txt" 2>&1 || true
        if [[ "$profile" == yes ]]; then
            profile_sixgate
        fi
    fi
    router_reset
}

# --- profile of the sixgate case -----------------------------------------------------------------

profile_sixgate() {
    local jcmd="${JAVA_HOME:+$JAVA_HOME/bin/}jcmd" test
    say "profiling sixgate (JFR$(perf_works && echo ", perf"))$(selected "$tests" connect && echo \
        ", with the sessions the connection-setup test left in its table")"
    "$root/scripts/bench-e2e-profile.sh" jfc > "$work/bench-e2e.jfc"
    for test in udp tcp; do
        selected "$tests" "$test" || continue
        "$jcmd" "$daemon_pid" JFR.start name=bench settings="$work/bench-e2e.jfc" filename="$results/profile-$test.jfr" > /dev/null
        local perf_pid=""
        if perf_works; then
            perf record -q -e cpu-clock -F 997 -g -p "$daemon_pid" -o "$work/perf-$test.data" > "$work/perf-$test.log" 2>&1 9>&- &
            perf_pid=$!
        fi
        # Measured as before; after a connection test, with the sessions it left in the table.
        if [[ "$test" == udp ]]; then
            measure_udp profile && loaded_udp="$udp_pps"
        else
            measure_tcp profile && loaded_tcp="$tcp_mbps"
        fi
        [[ -n "$perf_pid" ]] && { kill -INT "$perf_pid" 2> /dev/null || true; wait "$perf_pid" || true; }
        "$jcmd" "$daemon_pid" JFR.stop name=bench > /dev/null
    done
    # JIT-compiled methods' names for perf (JDK 17+: written to /tmp/perf-PID.map).
    perf_works && "$jcmd" "$daemon_pid" Compiler.perfmap > /dev/null 2>&1 || true
    for test in udp tcp; do
        [[ -f "$results/profile-$test.jfr" ]] || continue
        {
            echo "## sixgate profile: $test (JFR, $duration s)"
            echo
            "$root/scripts/bench-e2e-profile.sh" jfr "$results/profile-$test.jfr"
            if [[ -f "$work/perf-$test.data" ]]; then
                echo
                echo "## sixgate profile: $test (perf cpu-clock, the sixgate process's threads, kernel included)"
                echo
                "$root/scripts/bench-e2e-profile.sh" perf "$work/perf-$test.data"
            fi
        } > "$results/profile-$test.md" 2>&1
        say "  profile ($test): $results/profile-$test.md"
    done
    # perf looks for the JIT's symbols in /tmp; kept with the recordings, not left there.
    if [[ -f "/tmp/perf-$daemon_pid.map" ]]; then
        mv "/tmp/perf-$daemon_pid.map" "$work/"
    fi
}

perf_works() {
    command -v perf > /dev/null 2>&1 && perf stat -e cpu-clock -x, true > /dev/null 2>&1
}

# --- results ---------------------------------------------------------------------------------------

ratio() {
    local value="$1" base="$2"
    if [[ -z "$value" || -z "$base" || "$base" == 0 ]]; then
        echo "-"
    else
        awk -v v="$value" -v b="$base" 'BEGIN { printf "%.2f", v / b }'
    fi
}

write_results() {
    local test name unit value label csv="$results/results.csv" md="$results/results.md"
    echo "test,unit,case,value,ratio_to_kernel,ratio_to_tayga" > "$csv"
    {
        echo "| figure | case | value | vs kernel (a) | vs TAYGA (b) |"
        echo "| --- | --- | ---: | ---: | ---: |"
    } > "$md"
    for test in udp offered tcp connect; do
        selected "$tests" "${test/offered/udp}" || continue
        case "$test" in
            udp) unit="packets/s"; label="UDP 64 B delivered" ;;
            offered) unit="packets/s"; label="UDP 64 B offered (iperf3 sent)" ;;
            tcp) unit="Mbit/s"; label="TCP bulk ($streams streams)" ;;
            connect) unit="connections/s"; label="TCP connection setup" ;;
        esac
        for name in kernel tayga sixgate; do
            selected "$cases" "$name" || continue
            value="${figure[$name,$test]:-}"
            local to_a to_b
            to_a="$(ratio "$value" "${figure[kernel,$test]:-}")"
            to_b="$(ratio "$value" "${figure[tayga,$test]:-}")"
            echo "$test,$unit,$name,${value:-},${to_a/-/},${to_b/-/}" >> "$csv"
            echo "| $label, $unit | $(case_label "$name") | ${value:-failed} | $to_a | $to_b |" >> "$md"
        done
    done
    if [[ -n "$loaded_udp$loaded_tcp" ]]; then
        local connections
        connections="$(sed -n 's/.*completed=\([0-9]*\).*/\1/p' "$work/sixgate-connect.txt" 2> /dev/null || true)"
        {
            echo
            echo "sixgate again while profiled, after the connection-setup test left ${connections:-its} connections' sessions"
            echo "in its table (transitory for 4 minutes): UDP 64 B ${loaded_udp:--} packets/s delivered, TCP bulk ${loaded_tcp:--} Mbit/s."
        } >> "$md"
    fi
    echo
    say "results ($duration s per figure; $results):"
    column -t -s '|' < <(grep '^|' "$md" | sed '2d; s/^| //; s/ |$//') | sed 's/^/    /'
    grep -v '^|' "$md" | sed '/^$/d; s/^/    /' || true
}

case_label() {
    case "$1" in
        kernel) echo "(a) kernel IPv6 forwarding" ;;
        tayga) echo "(b) TAYGA 6->4, TUN" ;;
        sixgate) echo "(c) sixgate 6->4, TAP" ;;
    esac
}

write_environment() {
    {
        echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "command: scripts/bench-e2e.sh $*"
        echo "commit: $(git -C "$root" rev-parse --short HEAD 2> /dev/null || echo unknown)$(git -C "$root" diff --quiet 2> /dev/null || echo ' (modified)')"
        echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores"
        echo "memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
        echo "kernel: $(uname -r)"
        echo "load average at start: $(cut -d ' ' -f 1-3 /proc/loadavg)"
        echo "jdk: $("$java" -version 2>&1 | head -n 2 | tail -n 1)"
        echo "iperf3: $(iperf3 --version | head -n 1)"
        echo "tayga: $(dpkg-query -W -f '${Version}' tayga 2> /dev/null || echo unknown)"
        echo "duration per figure: $duration s, warm-up $warmup s; sixgate workers: $workers; TCP streams: $streams; connections in flight: $concurrency"
    } > "$results/environment.txt"
}

main() {
    parse_args "$@"
    check_tools
    build
    if [[ -z "$results" ]]; then
        results="$root/target/bench-e2e/$(date +%Y%m%d-%H%M%S)"
    fi
    mkdir -p "$results"
    results="$(cd "$results" && pwd)"
    work="$results/work"
    mkdir -p "$work"
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    take_lock
    write_environment "$@"
    say "cases: $cases; tests: $tests; $duration s each"
    build_topology
    start_servers
    local name
    for name in kernel tayga sixgate; do
        selected "$cases" "$name" || continue
        run_case "$name" "$(case_label "$name")"
    done
    write_results
}

# On one line with exit: bash has read all of it before it runs main, so editing this file while
# a benchmark runs cannot make bash go on reading the new text after main returns.
main "$@"; exit
