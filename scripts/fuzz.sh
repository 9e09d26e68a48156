#!/usr/bin/env bash
# Coverage-guided fuzzing of one Jazzer target (issue 8); not part of CI, which runs every target
# in regression mode (over its seeds and past findings) in ./mvnw verify.
#
#   scripts/fuzz.sh TARGET [SECONDS]     e.g. scripts/fuzz.sh SiitFuzzTest 60
#   scripts/fuzz.sh --list               the targets
#
# TARGET is a fuzz test class (Class or Class#method). The working corpus grows in
# MODULE/.cifuzz-corpus/ (ignored by git); a crash is written as
# MODULE/src/test/resources/<package>/<Class>Inputs/<method>/crash-* and fails the run: commit it
# with the fix, so the regression run replays it from then on.
# Environment: JAVA_HOME picks the JDK; SIXGATE_FUZZ_MAVEN_ARGS adds Maven arguments.
set -euo pipefail
cd "$(dirname "$0")/.."

targets() {
    grep -rl --include='*FuzzTest.java' '@FuzzTest' -- */src/test/java | sort
}

if [[ "${1:-}" == "--list" || $# -lt 1 ]]; then
    [[ $# -lt 1 ]] && echo "usage: scripts/fuzz.sh TARGET [SECONDS]   (TARGET: one of these classes)" >&2
    targets | sed 's|.*/||; s|\.java$||'
    [[ $# -lt 1 ]] && exit 2
    exit 0
fi

target="$1"
seconds="${2:-60}"
class="${target%%#*}"
file=$(targets | grep "/${class}.java$" || true)
if [[ -z "$file" ]]; then
    echo "fuzz.sh: no fuzz target named $class (scripts/fuzz.sh --list)" >&2
    exit 2
fi
module="${file%%/*}"
if [[ "$target" != *"#"* ]]; then
    # Only the @FuzzTest method: the class's other tests (seed files, corpus runs) are for verify.
    method=$(awk '/@FuzzTest/ { seen = 1 } seen && /void / { match($0, /void [A-Za-z0-9_]+/); print substr($0, RSTART + 5, RLENGTH - 5); exit }' "$file")
    target="$class#$method"
fi

echo "fuzz.sh: fuzzing $target in $module for ${seconds}s"
# Targets that build a testbed per input churn off-heap memory, which only a GC gives back: cap it
# so a run stays a good neighbour (it then collects often instead of growing to a quarter of RAM).
export JDK_JAVA_OPTIONS="${JDK_JAVA_OPTIONS:-} -XX:MaxDirectMemorySize=512m -Xmx2g"
# -am builds what the module needs; -Dtest selects the one target (Jazzer fuzzes one per run).
JAZZER_FUZZ=1 ./mvnw -B -q -o -pl "$module" -am verify -DskipITs \
    -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsixgate.fuzz.hooks=true -Djazzer.max_duration="${seconds}s" \
    ${SIXGATE_FUZZ_MAVEN_ARGS:-}
