#!/usr/bin/env bash
# Summaries of the sixgate profile that scripts/bench-e2e.sh records, in Markdown:
#
#   scripts/bench-e2e-profile.sh jfc               the JFR settings it records with (to stdout)
#   scripts/bench-e2e-profile.sh jfr FILE.jfr      per-thread CPU (user/system), what each thread's
#                                                  samples were doing, hot methods, sixgate methods inclusive
#   scripts/bench-e2e-profile.sh perf FILE.data    perf's cpu-clock samples of the daemon's threads, kernel
#                                                  included: where the time goes, by thread and symbol
#
# JFR samples a thread running Java (jdk.ExecutionSample) and a thread in a native method
# (jdk.NativeMethodSample: a TAP read or write, epoll, a park) at the same period here, so the
# two counts compare. Needs the JDK's jfr (JAVA_HOME or PATH), awk, and perf for `perf`.
set -euo pipefail

usage() {
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
}

jfc() {
    # Both samplers at 10 ms, per-thread CPU load each second, and the GCs (a zero-garbage hot
    # path runs none while it forwards).
    cat <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="sixgate bench-e2e" description="Method samples, native samples, thread CPU, GC">
  <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">10 ms</setting></event>
  <event name="jdk.NativeMethodSample"><setting name="enabled">true</setting><setting name="period">10 ms</setting></event>
  <event name="jdk.ThreadCPULoad"><setting name="enabled">true</setting><setting name="period">1 s</setting></event>
  <event name="jdk.GarbageCollection"><setting name="enabled">true</setting><setting name="threshold">0 ms</setting></event>
</configuration>
EOF
}

jfr_summary() {
    local file="$1" jfr="${JAVA_HOME:+$JAVA_HOME/bin/}jfr"
    "$jfr" print --stack-depth 64 --events jdk.ExecutionSample,jdk.NativeMethodSample,jdk.ThreadCPULoad,jdk.GarbageCollection "$file" \
        | awk -v cpus="$(nproc)" -f <(jfr_awk)
}

