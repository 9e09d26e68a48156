#!/usr/bin/env bash
# Builds (and tears down) the network namespaces the end-to-end tests and scripts/demo.sh run
# sixgate in: a VPC host, an IPv4-only instance in the VPC and an Internet host, wired to the
# gateway's two TAP ports (default), or with --pcap a VPC host and an Internet host on pcap ports.
# Documentation prefixes only; nothing is sent outside these namespaces. Needs root, iproute2,
# /dev/net/tun (--pcap: ethtool).
#
#   scripts/e2e-topology.sh [--pcap] [--workers N] up     build it (removes leftovers of an earlier run first)
#   scripts/e2e-topology.sh [--pcap] down                 remove everything it builds (safe to repeat)
#   scripts/e2e-topology.sh [--pcap] [--workers N] config FILE [nat64|ipv6-gateway]  print the gateway
#                                                         configuration; FILE = counters-file; (TAP only) nat64 adds
#                                                         stateful NAT64 and the IPv6 EIP, ipv6-gateway the policy
#   scripts/e2e-topology.sh [--pcap] ready [SECONDS]      wait until the daemon holds both ports and they forward (20 s)
#   scripts/e2e-topology.sh [--pcap] [--workers N] run CMD...  up, run CMD, then down whatever CMD did
#
# --workers N (default 1): the gateway runs N workers; with N > 1 the TAPs are created multi-queue
# (the daemon attaches one queue per worker) and the configuration says workers: N. Give the
# same N to up and config.
#
# The daemon runs inside namespace sggw, which holds both TAP devices; each TAP is joined to its
# hosts by a bridge and veth pairs, so the root namespace gets nothing. The TAPs are created
# here, persistent and down; `sixgate run` attaches to them, sets their MTU and brings them up.
#
#  netns sgvpc             netns sggw: sixgate runs here                         netns sginet
#  +--------------+       +---------------------------------------------+       +--------------+
#  |   sgh-vpc ---+-veth--+-- sgv-vpc                        sgv-inet --+-veth--+-- sgh-inet   |
#  +--------------+       |      |                               |      |       +--------------+
#  netns sgsrv            |      |                               |      |
#  +--------------+       |      |                               |      |
#  |   sgh-srv ---+-veth--+-- sgv-srv                            |      |
#  +--------------+       |      |                               |      |
#                         |  [sgbr-vpc] bridge          bridge [sgbr-inet]  |
#                         |      |                               |      |
#                         |  sg-vpc0 TAP                   sg-inet0 TAP |
#                         |  port vpc  \__ sixgate daemon __/  port internet
#                         +---------------------------------------------+
#
#   VPC host sgh-vpc:       MAC 02:53:47:00:01:10, 2001:db8:0:1::10/64, 192.0.2.10/24; also ::20 and ::30,
#                           deprecated (preferred_lft 0) so the host never picks them as a source unless told
#   VPC instance sgh-srv:   MAC 02:53:47:00:01:05, 192.0.2.5/24, IPv4 only (IPv6 disabled in sgsrv)
#   Internet host sgh-inet: MAC 02:53:47:00:02:10, 2001:db8:ffff::10/64, 198.51.100.10/24
#   gateway port vpc:       MAC 02:53:47:00:00:01, 2001:db8:0:1::1/64, 192.0.2.1/24
#   gateway port internet:  MAC 02:53:47:00:00:02, 2001:db8:ffff::1/64, 198.51.100.1/24
#   a neighbour nobody answers for: 2001:db8:ffff::99 and 198.51.100.99 at 02:53:47:de:ad:99,
#   next hop of 2001:db8:dead::/48 and 203.0.113.0/24.
#
# With `config FILE ipv6-gateway` the gateway polices native IPv6 between the VPC 2001:db8:0:1::/64
# and the Internet port, one VPC host address per mode: ::10 egress-only (100 Mbit/s), ::20
# Internet (100 Mbit/s both ways), ::30 VPC-only (no rule). A client binds the address it tests
# (nc -s 2001:db8:0:1::20 ...).
#
# With `config FILE nat64` the gateway also runs stateful NAT64 (pool6 64:ff9b::/96, pool4
# 203.0.113.64) and binds the instance's public IPv4 EIP 203.0.113.5 to 192.0.2.5: the Internet
# host reaches the IPv4-only instance at its IPv6 EIP 64:ff9b::cb00:7105 (64:ff9b::203.0.113.5),
# and the instance sees it as 203.0.113.64. Native IPv6 between sgvpc and sginet is routed as before.
#
# The hosts have permanent neighbour entries for the gateway's addresses and routes via it, and
# the gateway has static neighbours.
#
# With --pcap the daemon's ports are pcap ports on the gateway ends of the veth pairs, a bump in
# the wire: no bridge, no TAP, and the hosts find the gateway by ARP and Neighbor Discovery. The
# namespaces have their own names (sgpvpc, sgpgw, sgpinet), so the two topologies never meet.
#
#  netns sgpvpc            netns sgpgw: sixgate runs here                netns sgpinet
#  +--------------+       +--------------------------------------+       +--------------+
#  |   sgh-vpc ---+-veth--+-- sgv-vpc    (pcap ports)   sgv-inet --+-veth--+-- sgh-inet   |
#  +--------------+       |   port vpc  \__ sixgate __/  port internet |   +--------------+
#                         +--------------------------------------+
#
# The gateway ends carry the ports' MACs (02:53:47:00:00:01 and :02), which the configuration
# leaves to the default, the interface's own; they stay down for the daemon to bring up. The
# host stack of sgpgw stays off them (IPv6 disabled, no addresses, no forwarding). The hosts send
# without TSO/GSO and with full checksums (ethtool): a packet socket sees a frame before the
# kernel segments it, so a 64 KiB TCP super-frame would otherwise reach the gateway.
set -euo pipefail
PATH="$PATH:/usr/sbin:/sbin"

