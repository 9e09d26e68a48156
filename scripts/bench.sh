#!/usr/bin/env bash
# The JMH benchmark suite (bench/), with the zero-garbage gate and the off-heap footprint.
#
#   scripts/bench.sh [--quick] [--java JAVA] [--out DIR] [--filter RE] [--cpu LIST] [--bounds-checks]
#                    [--no-build] [-- JMH ARGS]
#
# Builds bench/target/benchmarks.jar (unless --no-build), runs the suite with -prof gc, writes
# the results to DIR (default bench-results/DATE-jdkN): jmh.json (JMH's JSON), jmh.txt (its
# output), allocation-check.txt, footprint*.json/.txt (10 M NAT64 sessions off heap, without
# and with a per-source limit) and memory-latency.txt (not in --quick), environment.txt (CPU,
# memory, JDK, load).
# Then fails (exit 1), naming each benchmark, when a hot path allocates more than 0.5 B/op
# (io.sixgate.bench.AllocationCheck).
#   --quick        CI size: one short iteration each, small tables (1 K sessions and flows).
#   --java JAVA    run on another JDK: its home or its bin/java (the build uses the default).
#   --filter RE    only the benchmarks whose name matches RE (JMH's regular expression).
#   --cpu LIST     run the benchmarks pinned to these CPUs (taskset), away from other work.
#   --bounds-checks with Agrona's bounds checks, as the tests run (scripts/sixgate runs without).
#   --no-build     use the jar already built.
# See docs/benchmarks.md.
set -euo pipefail
usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
quick=false
build=true
java_bin=java
out=""
filter=""
bounds_checks=false
pin=()
jmh_extra=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) quick=true; shift ;;
        --no-build) build=false; shift ;;
        --bounds-checks) bounds_checks=true; shift ;;
        --cpu) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; pin=(taskset -c "$2"); shift 2 ;;
        --java) [[ $# -ge 2 ]] || { usage >&2; exit 2; }
                if [[ -x "$2/bin/java" ]]; then java_bin="$2/bin/java"; else java_bin="$2"; fi
                shift 2 ;;
        --out) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; out="$2"; shift 2 ;;
        --filter) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; filter="$2"; shift 2 ;;
        --) shift; jmh_extra=("$@"); break ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done
if ! "$java_bin" -version >/dev/null 2>&1; then
    echo "bench.sh: cannot run $java_bin" >&2
    exit 2
fi

jar=bench/target/benchmarks.jar
if $build; then
    # Offline first (a warm local repository); a fresh machine fetches from Maven Central.
    if ! ./mvnw -B -q -o -DskipTests package -pl bench -am; then
        echo "bench.sh: offline build failed; building with Maven Central" >&2
        ./mvnw -B -q -DskipTests package -pl bench -am
    fi
fi
[[ -f "$jar" ]] || { echo "bench.sh: $jar is missing (run without --no-build)" >&2; exit 2; }

jdk_version=$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')
if [[ -z "$out" ]]; then
    out="bench-results/$(date +%Y%m%d-%H%M%S)-jdk${jdk_version%%.*}"
fi
mkdir -p "$out"

# The same flags as the forks (BenchJvm) and sixgate.jvm.args in the parent pom.
jvm_flags=(--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
    --add-opens=java.base/java.nio=ALL-UNNAMED --enable-native-access=ALL-UNNAMED)

{
    echo "date: $(date -Iseconds)"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (modified)')"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores"
    lscpu 2>/dev/null | grep -E '^(L1d|L2|L3) cache' | sed 's/  */ /g' || true
    echo "memory: $(free -g | awk '/^Mem:/ {print $2}') GiB"
    echo "java: $java_bin"
    "$java_bin" -version 2>&1 | sed 's/^/  /'
    echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "quick: $quick, Agrona bounds checks: $bounds_checks, pinned: ${pin[*]:-no}, nice: $(nice)"
} > "$out/environment.txt"
cat "$out/environment.txt"

# -foe: a benchmark whose set-up check fails (a dropped packet, a frame not restored) fails the run.
jmh_args=(-prof gc -foe true -rf json -rff "$out/jmh.json")
if $quick; then
    jmh_args+=(-f 1 -wi 1 -w 300ms -i 2 -r 300ms -p sessions=1000 -p flows=1000 -p capacity=1000000)
fi
$bounds_checks && jmh_args+=(-jvmArgsAppend -Dagrona.disable.bounds.checks=false)
[[ -n "$filter" ]] && jmh_args+=("$filter")
echo "bench.sh: ${pin[*]:-} java ${jvm_flags[*]} -jar $jar ${jmh_args[*]} ${jmh_extra[*]:-}"
# JMH runs one suite at a time on a machine (its lock, /tmp/jmh.lock): wait for another to end
# rather than measure beside it.
for attempt in $(seq 1 120); do
    if "${pin[@]}" "$java_bin" "${jvm_flags[@]}" -jar "$jar" "${jmh_args[@]}" "${jmh_extra[@]}" 2>&1 \
        | tee "$out/jmh.txt"; then
        break
    fi
    if ! grep -q "Unable to acquire the JMH lock" "$out/jmh.txt"; then
        echo "bench.sh: JMH failed, see $out/jmh.txt" >&2
        exit 1
    fi
    echo "bench.sh: another JMH run holds the lock; waiting (attempt $attempt)" >&2
    sleep 30
done
grep -q "Unable to acquire the JMH lock" "$out/jmh.txt" && { echo "bench.sh: gave up waiting for the JMH lock" >&2; exit 1; }

if ! $quick && [[ -z "$filter" ]]; then
    # What a cache miss costs here, to read the lookup figures by.
    "${pin[@]}" "$java_bin" -cp "$jar" io.sixgate.bench.MemoryLatency | tee "$out/memory-latency.txt"
    # 10 M NAT64 sessions as max-sessions sizes them; then with a per-source limit and a source
    # table of 1 M subscribers (max-sources).
    "$java_bin" "${jvm_flags[@]}" -XX:MaxDirectMemorySize=4g -cp "$jar" io.sixgate.bench.OffHeapFootprint \
        --sessions 10000000 --json "$out/footprint.json" | tee "$out/footprint.txt"
    "$java_bin" "${jvm_flags[@]}" -XX:MaxDirectMemorySize=4g -cp "$jar" io.sixgate.bench.OffHeapFootprint \
        --sessions 10000000 --per-source 4096 --max-sources 1000000 --json "$out/footprint-per-source.json" \
        | tee "$out/footprint-per-source.txt"
fi
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/environment.txt"

status=0
"$java_bin" "${jvm_flags[@]}" -cp "$jar" io.sixgate.bench.AllocationCheck "$out/jmh.json" \
    > "$out/allocation-check.txt" || status=$?
cat "$out/allocation-check.txt"
echo "bench.sh: results in $out"
exit $status