# What the samples say, from `jfr print`. Method names are shortened to Class.method.
jfr_awk() {
    cat <<'EOF'
# Prints the n largest entries of share[] ("method\tthread" -> percent) as table rows.
function print_top(n,    i, k, best, bestk, p) {
    for (i = 0; i < n; i++) {
        best = -1
        for (k in share) if (share[k] > best) { best = share[k]; bestk = k }
        if (best < 0.5) return
        split(bestk, p, "\t")
        printf "| %s | %s | %.1f%% |\n", p[1], p[2], best
        delete share[bestk]
    }
}
function method(frame,    m) {
    m = frame
    sub(/^ +/, "", m)
    sub(/\(.*$/, "", m)
    n = split(m, part, ".")
    return n >= 2 ? part[n - 1] "." part[n] : m
}
# What a thread in native code is doing, by the native method on top.
function native_kind(top,    m) {
    m = tolower(method(top))
    if (m ~ /readaddress/) return "TAP read (syscall)"
    if (m ~ /writeaddress/) return "TAP write (syscall)"
    if (m ~ /epoll.*wait/) return "epoll wait"
    if (m ~ /park|sleep|yield/) return "idle (park, yield)"
    return "other native: " method(top)
}
/^jdk\.[A-Za-z]+ \{/ { type = $1; thread = ""; depth = 0; in_stack = 0; user = ""; sys = ""; next }
/^  sampledThread = |^  eventThread = / { t = $0; sub(/^[^"]*"/, "", t); sub(/".*$/, "", t); thread = t; next }
/^  user = / { user = $3; sub(/%/, "", user); next }
/^  system = / { sys = $3; sub(/%/, "", sys); next }
/^  stackTrace = \[/ { in_stack = 1; next }
in_stack && /^  \]/ { in_stack = 0; next }
in_stack && /^    [^.]/ {
    depth++
    frames[depth] = $0
    next
}
/^\}/ {
    if (type == "jdk.ThreadCPULoad" && thread != "") {
        cpu_n[thread]++; cpu_user[thread] += user; cpu_sys[thread] += sys
    } else if (type == "jdk.GarbageCollection") {
        gcs++
    } else if ((type == "jdk.ExecutionSample" || type == "jdk.NativeMethodSample") && depth > 0 && thread != "") {
        total[thread]++
        all++
        if (type == "jdk.ExecutionSample") {
            kind = "running Java"
            java_all++
            hot[method(frames[1]) "\t" thread]++
        } else {
            kind = native_kind(frames[1])
        }
        doing[thread "\t" kind]++
        delete seen
        for (i = 1; i <= depth; i++) {
            m = method(frames[i])
            if (frames[i] ~ /io\.sixgate\./ && !(m in seen)) { seen[m] = 1; incl[m "\t" thread]++ }
        }
    }
    type = ""
    next
}
END {
    # jdk.ThreadCPULoad is a share of all the machine's cores: times cpus, a share of one core.
    print "CPU per thread (jdk.ThreadCPULoad, mean of the 1 s readings; 100% = one core of " cpus "):"
    print ""
    print "| thread | user | system |"
    print "| --- | ---: | ---: |"
    for (t in cpu_n) {
        u = cpu_user[t] * cpus / cpu_n[t]; s = cpu_sys[t] * cpus / cpu_n[t]
        if (u + s >= 1) printf "| %s | %.0f%% | %.0f%% |\n", t, u, s
    }
    print ""
    print "What the threads' samples were doing (Java and native samples, both every 10 ms):"
    print ""
    print "| thread | doing | share of the thread's samples |"
    print "| --- | --- | ---: |"
    for (k in doing) {
        split(k, p, "\t")
        if (doing[k] * 100 / total[p[1]] >= 2) printf "| %s | %s | %.0f%% |\n", p[1], p[2], doing[k] * 100 / total[p[1]]
    }
    print ""
    printf "Hot methods (top frame of the %d samples running Java, all threads):\n\n", java_all
    print "| method | thread | share |"
    print "| --- | --- | ---: |"
    for (k in hot) share[k] = hot[k] * 100 / java_all
    print_top(15)
    print ""
    print "sixgate methods, inclusive (share of that thread's samples, Java and native, with the method on the stack):"
    print ""
    print "| method | thread | share |"
    print "| --- | --- | ---: |"
    delete share
    for (k in incl) { split(k, p, "\t"); share[k] = incl[k] * 100 / total[p[2]] }
    print_top(20)
    print ""
    printf "Garbage collections during the recording: %d\n", gcs
}
EOF
}

perf_summary() {
    local file="$1"
    echo "Time by where it was spent (self, all of the daemon's threads):"
    echo
    echo '```'
    perf report -i "$file" --no-children --sort dso --stdio -g none --percent-limit 1 2> /dev/null | grep -v '^#' | grep -v '^$'
    echo '```'
    echo
    echo "Top symbols (self) by thread:"
    echo
    echo '```'
    perf report -i "$file" --no-children --sort comm,sym --stdio -g none --percent-limit 0.8 2> /dev/null \
        | grep -v '^#' | grep -v '^$' | head -n 40
    echo '```'
    echo
    echo "Inclusive time of the kernel paths the daemon enters (children included):"
    echo
    echo '```'
    perf report -i "$file" --children --sort sym --stdio -g none --percent-limit 0 2> /dev/null \
        | grep -E '\] (tun_chr_read_iter|tun_chr_write_iter|tun_get_user|do_epoll_wait|__x64_sys_futex|__x64_sys_sched_yield|__x64_sys_nanosleep|__x64_sys_clock_nanosleep|netif_receive_skb|__netif_receive_skb|br_handle_frame|veth_xmit|ip_rcv|ipv6_rcv|udp_rcv|tcp_v4_rcv|do_softirq|__do_softirq|net_rx_action|skb_copy_datagram_iter|copy_page_to_iter|_copy_from_iter)$' \
        || true
    echo '```'
}

case "${1:-}" in
    jfc)
        jfc
        ;;
    jfr)
        [[ $# -eq 2 ]] || { usage >&2; exit 2; }
        jfr_summary "$2"
        ;;
    perf)
        [[ $# -eq 2 ]] || { usage >&2; exit 2; }
        perf_summary "$2"
        ;;
    -h|--help)
        usage
        ;;
    *)
        usage >&2
        exit 2
        ;;
esac