ns_vpc=sgvpc
ns_gw=sggw
ns_inet=sginet
ns_srv=sgsrv

gw_vpc_mac=02:53:47:00:00:01
gw_inet_mac=02:53:47:00:00:02
vpc_mac=02:53:47:00:01:10
srv_mac=02:53:47:00:01:05
inet_mac=02:53:47:00:02:10
dead_mac=02:53:47:de:ad:99
mtu=1500
mode=tap
workers=1

usage() {
    sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
}

need_root() {
    if [[ "$(id -u)" -ne 0 ]]; then
        echo "e2e-topology: must run as root (network namespaces, TAP devices)" >&2
        exit 1
    fi
    if [[ ! -c /dev/net/tun ]]; then
        echo "e2e-topology: /dev/net/tun is missing (modprobe tun)" >&2
        exit 1
    fi
    if [[ "$mode" == pcap ]] && ! command -v ethtool > /dev/null 2>&1; then
        echo "e2e-topology: ethtool is missing; run scripts/setup-debian.sh" >&2
        exit 1
    fi
    if ! command -v ip > /dev/null 2>&1; then
        echo "e2e-topology: ip (iproute2) is missing; run scripts/setup-debian.sh" >&2
        exit 1
    fi
}

in_ns() {
    local ns="$1"
    shift
    ip netns exec "$ns" "$@"
}

down() {
    # Every step tolerates what is already gone, so down can run at any point of a failed up.
    if ip netns list | grep -qw "$ns_gw"; then
        ip -n "$ns_gw" tuntap del dev sg-vpc0 mode tap 2> /dev/null || true
        ip -n "$ns_gw" tuntap del dev sg-inet0 mode tap 2> /dev/null || true
    fi
    local ns
    for ns in "$ns_vpc" "$ns_srv" "$ns_inet" "$ns_gw"; do
        if ip netns list | grep -qw "$ns"; then
            ip netns del "$ns"
        fi
    done
}

# One link of the gateway: a bridge in the gateway namespace holding the gateway's TAP device.
make_link() {
    local bridge="$1" tap="$2"
    ip -n "$ns_gw" link add "$bridge" type bridge stp_state 0 forward_delay 0
    ip -n "$ns_gw" link set "$bridge" mtu "$mtu"
    if ((workers > 1)); then
        # One queue per worker: the daemon attaches them all with IFF_MULTI_QUEUE.
        ip -n "$ns_gw" tuntap add dev "$tap" mode tap multi_queue
    else
        ip -n "$ns_gw" tuntap add dev "$tap" mode tap
    fi
    ip -n "$ns_gw" link set "$tap" master "$bridge"
    ip -n "$ns_gw" link set "$bridge" up
}

# One host namespace joined to a link's bridge through a veth pair.
wire_host() {
    local ns="$1" host_if="$2" gw_if="$3" bridge="$4" mac="$5"
    ip link add "$host_if" netns "$ns" address "$mac" mtu "$mtu" type veth peer name "$gw_if" netns "$ns_gw" mtu "$mtu"
    ip -n "$ns_gw" link set "$gw_if" master "$bridge" up
    ip -n "$ns" link set lo up
    ip -n "$ns" link set "$host_if" up
}

