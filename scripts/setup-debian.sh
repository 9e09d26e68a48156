#!/usr/bin/env bash
# Installs what sixgate needs on a Debian (or Ubuntu) machine, and nothing it already has:
#   - a JDK (17, or the distribution's default JDK where 17 is gone) when `java` is missing;
#   - libpcap, which pcap4j loads at run time (replay, live capture);
#   - iproute2 and tcpdump (the NAT64 end-to-end test watches the wire with it), and for the
#     end-to-end tests and scripts/demo.sh in network namespaces ping (iputils-ping), nc
#     (netcat-openbsd), tcpreplay (which writes malformed frames to a port) and ethtool (which
#     turns segmentation offloads off on the veths the pcap ports capture on).
# Idempotent and non-interactive. Run as root; re-runs itself through sudo when it can.
#   --dry-run   say what would be installed, install nothing.
#   --bench     also what scripts/bench-e2e.sh needs: tayga, iperf3, jq, and perf (linux-perf)
#               for its profile where the distribution has it.
set -euo pipefail
dry_run=no
bench=no
for arg in "$@"; do
    case "$arg" in
        --dry-run) dry_run=yes ;;
        --bench) bench=yes ;;
        *)
            echo "setup-debian: unknown option $arg (--dry-run, --bench)" >&2
            exit 2
            ;;
    esac
done
export DEBIAN_FRONTEND=noninteractive
PATH="$PATH:/usr/sbin:/sbin"

if [[ "$(id -u)" -ne 0 && "$dry_run" == no ]]; then
    if command -v sudo > /dev/null 2>&1; then
        exec sudo -E bash "$0" "$@"
    fi
    echo "setup-debian: must run as root (no sudo here)" >&2
    exit 1
fi

updated=no
update_once() {
    if [[ "$updated" == no ]]; then
        echo "setup-debian: apt-get update"
        apt-get update -qq || [[ "$dry_run" == yes ]]
        updated=yes
    fi
}

# The first of the packages that apt can install (t64 renames differ between releases).
# Call update_once first: this runs in a subshell, where the update would not be remembered.
first_available() {
    local package
    for package in "$@"; do
        if apt-cache policy "$package" 2> /dev/null | grep -q 'Candidate: [^(]'; then
            echo "$package"
            return 0
        fi
    done
    echo "$1"
}

install=()
present=()

if command -v java > /dev/null 2>&1; then
    present+=("java ($(java -version 2>&1 | head -n 1))")
else
    update_once
    install+=("$(first_available openjdk-17-jdk-headless default-jdk-headless)")
fi

if ldconfig -p | grep -q 'libpcap\.so'; then
    present+=("libpcap")
else
    update_once
    install+=("$(first_available libpcap0.8t64 libpcap0.8)")
fi

if command -v ip > /dev/null 2>&1; then
    present+=("iproute2")
else
    install+=(iproute2)
fi

# command, then the package that provides it.
for tool in tcpdump:tcpdump ping:iputils-ping nc:netcat-openbsd tcpreplay:tcpreplay ethtool:ethtool; do
    if command -v "${tool%%:*}" > /dev/null 2>&1; then
        present+=("${tool%%:*}")
    else
        install+=("${tool#*:}")
    fi
done

if [[ "$bench" == yes ]]; then
    for tool in tayga:tayga iperf3:iperf3 jq:jq; do
        if command -v "${tool%%:*}" > /dev/null 2>&1 || [[ -x "/usr/sbin/${tool%%:*}" ]]; then
            present+=("${tool%%:*}")
        else
            install+=("${tool#*:}")
        fi
    done
    # Optional: the profile works without perf (JFR only).
    if command -v perf > /dev/null 2>&1; then
        present+=(perf)
    else
        update_once
        perf_package="$(first_available linux-perf linux-tools-common)"
        if apt-cache policy "$perf_package" 2> /dev/null | grep -q 'Candidate: [^(]'; then
            install+=("$perf_package")
        fi
    fi
fi

for item in "${present[@]}"; do
    echo "setup-debian: already present: $item"
done

if [[ ${#install[@]} -eq 0 ]]; then
    echo "setup-debian: nothing to install"
    exit 0
fi

if [[ "$dry_run" == yes ]]; then
    echo "setup-debian: would install: ${install[*]}"
    exit 0
fi

update_once
echo "setup-debian: apt-get install ${install[*]}"
apt-get install -y -qq --no-install-recommends "${install[@]}"
echo "setup-debian: installed: ${install[*]}"
