#!/usr/bin/env bash
# The project's whole test suite, as CI runs it (.ci/run calls exactly this).
#   scripts/test.sh            set up a fresh Debian machine, then build and test everything
# Environment:
#   SIXGATE_SKIP_SETUP=1       do not run scripts/setup-debian.sh (packages already there)
#   SIXGATE_SECOND_JDK=0       skip the test pass on the newer JDK under /usr/lib/jvm
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${SIXGATE_SKIP_SETUP:-0}" != 1 ]]; then
    scripts/setup-debian.sh
fi

# The conformance corpus sits beside the repository in CI (../shared); say loudly when it does not.
corpus="$(cd .. && pwd)/shared/conformance/jool-graybox"
optional=false
if [[ -d "$corpus" ]]; then
    scripts/conformance.sh "$corpus" siit
    scripts/conformance.sh "$corpus" nat64
else
    echo "test.sh: WARNING: no conformance corpus at $corpus; conformance suites NOT run" >&2
    optional=true
fi

# The newer JDK must build and pass too (the project supports both).
if [[ "${SIXGATE_SECOND_JDK:-1}" == 1 ]]; then
    newer_jdk=$(ls -d /usr/lib/jvm/temurin-2*-jdk-* 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n "$newer_jdk" ]]; then
        echo "test.sh: building and testing on $newer_jdk"
        JAVA_HOME="$newer_jdk" ./mvnw -B -q verify -Dsixgate.conformance.optional="$optional"
    else
        echo "test.sh: WARNING: no newer JDK under /usr/lib/jvm; second-JDK pass NOT run" >&2
    fi
fi

# Last, so the Surefire summary closes the output: the full suite on the default JDK.
./mvnw -B verify -Dsixgate.conformance.optional="$optional"