# One host namespace joined to the gateway namespace by a veth pair whose gateway end the
# daemon captures on (pcap port). The gateway end stays down until the daemon brings it up.
wire_host_pcap() {
    local ns="$1" host_if="$2" gw_if="$3" mac="$4" gw_mac="$5"
    ip link add "$host_if" netns "$ns" address "$mac" mtu "$mtu" type veth \
        peer name "$gw_if" netns "$ns_gw" address "$gw_mac" mtu "$mtu"
    # Frames leave the host whole and checksummed: no TSO/GSO super-frames, no partial checksums.
    in_ns "$ns" ethtool -K "$host_if" tx off tso off gso off > /dev/null
    in_ns "$ns_gw" ethtool -K "$gw_if" gro off tso off gso off > /dev/null
    ip -n "$ns" link set lo up
    ip -n "$ns" link set "$host_if" up
}

up() {
    need_root
    down
    trap 'echo "e2e-topology: up failed; removing what was built" >&2; down' EXIT

    ip netns add "$ns_gw"
    ip netns add "$ns_vpc"
    ip netns add "$ns_inet"
    if [[ "$mode" == tap ]]; then
        ip netns add "$ns_srv"
    fi
    # The gateway namespace only switches frames: no IPv6 stack on its bridges and TAPs, so the
    # only frames on the wires are the hosts' and the daemon's.
    in_ns "$ns_gw" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    # With br_netfilter loaded, bridges pass IP frames through netfilter, which silently drops
    # malformed IP headers: the bridges must be plain wires, so the daemon sees every frame.
    local key
    for key in net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables net.bridge.bridge-nf-call-arptables; do
        if in_ns "$ns_gw" sysctl -n "$key" > /dev/null 2>&1; then
            in_ns "$ns_gw" sysctl -qw "$key=0"
        fi
    done
    ip -n "$ns_gw" link set lo up
    if [[ "$mode" == pcap ]]; then
        wire_host_pcap "$ns_vpc" sgh-vpc sgv-vpc "$vpc_mac" "$gw_vpc_mac"
        wire_host_pcap "$ns_inet" sgh-inet sgv-inet "$inet_mac" "$gw_inet_mac"
    else
        # The instance is IPv4 only, as the instances the IPv6 EIP serves are: set before its
        # interface exists, so it gets no link-local address either.
        in_ns "$ns_srv" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
        make_link sgbr-vpc sg-vpc0
        make_link sgbr-inet sg-inet0
        wire_host "$ns_vpc" sgh-vpc sgv-vpc sgbr-vpc "$vpc_mac"
        wire_host "$ns_srv" sgh-srv sgv-srv sgbr-vpc "$srv_mac"
        wire_host "$ns_inet" sgh-inet sgv-inet sgbr-inet "$inet_mac"
    fi

    # VPC host: its subnets, default routes via the gateway, the gateway's MAC fixed (TAP only).
    ip -n "$ns_vpc" addr add 2001:db8:0:1::10/64 dev sgh-vpc nodad
    # One address per ipv6-gateway mode; deprecated, so ::10 stays the host's source by default.
    ip -n "$ns_vpc" addr add 2001:db8:0:1::20/64 dev sgh-vpc nodad preferred_lft 0
    ip -n "$ns_vpc" addr add 2001:db8:0:1::30/64 dev sgh-vpc nodad preferred_lft 0
    ip -n "$ns_vpc" addr add 192.0.2.10/24 dev sgh-vpc
    if [[ "$mode" == tap ]]; then
        ip -n "$ns_vpc" neigh replace 2001:db8:0:1::1 lladdr "$gw_vpc_mac" dev sgh-vpc nud permanent
        ip -n "$ns_vpc" neigh replace 192.0.2.1 lladdr "$gw_vpc_mac" dev sgh-vpc nud permanent
    fi
    ip -n "$ns_vpc" -6 route add default via 2001:db8:0:1::1 dev sgh-vpc
    ip -n "$ns_vpc" route add default via 192.0.2.1 dev sgh-vpc

    if [[ "$mode" == tap ]]; then
        # IPv4-only instance: everything via the gateway, which is also where pool4 (the address
        # IPv6 clients appear under) lives.
        ip -n "$ns_srv" addr add 192.0.2.5/24 dev sgh-srv
        ip -n "$ns_srv" neigh replace 192.0.2.1 lladdr "$gw_vpc_mac" dev sgh-srv nud permanent
        ip -n "$ns_srv" route add default via 192.0.2.1 dev sgh-srv
    fi

    # Internet host: routes back to the VPC's prefixes via the gateway.
    ip -n "$ns_inet" addr add 2001:db8:ffff::10/64 dev sgh-inet nodad
    ip -n "$ns_inet" addr add 198.51.100.10/24 dev sgh-inet
    if [[ "$mode" == tap ]]; then
        ip -n "$ns_inet" neigh replace 2001:db8:ffff::1 lladdr "$gw_inet_mac" dev sgh-inet nud permanent
        ip -n "$ns_inet" neigh replace 198.51.100.1 lladdr "$gw_inet_mac" dev sgh-inet nud permanent
    fi
    ip -n "$ns_inet" -6 route add 2001:db8:0:1::/64 via 2001:db8:ffff::1 dev sgh-inet
    ip -n "$ns_inet" route add 192.0.2.0/24 via 198.51.100.1 dev sgh-inet
    # The NAT64 prefix: the IPv6 EIPs of the VPC's IPv4 instances (routed natively without nat64).
    ip -n "$ns_inet" -6 route add 64:ff9b::/96 via 2001:db8:ffff::1 dev sgh-inet

    trap - EXIT
    if [[ "$mode" == pcap ]]; then
        echo "e2e-topology: up: namespaces $ns_vpc $ns_gw $ns_inet; pcap ports on sgv-vpc sgv-inet in $ns_gw (down)"
    else
        echo "e2e-topology: up: namespaces $ns_vpc $ns_srv $ns_gw $ns_inet; TAPs sg-vpc0 sg-inet0 in $ns_gw"
    fi
}

