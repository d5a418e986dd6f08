#!/usr/bin/env bash
# Benchmarks of Baton on real node processes (numbers, not tests; never run by `mvn verify`).
# Each builds what it needs, then runs a main class of integration-tests/src/test/java/dev/baton/bench
# on the module's test classpath, from integration-tests/ (cluster files: target/it-clusters/bench-*).
#
#   scripts/bench.sh failover [--tls off|on|both] [--trials N] [--kinds crash,hang,partition,sigterm,transfer] [--out FILE.json]
#                             [--node-opts "--fd-timeout-ms 500"] [--hold-ms MS] [--write-pause-ms MS]
#                             [--load W|half|0.5x [--load-threads 96] [--load-inflight 32] [--load-warmup-ms 1500]]
#                             --load: every trial idle and under W writes/s of raw-HTTP background writes (half:
#                             half the maximum, measured first), interleaved; idle beside loaded p50/p90 per kind
#   scripts/bench.sh calm [--minutes 10] [--burners N] [--out FILE.json] [--node-opts "..."]
#   scripts/bench.sh throughput [--tls off|on|both] [--inflight 1,16,64] [--modes write,read,stale-read] [--via raw-http,baton-client]
#                               [--duration S] [--warmup S] [--keys N] [--out FILE.json] [--help: all options]
#                               ops/s and p50/p99/p99.9 per mode, raw HTTP (wrk-style) beside BatonClient
#   scripts/bench.sh scale [--keys-list 10000,100000,1000000] [--duration S] [--node-heap 1g] [--out FILE.json]
#                          the cost curve per key count: write ops/s and p99, node RSS, snapshot size and
#                          time, full-cluster restart, empty-follower catch-up
#
# TLS (failover and throughput): --tls on (or --secure) runs the benchmark's cluster with peer TLS, HTTPS
# and a token file, and every request of the benchmark (raw HTTP, BatonClient, probes) over HTTPS with an
# admin token; --tls both runs it plain, then secure (one after the other, same options; JSON in
# target/bench/<benchmark>-{plain,secure}.json) and prints one table: figure plain, secure, secure/plain.
#
# Environment: BATON_BENCH_SKIP_BUILD=1 reuses the last build; BATON_BENCH_JAVA_OPTS (default -Xmx512m);
# BATON_JAR runs the nodes from another node jar.
# The partition kind needs root and iptables (skipped with a message otherwise).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IT_DIR="$REPO_ROOT/integration-tests"
CP_FILE="$IT_DIR/target/bench-classpath.txt"
JAR="${BATON_JAR:-$REPO_ROOT/node/target/baton-node-all.jar}"

usage() {
    sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

die() {
    echo "bench.sh: $*" >&2
    exit 1
}

build() {
    if [[ "${BATON_BENCH_SKIP_BUILD:-}" == 1 && -f "$JAR" && -f "$CP_FILE" && -d "$IT_DIR/target/test-classes" ]]; then
        return 0
    fi
    echo "bench.sh: building (mvn -B -q install -DskipTests) ..." >&2
    (cd "$REPO_ROOT" && mvn -B -q install -DskipTests) || die "build failed"
    (cd "$REPO_ROOT" && mvn -B -q -pl integration-tests dependency:build-classpath \
        -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE") || die "cannot compute the test classpath"
    [[ -f "$JAR" ]] || die "build finished but $JAR is missing"
}

# Sets CP to this tree's test classpath.
classpath() {
    local deps
    # This tree's own client and node classes, not the snapshot jars in ~/.m2: another checkout
    # running `mvn install` meanwhile must not swap classes under a running benchmark.
    deps=$(tr ':' '\n' <"$CP_FILE" | sed -E \
        -e "s#^.*/dev/baton/baton-client/[^/]+/baton-client-[^/]*\.jar\$#$REPO_ROOT/client/target/classes#" \
        -e "s#^.*/dev/baton/baton-node/[^/]+/baton-node-[^/]*\.jar\$#$REPO_ROOT/node/target/classes#" | paste -sd:)
    CP="$IT_DIR/target/test-classes:$deps"
}

run_main() {
    local main=$1
    shift
    build
    classpath
    cd "$IT_DIR"
    # shellcheck disable=SC2086  # a list of JVM flags
    exec java ${BATON_BENCH_JAVA_OPTS:--Xmx512m} -Dbaton.jar="$JAR" -cp "$CP" "$main" "$@"
}

# run_tls NAME MAIN ARGS...: handles --tls off|on|both (and --secure) for a benchmark that takes --secure
# and --out; both = a plain run, a secure run, then TlsComparison's table of the two.
run_tls() {
    local name=$1 main=$2
    shift 2
    local tls=off args=() a
    while [[ $# -gt 0 ]]; do
        a=$1
        shift
        case "$a" in
            --tls)
                [[ $# -gt 0 ]] || die "--tls needs off, on or both"
                tls=$1
                shift
                ;;
            --secure) tls=on ;;
            *) args+=("$a") ;;
        esac
    done
    case "$tls" in
        off) run_main "$main" ${args[@]+"${args[@]}"} ;;
        on) run_main "$main" ${args[@]+"${args[@]}"} --secure ;;
        both)
            [[ " ${args[*]-} " != *" --out "* ]] || die "--tls both writes its own JSON files: no --out"
            build
            classpath
            cd "$IT_DIR"
            local plain="target/bench/$name-plain.json" secure="target/bench/$name-secure.json" rc=0
            echo "bench.sh: $name, TLS off ..." >&2
            # shellcheck disable=SC2086  # a list of JVM flags
            java ${BATON_BENCH_JAVA_OPTS:--Xmx512m} -Dbaton.jar="$JAR" -cp "$CP" "$main" ${args[@]+"${args[@]}"} \
                --out "$plain" || rc=$?
            echo "bench.sh: $name, TLS on ..." >&2
            # shellcheck disable=SC2086
            java ${BATON_BENCH_JAVA_OPTS:--Xmx512m} -Dbaton.jar="$JAR" -cp "$CP" "$main" ${args[@]+"${args[@]}"} \
                --out "$secure" --secure || rc=$?
            [[ -f "$plain" && -f "$secure" ]] || die "a run wrote no JSON (exit $rc)"
            java -cp "$CP" dev.baton.bench.TlsComparison "$name" "$plain" "$secure"
            return $rc
            ;;
        *) die "--tls must be off, on or both, not '$tls'" ;;
    esac
}

main() {
    local cmd=${1:-help}
    [[ $# -gt 0 ]] && shift
    case "$cmd" in
        failover) run_tls failover dev.baton.bench.FailoverBenchmark "$@" ;;
        calm) run_main dev.baton.bench.CalmBenchmark "$@" ;;
        throughput) run_tls throughput dev.baton.bench.ThroughputBenchmark "$@" ;;
        scale) run_main dev.baton.bench.ScaleBenchmark "$@" ;;
        help | -h | --help) usage ;;
        *)
            usage >&2
            die "unknown benchmark '$cmd'"
            ;;
    esac
}

main "$@"
