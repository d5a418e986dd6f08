#!/usr/bin/env bash
# Chaos testing of Baton on real node processes (see integration-tests/src/test/java/dev/baton/chaos/).
#
#   scripts/chaos.sh short [--seed S] [--seconds N]
#       ChaosIT: 3 nodes with TLS (what `mvn verify` runs), then 5 nodes, ~100 s of faults each, and
#       NemesisIT (the fault injector's self-test), and the 5-node variants of DiskFaultIT and PartitionIT;
#       all but the first are on demand only (-Dchaos.full=true)
#   scripts/chaos.sh soak [--minutes 60] [--seed S] [--round-minutes 5] [--nodes 3,5] [--clients 4] [--regressions]
#       back-to-back chaos rounds on fresh clusters (alternating sizes, round i uses seed S+i),
#       then a summary table: faults by kind, operations, unknowns, violations, worst unavailability.
#       Exit code 1 if any checker failed. --regressions: instead, replay the seeds that found bugs
#       (ChaosRegressions.java), each with its cluster size and length.
#
# Fault kinds: KILL, PAUSE, TERMINATE; with root and iptables ISOLATE_ACTIVE, SPLIT, BRIDGE; with
# root, mount and chattr DISK_FULL (a tmpfs data dir shrunk to what it holds), LOG_UNWRITABLE
# (chattr +i on a node's entries.crc) and CORRUPT_STOPPED (bytes flipped in a stopped follower's
# log: its start must be refused with exit 3, then --repair-log must catch it up).
# The seed is always printed. Files of a failing run (history.tsv, faults, ACTIVE intervals, node
# logs, report) are kept in integration-tests/target/chaos/<seed>/<run>/. Without root or those
# tools a run says loudly which fault kinds it could not exercise, and under CI=true it fails
# instead. Every iptables rule, tmpfs mount and immutable flag is undone at the end, also on
# failure (shutdown hook).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$REPO_ROOT/node/target/baton-node-all.jar"
IT_DIR="$REPO_ROOT/integration-tests"
MVN=(mvn -B -q)

usage() {
    sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

build() {
    # always install every module: a jar left by `scripts/cluster.sh up` (which builds the node only)
    # says nothing about baton-client being in the local repository, which the test classpath needs
    (cd "$REPO_ROOT" && "${MVN[@]}" install -DskipTests)
    (cd "$REPO_ROOT" && "${MVN[@]}" -pl integration-tests test-compile \
        dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/chaos-classpath.txt)
}

cmd="${1:-}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
    soak)
        build
        cd "$IT_DIR"
        exec java -Xmx2g -Dbaton.jar="$JAR" -cp "target/test-classes:$(cat target/chaos-classpath.txt)" \
            dev.baton.chaos.ChaosSoak "$@"
        ;;
    short)
        props=()
        while [[ $# -gt 0 ]]; do
            case "$1" in
                --seed) props+=("-Dchaos.seed=$2"); shift 2 ;;
                --seconds) props+=("-Dchaos.seconds=$2"); shift 2 ;;
                *) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
            esac
        done
        (cd "$REPO_ROOT" && "${MVN[@]}" install -DskipTests)
        cd "$REPO_ROOT"
        exec mvn -B -pl integration-tests verify -Dit.test='ChaosIT,NemesisIT,DiskFaultIT,PartitionIT' -Dchaos.full=true "${props[@]}"
        ;;
    -h|--help|help|"")
        usage
        ;;
    *)
        echo "unknown command: $cmd" >&2
        usage >&2
        exit 2
        ;;
esac