# The kernel notices a TAP's carrier (the daemon attaching) and tells the bridge a moment later;
# frames sent before the bridge port forwards are lost, so tests wait for this first.
ready() {
    if [[ "$mode" == pcap ]]; then
        ready_pcap "$@"
        return
    fi
    local seconds="${1:-20}" tap deadline=$((SECONDS + ${1:-20}))
    for tap in sg-vpc0 sg-inet0; do
        until ip -n "$ns_gw" -d link show "$tap" 2> /dev/null | grep -q 'LOWER_UP' \
            && ip -n "$ns_gw" -d link show "$tap" | grep -q 'bridge_slave state forwarding'; do
            if ((SECONDS >= deadline)); then
                echo "e2e-topology: $tap is not forwarding after $seconds s (is sixgate running in $ns_gw?)" >&2
                exit 1
            fi
            sleep 0.1
        done
    done
    echo "e2e-topology: ready: sg-vpc0 and sg-inet0 are up and forwarding"
}

# A pcap port needs no bridge: the hosts' links carry frames once the daemon has brought the
# gateway ends up.
ready_pcap() {
    local seconds="${1:-20}" deadline=$((SECONDS + ${1:-20})) ns_if
    for ns_if in "$ns_vpc:sgh-vpc" "$ns_inet:sgh-inet"; do
        until ip -n "${ns_if%%:*}" link show "${ns_if#*:}" 2> /dev/null | grep -q 'LOWER_UP'; do
            if ((SECONDS >= deadline)); then
                echo "e2e-topology: ${ns_if#*:} has no carrier after $seconds s (is sixgate running in $ns_gw?)" >&2
                exit 1
            fi
            sleep 0.1
        done
    done
    echo "e2e-topology: ready: sgv-vpc and sgv-inet are up"
}

config() {
    if [[ "$mode" == pcap ]]; then
        config_pcap "$@"
        return
    fi
    local counters="$1" profile="$2"
    cat <<EOF
# sixgate configuration for scripts/e2e-topology.sh ($profile); run it with
#   ip netns exec $ns_gw scripts/sixgate run --config THIS_FILE
workers: $workers
counters-file: $counters
frame-pool: {frames: 4096, slot-size: 2048}
ports:
  - name: vpc
    type: tap
    device: sg-vpc0
    mac: $gw_vpc_mac
    mtu: $mtu
    addresses: [2001:db8:0:1::1/64, 192.0.2.1/24]
  - name: internet
    type: tap
    device: sg-inet0
    mac: $gw_inet_mac
    mtu: $mtu
    addresses: [2001:db8:ffff::1/64, 198.51.100.1/24]
routes:
  # Next hop with a neighbour entry nobody answers for: frames leave, nothing comes back.
  - {prefix: 2001:db8:dead::/48, via: 2001:db8:ffff::99, port: internet}
  - {prefix: 203.0.113.0/24, via: 198.51.100.99, port: internet}
neighbours:
  - {address: 2001:db8:0:1::10, mac: $vpc_mac, port: vpc}
  - {address: 192.0.2.10, mac: $vpc_mac, port: vpc}
  - {address: 192.0.2.5, mac: $srv_mac, port: vpc}
  - {address: 2001:db8:ffff::10, mac: $inet_mac, port: internet}
  - {address: 198.51.100.10, mac: $inet_mac, port: internet}
  - {address: 2001:db8:ffff::99, mac: $dead_mac, port: internet}
  - {address: 198.51.100.99, mac: $dead_mac, port: internet}
EOF
    if [[ "$profile" == ipv6-gateway ]]; then
        cat <<EOF
ipv6-gateway:
  vpc: [2001:db8:0:1::/64]
  internet-port: internet
  addresses:
    # The VPC host's three addresses, one per mode; ::30 has no rule: VPC-only.
    - {address: 2001:db8:0:1::10, bandwidth-mbps: 100, egress-only: true}
    - {address: 2001:db8:0:1::20, bandwidth-mbps: 100}
EOF
    fi
    if [[ "$profile" == nat64 ]]; then
        # 203.0.113.5 and 203.0.113.64 are the cloud's public addresses: the gateway owns them
        # (classify sends them to NAT64 before any route is looked at), so the 203.0.113.0/24
        # route above never sees them. wkp-global-only is off because documentation addresses
        # are not global (RFC 6052 section 3.1), and these are all the lab may use.
        cat <<EOF
nat64:
  mode: stateful
  prefix: "64:ff9b::/96"
  wkp-global-only: false
  pool4:
    - {address: 203.0.113.64, ports: 1024-65535}
eip:
  # The instance's IPv6 EIP is 64:ff9b::cb00:7105 (64:ff9b::203.0.113.5).
  - {public: 203.0.113.5, private: 192.0.2.5}
EOF
    fi
}

config_pcap() {
    local counters="$1"
    cat <<EOF
# sixgate configuration for scripts/e2e-topology.sh --pcap; run it with
#   ip netns exec $ns_gw scripts/sixgate run --config THIS_FILE
# No mac: a pcap port takes its interface's own ($gw_vpc_mac, $gw_inet_mac).
workers: $workers
counters-file: $counters
frame-pool: {frames: 4096, slot-size: 2048}
ports:
  - name: vpc
    type: pcap
    device: sgv-vpc
    mtu: $mtu
    addresses: [2001:db8:0:1::1/64, 192.0.2.1/24]
  - name: internet
    type: pcap
    device: sgv-inet
    mtu: $mtu
    addresses: [2001:db8:ffff::1/64, 198.51.100.1/24]
routes:
  # Next hop with a neighbour entry nobody answers for: frames leave, nothing comes back.
  - {prefix: 2001:db8:dead::/48, via: 2001:db8:ffff::99, port: internet}
  - {prefix: 203.0.113.0/24, via: 198.51.100.99, port: internet}
neighbours:
  - {address: 2001:db8:0:1::10, mac: $vpc_mac, port: vpc}
  - {address: 192.0.2.10, mac: $vpc_mac, port: vpc}
  - {address: 2001:db8:ffff::10, mac: $inet_mac, port: internet}
  - {address: 198.51.100.10, mac: $inet_mac, port: internet}
  - {address: 2001:db8:ffff::99, mac: $dead_mac, port: internet}
  - {address: 198.51.100.99, mac: $dead_mac, port: internet}
EOF
}

if [[ "${1:-}" == "--pcap" ]]; then
    mode=pcap
    ns_vpc=sgpvpc
    ns_gw=sgpgw
    ns_inet=sgpinet
    ns_srv=sgpsrv   # not built in pcap mode; its own name so that down never touches sgsrv
    shift
fi
if [[ "${1:-}" == "--workers" ]]; then
    if [[ ! "${2:-}" =~ ^[1-9][0-9]*$ ]]; then
        usage >&2
        exit 2
    fi
    workers="$2"
    shift 2
fi

case "${1:-}" in
    up)
        up
        ;;
    down)
        need_root
        down
        echo "e2e-topology: down"
        ;;
    config)
        if [[ $# -lt 2 || $# -gt 3 || ( $# -eq 3 && "$3" != nat64 && "$3" != ipv6-gateway ) ]]; then
            usage >&2
            exit 2
        fi
        config "$2" "${3:-routing}"
        ;;
    ready)
        need_root
        ready "${2:-20}"
        ;;
    run)
        shift
        if [[ $# -eq 0 ]]; then
            usage >&2
            exit 2
        fi
        up
        trap down EXIT
        "$@"
        ;;
    -h|--help)
        usage
        ;;
    *)
        usage >&2
        exit 2
        ;;
esac
