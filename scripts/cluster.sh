#!/usr/bin/env bash
# Run a local Baton cluster on this machine: node n<i> listens on its own loopback address
# 127.0.0.<10+i> (JGroups port 7800, FD_SOCK2 port 7900, HTTP port 8080), so links between nodes
# can later be cut one by one. Run `scripts/cluster.sh help` for the commands.
#
# State lives under $BATON_CLUSTER_DIR (default: <repo>/.baton-cluster/, git-ignored):
#   cluster.env      cluster size, the current members (after add/remove), secure mode, and the node
#                    options given to `up ... -- OPTS`
#   secure/          with `up --secure`: CA, node certificates, tokens (see scripts/lib/secure.sh)
#   n<i>/data        the node's data directory (Raft log, snapshots); kept by `down`
#   n<i>/node.log    the node's stdout + stderr (appended across restarts)
#   n<i>/pid         pid of the running node process (removed when it is stopped here)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="${BATON_JAR:-$REPO_ROOT/node/target/baton-node-all.jar}"
CLUSTER_DIR="${BATON_CLUSTER_DIR:-$REPO_ROOT/.baton-cluster}"
CLUSTER_ENV="$CLUSTER_DIR/cluster.env"
JAVA_OPTS="${BATON_JAVA_OPTS:--Xmx256m}"

RAFT_PORT=7800
HTTP_PORT=8080
MAX_NODES=9            # n1..n9 = 127.0.0.11..19; the integration tests use 127.0.0.21 and up
UP_TIMEOUT_S=60        # how long `up` waits for an ACTIVE node
STOP_TIMEOUT_S=20      # how long a SIGTERM'd node gets before SIGKILL
START_TIMEOUT_S=30     # how long `start ID` waits for the node to join as ACTIVE or STANDBY

# Filled by load_cluster_env.
CLUSTER_SIZE=""
MEMBERS=()             # the member ids now (n1 n2 n3 after `up 3`; `add`/`remove` change it)
SECURE=0
NODE_OPTS=()

# shellcheck source=lib/secure.sh
source "$REPO_ROOT/scripts/lib/secure.sh"

usage() {
    cat <<EOF
Usage: scripts/cluster.sh COMMAND [ARGS]

Runs a local Baton cluster; node n<i> uses 127.0.0.<10+i>:$RAFT_PORT (JGroups) and :$HTTP_PORT (HTTP).

Commands:
  up [--secure] [N] [-- NODE-OPTIONS...]
                               build the jar if missing or older than the sources, start N nodes (default 3, at most $MAX_NODES),
                               wait until one is ACTIVE, print id, URL, pid and role of each.
                               --secure: mutual TLS between the nodes, HTTPS only on :$HTTP_PORT and
                               bearer tokens; makes a CA, node certificates and one token per role
                               (admin, write, read) under \$BATON_CLUSTER_DIR/secure/ (ca.pem,
                               <role>.token); scripts/baton uses them. Recorded like the options.
                               Options after -- go to every node (e.g. -- --fd-timeout-ms 3000)
                               and are recorded: 'start ID' reuses them. Data from an earlier run
                               of the same size is reused; use 'clean' first for a fresh cluster.
  down                         stop every node (SIGTERM, SIGKILL after ${STOP_TIMEOUT_S}s); data and logs kept
  clean                        down, then delete all data and logs
  status                       the cluster as the nodes see it ('baton status'), plus local processes
  kill ID                      SIGKILL node ID (a crash)
  stop ID                      SIGTERM node ID and wait for it to exit
  pause ID                     SIGSTOP node ID (a hung process)
  resume ID                    SIGCONT node ID
  partition ID...              cut the named nodes off from all other nodes, both directions
                               (iptables DROP between the nodes' loopback addresses; root only).
                               The named nodes still reach each other; HTTP from elsewhere works.
  heal                         remove every iptables rule this script added (all partitions)
  add                          add the next node (the lowest free id, e.g. n4 on 127.0.0.14): 'baton members add',
                               then start it with an empty data dir and --join; wait until it votes
  remove ID                    remove ID from the membership ('baton members remove'; an ACTIVE hands
                               over first); the node stops by itself; its data dir is deleted
  start ID                     start node ID again with its data and the recorded options; wait
                               (up to ${START_TIMEOUT_S}s) until it reports ACTIVE or STANDBY
  logs ID [-f]                 last 100 lines of ID's log (-f: follow)
  urls                         print the nodes' HTTP URLs, comma-separated (the default BATON_SEEDS)
  env                          BATON_SEEDS (and in secure mode BATON_CACERT, BATON_TOKEN=admin token)
                               as shell assignments: eval "\$(scripts/cluster.sh env)"
  build                        (re)build the node jar: mvn -B -q -DskipTests package -pl node -am
  help                         this text

IDs are n1, n2, ... Environment: BATON_CLUSTER_DIR (state directory, now $CLUSTER_DIR),
BATON_JAR (the node jar, default node/target/baton-node-all.jar),
BATON_JAVA_OPTS (JVM options of each node, default -Xmx256m).
EOF
}

die() {
    echo "cluster.sh: $*" >&2
    exit 1
}

node_host() { echo "127.0.0.$((10 + ${1#n}))"; }
node_url() {
    if ((SECURE)); then echo "https://$(node_host "$1"):$HTTP_PORT"; else echo "http://$(node_host "$1"):$HTTP_PORT"; fi
}
node_dir() { echo "$CLUSTER_DIR/$1"; }

member_spec() { echo "$1=$(node_host "$1"):$RAFT_PORT:$HTTP_PORT"; }

# --members of a node started here: every current member. A node with data takes the members from
# its own log (this only seeds a fresh one).
members_spec() {
    local id spec=""
    for id in $(node_ids); do spec+="${spec:+,}$(member_spec "$id")"; done
    echo "$spec"
}

# The current member ids (MEMBERS; from an older cluster.env without it: n1..n<size>).
node_ids() {
    local i
    if ((${#MEMBERS[@]} > 0)); then
        printf '%s\n' "${MEMBERS[@]}"
        return
    fi
    for ((i = 1; i <= CLUSTER_SIZE; i++)); do echo "n$i"; done
}

# ---- recorded cluster configuration ----------------------------------------------------------

load_cluster_env() {
    [[ -f "$CLUSTER_ENV" ]] || return 1
    # shellcheck source=/dev/null
    source "$CLUSTER_ENV"
}

save_cluster_env() {
    mkdir -p "$CLUSTER_DIR"
    {
        echo "# written by scripts/cluster.sh up; read by start/status/urls"
        echo "CLUSTER_SIZE=$CLUSTER_SIZE"
        echo "MEMBERS=($(node_ids | tr '\n' ' '))"
        echo "SECURE=$SECURE"
        if ((${#NODE_OPTS[@]} > 0)); then
            echo "NODE_OPTS=($(printf '%q ' "${NODE_OPTS[@]}"))"
        else
            echo "NODE_OPTS=()"
        fi
    } >"$CLUSTER_ENV"
}

require_cluster() {
    load_cluster_env || die "no cluster in $CLUSTER_DIR (run: scripts/cluster.sh up)"
}

# Validates an ID against the recorded cluster.
require_node_id() {
    local id=${1:-}
    [[ -n "$id" ]] || die "missing node ID ($(node_ids | tr '\n' ' '))"
    if ! node_ids | grep -qx -- "$id"; then
        die "unknown node '$id': the members are $(node_ids | tr '\n' ' ')"
    fi
}

# ---- processes -------------------------------------------------------------------------------

# Prints the pid of node $1 if its process is running (also when paused), else fails.
# Checks the command line so that a recycled pid is never mistaken for the node.
running_pid() {
    local pidfile pid
    pidfile="$(node_dir "$1")/pid"
    [[ -f "$pidfile" ]] || return 1
    pid=$(<"$pidfile")
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    alive "$pid" || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "--id $1 " || return 1
    echo "$pid"
}

require_running() {
    running_pid "$1" >/dev/null || die "node $1 is not running (start it with: scripts/cluster.sh start $1)"
}

# True while process $1 exists and is not a zombie (PID 1 of a container may never reap it).
alive() {
    local state
    state=$(proc_state "$1" 2>/dev/null) || return 1
    [[ "$state" != "Z" && "$state" != "X" ]]
}

# R (running), S (sleeping), T (stopped, i.e. paused), ... from /proc/PID/stat.
proc_state() {
    local stat
    stat=$(<"/proc/$1/stat") || return 1
    stat=${stat##*) }
    echo "${stat%% *}"
}

# Builds the jar when it is missing, or when it is ours (no BATON_JAR) and older than a source or
# pom it is built from: after a `git pull`, `up` would otherwise start the previous version.
ensure_jar() {
    if [[ -f "$JAR" ]]; then
        [[ -n "${BATON_JAR:-}" ]] && return 0
        local newer
        newer=$(find "$REPO_ROOT/node/src/main" "$REPO_ROOT/client/src/main" "$REPO_ROOT/pom.xml" \
            "$REPO_ROOT/node/pom.xml" "$REPO_ROOT/client/pom.xml" -newer "$JAR" -print -quit 2>/dev/null || true)
        [[ -z "$newer" ]] && return 0
        echo "$JAR is older than ${newer#"$REPO_ROOT"/}: rebuilding (mvn -B -q -DskipTests package -pl node -am) ..."
    else
        echo "building $JAR (mvn -B -q -DskipTests package -pl node -am) ..."
    fi
    build_jar
}

build_jar() {
    (cd "$REPO_ROOT" && mvn -B -q -DskipTests package -pl node -am) || die "build failed"
    [[ -f "$JAR" ]] || die "build finished but $JAR is missing"
}

# Waits (at most 10 s) until process $1 is gone.
wait_gone() {
    local i
    for ((i = 0; i < 200; i++)); do
        alive "$1" || return 0
        sleep 0.05
    done
    echo "cluster.sh: process $1 still exists 10s after SIGKILL" >&2
}

# start_node ID [MEMBER-ARGS...]: member args default to --members of every current member.
start_node() {
    local id=$1 dir pid secure_opts=() member_args=()
    shift
    if (($# > 0)); then member_args=("$@"); else member_args=(--members "$(members_spec)"); fi
    dir=$(node_dir "$id")
    mkdir -p "$dir/data"
    if ((SECURE)); then mapfile -t secure_opts < <(secure_node_opts "$id"); fi
    echo "=== $(date '+%F %T') starting $id" >>"$dir/node.log"
    # shellcheck disable=SC2086  # JAVA_OPTS is a list of JVM flags
    # setsid, not nohup: a new session keeps the node from the terminal's hang-up, and SIGHUP
    # stays deliverable (a JVM started with SIGHUP ignored cannot reload tokens/certificates on it)
    setsid java $JAVA_OPTS -jar "$JAR" node \
        --id "$id" \
        "${member_args[@]}" \
        --data-dir "$dir/data" \
        ${secure_opts[@]+"${secure_opts[@]}"} \
        ${NODE_OPTS[@]+"${NODE_OPTS[@]}"} \
        >>"$dir/node.log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$dir/pid"
}

# Sends SIGTERM and waits up to STOP_TIMEOUT_S, then SIGKILL. Also sends SIGCONT, so that a paused
# node acts on the SIGTERM.
stop_node() {
    local id=$1 pid i
    pid=$(running_pid "$id") || return 0
    kill -TERM "$pid" 2>/dev/null || true
    kill -CONT "$pid" 2>/dev/null || true
    for ((i = 0; i < STOP_TIMEOUT_S * 10; i++)); do
        alive "$pid" || break
        sleep 0.1
    done
    if alive "$pid"; then
        echo "$id (pid $pid) did not exit ${STOP_TIMEOUT_S}s after SIGTERM: sending SIGKILL" >&2
        kill -KILL "$pid" 2>/dev/null || true
        wait_gone "$pid"
    fi
    rm -f "$(node_dir "$id")/pid"
}

# ---- network partitions (iptables) ---------------------------------------------------------------

# Every rule carries this comment, so that `heal` deletes exactly the rules added here and nothing
# else; the cluster directory is part of it (two clusters on one machine do not heal each other).
fw_tag() { echo "baton-cluster.sh:$(cksum <<<"$CLUSTER_DIR" | cut -d' ' -f1)"; }

require_iptables() {
    ((EUID == 0)) || die "$1 needs root: it changes iptables rules (run it as root, e.g. with sudo)"
    command -v iptables >/dev/null || die "$1 needs iptables, which is not installed"
    iptables -S INPUT >/dev/null 2>&1 || die "$1: iptables does not work here: $(iptables -S INPUT 2>&1 | head -n 1)"
}

# Our rules, one per line, as `iptables -S INPUT` prints them
# (-A INPUT -s A/32 -d B/32 -m comment --comment "TAG" -j DROP).
fw_rules() {
    iptables -S INPUT 2>/dev/null | grep -E -- "--comment \"?$(fw_tag)\"?( |\$)" || true
}

# fw_drop TAG SRC DST: drops SRC -> DST packets unless such a rule of ours exists; true if added.
fw_drop() {
    iptables -C INPUT -s "$2" -d "$3" -m comment --comment "$1" -j DROP 2>/dev/null && return 1
    iptables -I INPUT -s "$2" -d "$3" -m comment --comment "$1" -j DROP || die "iptables failed"
}

cmd_partition() {
    require_cluster
    (($# > 0)) || die "partition: name the nodes to cut off, e.g. scripts/cluster.sh partition n1"
    require_iptables partition
    local id other in_group
    local -A group=()
    for id in "$@"; do
        require_node_id "$id"
        group[$id]=1
    done
    ((${#group[@]} < $(node_ids | wc -l))) || die "partition: at least one node must stay on the other side"
    local tag added=0 a b
    tag=$(fw_tag)
    for id in "${!group[@]}"; do
        for other in $(node_ids); do
            in_group=${group[$other]:-}
            [[ -z "$in_group" ]] || continue
            a=$(node_host "$id")
            b=$(node_host "$other")
            fw_drop "$tag" "$a" "$b" && added=$((added + 1))
            fw_drop "$tag" "$b" "$a" && added=$((added + 1))
        done
    done
    echo "partitioned: {$(tr ' ' ',' <<<"${!group[*]}")} cut off from the other nodes ($added iptables rule(s) added; undo with: scripts/cluster.sh heal)"
}

cmd_heal() {
    require_iptables heal
    load_cluster_env || true
    local line removed=0
    local -a rule
    while IFS= read -r line; do
        [[ -n "$line" ]] || continue
        read -ra rule <<<"${line//\"/}" # the tag has no spaces: iptables' quotes can go
        rule[0]=-D
        iptables "${rule[@]}" && removed=$((removed + 1))
    done < <(fw_rules)
    echo "healed: removed $removed iptables rule(s)"
}

# Prints the cut links (one line per blocked direction) if any; silent when there are none or when
# iptables cannot be read (not root).
print_partitions() {
    ((EUID == 0)) && command -v iptables >/dev/null || return 0
    local rules line src dst
    rules=$(fw_rules)
    [[ -n "$rules" ]] || return 0
    echo
    echo "network partition (iptables DROP; scripts/cluster.sh heal removes it):"
    while IFS= read -r line; do
        src=$(grep -oE -- '-s [0-9.]+' <<<"$line" | cut -d' ' -f2)
        dst=$(grep -oE -- '-d [0-9.]+' <<<"$line" | cut -d' ' -f2)
        echo "  $(host_node "$src") -> $(host_node "$dst") dropped ($src -> $dst)"
    done <<<"$rules"
}

host_node() { echo "n$((${1##*.} - 10))"; }

# ---- HTTP ------------------------------------------------------------------------------------

# Prints the /v1/status JSON of node $1, or fails.
fetch_status() {
    local auth=()
    if ((SECURE)); then
        auth=(--cacert "$SECURE_DIR/ca.pem" -H "Authorization: Bearer $(<"$SECURE_DIR/read.token")")
    fi
    curl -fsS --max-time 2 ${auth[@]+"${auth[@]}"} "$(node_url "$1")/v1/status" 2>/dev/null
}

# json_field JSON NAME: the first top-level-looking string or number value of NAME (good enough
# for the flat fields of /v1/status; no jq needed).
json_field() {
    local v
    v=$(grep -oE "\"$2\"[[:space:]]*:[[:space:]]*(\"[^\"]*\"|-?[0-9]+|null)" <<<"$1" | head -n 1) || return 1
    v=${v#*:}
    v=${v#"${v%%[![:space:]]*}"}
    v=${v#\"}
    echo "${v%\"}"
}

# ---- commands --------------------------------------------------------------------------------

cmd_up() {
    local size=3 secure=0
    if [[ $# -gt 0 && "$1" == "--secure" ]]; then
        secure=1
        shift
    fi
    if [[ $# -gt 0 && "$1" != "--" && "$1" != "--secure" ]]; then
        size=$1
        shift
    fi
    if [[ $# -gt 0 && "$1" == "--secure" ]]; then
        secure=1
        shift
    fi
    [[ "$size" =~ ^[1-9]$ ]] || die "cluster size must be 1..$MAX_NODES, got '$size'"
    local opts=()
    if [[ $# -gt 0 ]]; then
        [[ "$1" == "--" ]] || die "unexpected argument '$1' (node options go after --)"
        shift
        opts=("$@")
    fi

    if load_cluster_env; then
        local id running=()
        for id in $(node_ids); do
            running_pid "$id" >/dev/null && running+=("$id")
        done
        if ((${#running[@]} > 0)); then
            die "nodes of this cluster are already running: ${running[*]} (scripts/cluster.sh down first)"
        fi
        if [[ "$CLUSTER_SIZE" != "$size" ]] && compgen -G "$CLUSTER_DIR/n*/data/*" >/dev/null; then
            die "$CLUSTER_DIR holds data of a $CLUSTER_SIZE-node cluster; run 'scripts/cluster.sh clean' before 'up $size'"
        fi
    fi

    ensure_jar
    # the same cluster again (its data kept by `down`): its members now, with any added or removed since
    if [[ "$CLUSTER_SIZE" != "$size" ]] || ! compgen -G "$CLUSTER_DIR/n*/data/*" >/dev/null; then MEMBERS=(); fi
    CLUSTER_SIZE=$size
    SECURE=$secure
    NODE_OPTS=(${opts[@]+"${opts[@]}"})
    if ((SECURE)); then secure_prepare $(node_ids); fi
    save_cluster_env

    local id
    for id in $(node_ids); do
        start_node "$id"
    done
    echo "started $CLUSTER_SIZE node(s) in $CLUSTER_DIR; waiting up to ${UP_TIMEOUT_S}s for an ACTIVE node ..."

    # A fresh cluster with --failover=manual has its first leader wait in PENDING_APPROVAL: manual
    # means no node becomes ACTIVE without an operator, the first one included. That is a cluster
    # that is up, so `up` stops waiting and says how to approve it.
    local deadline=$((SECONDS + UP_TIMEOUT_S)) active="" pending=""
    while [[ -z "$active" && -z "$pending" ]]; do
        for id in $(node_ids); do
            if ! running_pid "$id" >/dev/null; then
                echo "node $id exited during start-up; last lines of its log:" >&2
                tail -n 20 "$(node_dir "$id")/node.log" >&2
                die "start-up failed (the other nodes are still running: scripts/cluster.sh down)"
            fi
            local st
            local st role
            if st=$(fetch_status "$id") && role=$(json_field "$st" role); then
                [[ "$role" == "ACTIVE" ]] && active=$id
                [[ "$role" == "PENDING_APPROVAL" ]] && pending=$id
            fi
        done
        if [[ -z "$active" && -z "$pending" ]]; then
            ((SECONDS < deadline)) || {
                print_nodes
                die "no node became ACTIVE within ${UP_TIMEOUT_S}s (see scripts/cluster.sh logs ID)"
            }
            sleep 0.5
        fi
    done
    # Give the others a moment to report STANDBY, so that the table shows a settled cluster.
    deadline=$((SECONDS + 10))
    while ((SECONDS < deadline)) && ! all_settled; do sleep 0.5; done
    print_nodes
    if [[ -z "$active" ]]; then
        echo "$pending is waiting for approval (--failover=manual): scripts/baton promote"
    fi
    print_page_url
}

# Where a browser shows the cluster: every node serves the web status page at /.
print_page_url() {
    echo
    echo "web status page: $(node_url n1)/ (every node serves it at /)"
    if ((SECURE)); then
        echo "  (trust $SECURE_DIR/ca.pem in the browser; paste the read token from $SECURE_DIR/read.token when the page asks)"
    fi
}

# True when every node answers /v1/status with role ACTIVE, STANDBY or PENDING_APPROVAL (a leader
# waiting for an operator is settled too).
all_settled() {
    local id st role
    for id in $(node_ids); do
        st=$(fetch_status "$id") || return 1
        role=$(json_field "$st" role) || return 1
        [[ "$role" == "ACTIVE" || "$role" == "STANDBY" || "$role" == "PENDING_APPROVAL" ]] || return 1
    done
}

# One line per node: id, URL, pid, process state and what the node says about itself.
print_nodes() {
    local id pid st role term
    printf '%-4s %-24s %-8s %-9s %-16s %s\n' ID URL PID PROCESS ROLE TERM
    for id in $(node_ids); do
        role="-" term="-"
        if pid=$(running_pid "$id"); then
            local state
            state=$(proc_state "$pid" || echo "?")
            if [[ "$state" == "T" ]]; then
                state="paused"
            else
                state="running"
                if st=$(fetch_status "$id"); then
                    role=$(json_field "$st" role || echo "?")
                    term=$(json_field "$st" term || echo "?")
                else
                    role="(no answer)"
                fi
            fi
        else
            pid="-" state="down"
        fi
        printf '%-4s %-24s %-8s %-9s %-16s %s\n' "$id" "$(node_url "$id")" "$pid" "$state" "$role" "$term"
    done
}

cmd_down() {
    load_cluster_env || { echo "no cluster in $CLUSTER_DIR"; return 0; }
    local id pids=() ids=()
    for id in $(node_ids); do
        if running_pid "$id" >/dev/null; then ids+=("$id"); fi
    done
    if ((${#ids[@]} == 0)); then
        echo "no node running"
        return 0
    fi
    # Stop in parallel so that a cluster-wide shutdown takes one timeout, not N.
    for id in "${ids[@]}"; do
        stop_node "$id" &
        pids+=($!)
    done
    wait "${pids[@]}"
    echo "stopped ${ids[*]} (data kept in $CLUSTER_DIR)"
}

cmd_clean() {
    cmd_down
    if [[ -d "$CLUSTER_DIR" ]]; then
        rm -rf "$CLUSTER_DIR"
        echo "removed $CLUSTER_DIR"
    fi
}

cmd_status() {
    require_cluster
    print_nodes
    print_partitions
    print_page_url
    echo
    if [[ -f "$JAR" ]]; then
        local rc=0
        local cli_opts=()
        mapfile -t cli_opts < <(cli_secure_opts)
        java -jar "$JAR" status --seeds "$(cmd_urls)" ${cli_opts[@]+"${cli_opts[@]}"} || rc=$?
        # 0: a node is ACTIVE, 1: none is, 3: no node answered -- the CLI's own verdicts.
        case $rc in
            0 | 1 | 3)
                echo
                echo "members (voters, and joining nodes still catching up):"
                java -jar "$JAR" members --seeds "$(cmd_urls)" --timeout 3s ${cli_opts[@]+"${cli_opts[@]}"} || true
                return "$rc"
                ;;
        esac
    fi
    echo "(baton status failed; what each node reports on /v1/status:)"
    local id st leader
    printf '%-4s %-10s %-6s %-7s %-12s %s\n' ID ROLE TERM LEADER COMMIT APPLIED
    for id in $(node_ids); do
        if st=$(fetch_status "$id"); then
            leader=$(grep -oE '"leader"[[:space:]]*:[[:space:]]*(null|\{[[:space:]]*"id"[[:space:]]*:[[:space:]]*"[^"]*")' <<<"$st" |
                sed -E 's/.*"([^"]*)"$/\1/; s/.*null$/-/') || leader="?"
            printf '%-4s %-10s %-6s %-7s %-12s %s\n' "$id" "$(json_field "$st" role)" "$(json_field "$st" term)" \
                "$leader" "$(json_field "$st" commitIndex)" "$(json_field "$st" appliedIndex)"
        else
            printf '%-4s %s\n' "$id" "no answer from $(node_url "$id")/v1/status"
        fi
    done
}

cmd_signal() {
    local what=$1 signal=$2 id=${3:-} pid
    require_cluster
    require_node_id "$id"
    require_running "$id"
    pid=$(running_pid "$id")
    kill "-$signal" "$pid"
    echo "$what $id (pid $pid, SIG$signal)"
}

cmd_kill() {
    cmd_signal killed KILL "${1:-}"
    local pid
    pid=$(<"$(node_dir "$1")/pid")
    wait_gone "$pid"
    rm -f "$(node_dir "$1")/pid"
}

cmd_stop() {
    local id=${1:-}
    require_cluster
    require_node_id "$id"
    require_running "$id"
    echo "stopping $id (SIGTERM) ..."
    stop_node "$id"
    echo "stopped $id"
}

cmd_start() {
    local id=${1:-} pid
    require_cluster
    require_node_id "$id"
    if pid=$(running_pid "$id"); then
        die "node $id is already running (pid $pid)"
    fi
    ensure_jar
    start_node "$id"
    echo "started $id (pid $(<"$(node_dir "$id")/pid")) at $(node_url "$id"); log: $(node_dir "$id")/node.log"
    # Wait (bounded) until it has joined: ACTIVE or STANDBY.
    local deadline=$((SECONDS + START_TIMEOUT_S)) st role=""
    while ((SECONDS < deadline)); do
        if ! running_pid "$id" >/dev/null; then
            echo "node $id exited; last lines of its log:" >&2
            tail -n 20 "$(node_dir "$id")/node.log" >&2
            die "start of $id failed"
        fi
        if st=$(fetch_status "$id"); then
            role=$(json_field "$st" role || true)
            if [[ "$role" == "ACTIVE" || "$role" == "STANDBY" ]]; then
                echo "$id is $role at term $(json_field "$st" term)"
                return 0
            fi
        fi
        sleep 0.5
    done
    echo "$id is running but not ACTIVE or STANDBY after ${START_TIMEOUT_S}s (role: ${role:-no answer}); see: scripts/cluster.sh logs $id" >&2
}

# The CLI options of an operator in secure mode (admin token: membership changes need it).
cli_admin_opts() {
    ((SECURE)) || return 0
    printf '%s\n' --cacert "$SECURE_DIR/ca.pem" --token-file "$SECURE_DIR/admin.token"
}

# The lowest node id not in use (n1..n9).
next_free_id() {
    local i
    for ((i = 1; i <= MAX_NODES; i++)); do
        if ! node_ids | grep -qx "n$i" && ! running_pid "n$i" >/dev/null; then
            echo "n$i"
            return 0
        fi
    done
    return 1
}

cmd_add() {
    require_cluster
    (($# == 0)) || die "add takes no arguments (the next free id is chosen)"
    local id seeds opts=()
    id=$(next_free_id) || die "no free node id: at most $MAX_NODES nodes (127.0.0.11..19)"
    ensure_jar
    seeds=$(cmd_urls)
    mapfile -t opts < <(cli_admin_opts)
    if ((SECURE)); then secure_prepare "$id"; fi
    java -jar "$JAR" members add "$(member_spec "$id")" --seeds "$seeds" ${opts[@]+"${opts[@]}"} >/dev/null ||
        die "baton members add $(member_spec "$id") failed (see its message above)"
    rm -rf "$(node_dir "$id")/data" # a new member starts empty: it receives a snapshot and the log
    local join=(--join "$seeds")
    if ((SECURE)); then join+=(--join-token-file "$SECURE_DIR/read.token"); fi
    start_node "$id" "${join[@]}"
    MEMBERS=($(node_ids) "$id")
    save_cluster_env
    echo "added $id at $(node_url "$id") (pid $(<"$(node_dir "$id")/pid")); waiting until it has caught up and votes ..."
    local deadline=$((SECONDS + UP_TIMEOUT_S)) table
    while ((SECONDS < deadline)); do
        if ! running_pid "$id" >/dev/null; then
            echo "node $id exited; last lines of its log:" >&2
            tail -n 20 "$(node_dir "$id")/node.log" >&2
            die "$id did not join (it is still in the member table as joining: scripts/cluster.sh remove $id)"
        fi
        if table=$(java -jar "$JAR" members --json --seeds "$seeds" --timeout 3s ${opts[@]+"${opts[@]}"} 2>/dev/null) &&
            grep -qE "\"id\":\"$id\",[^}]*\"status\":\"voter\"" <<<"$table"; then
            echo "$id is a voter"
            java -jar "$JAR" members --seeds "$(cmd_urls)" --timeout 3s ${opts[@]+"${opts[@]}"} || true
            return 0
        fi
        sleep 0.5
    done
    die "$id is still joining after ${UP_TIMEOUT_S}s (see scripts/cluster.sh logs $id)"
}

cmd_remove() {
    local id=${1:-} opts=() pid=""
    require_cluster
    require_node_id "$id"
    (($(node_ids | wc -l) > 1)) || die "$id is the last member"
    ensure_jar
    mapfile -t opts < <(cli_admin_opts)
    pid=$(running_pid "$id") || pid=""
    java -jar "$JAR" members remove "$id" --seeds "$(cmd_urls)" ${opts[@]+"${opts[@]}"} ||
        die "baton members remove $id failed (see its message above)"
    MEMBERS=($(node_ids | grep -vx -- "$id"))
    save_cluster_env
    if [[ -n "$pid" ]]; then
        local i
        for ((i = 0; i < 100; i++)); do # a removed node stops by itself once it has applied its removal
            alive "$pid" || break
            sleep 0.1
        done
        if alive "$pid"; then stop_node "$id"; fi
    fi
    rm -f "$(node_dir "$id")/pid"
    rm -rf "$(node_dir "$id")/data"
    echo "removed $id (stopped; its log stays in $(node_dir "$id")/node.log)"
}

cmd_logs() {
    local id=${1:-} follow=${2:-}
    require_cluster
    require_node_id "$id"
    local log
    log="$(node_dir "$id")/node.log"
    [[ -f "$log" ]] || die "no log for $id yet ($log)"
    case "$follow" in
        "") tail -n 100 "$log" ;;
        -f) tail -n 100 -f "$log" ;;
        *) die "logs: unknown option '$follow' (only -f)" ;;
    esac
}

# The CLI options of secure mode (read token: status only needs to look).
cli_secure_opts() {
    ((SECURE)) || return 0
    printf '%s\n' --cacert "$SECURE_DIR/ca.pem" --token-file "$SECURE_DIR/read.token"
}

# What scripts/baton needs, as shell assignments: the seeds, and in secure mode the CA and the
# admin token (a local cluster's operator; export BATON_TOKEN yourself to act as another role).
cmd_env() {
    if ! load_cluster_env; then CLUSTER_SIZE=3; fi
    printf 'BATON_SEEDS=%q\n' "$(cmd_urls)"
    if ((SECURE)); then
        printf 'BATON_CACERT=%q\n' "$SECURE_DIR/ca.pem"
        printf 'BATON_TOKEN=%q\n' "$(<"$SECURE_DIR/admin.token")"
    fi
}

cmd_urls() {
    if ! load_cluster_env; then CLUSTER_SIZE=3; fi
    local id urls=""
    for id in $(node_ids); do urls+="${urls:+,}$(node_url "$id")"; done
    echo "$urls"
}

main() {
    local cmd=${1:-help}
    [[ $# -gt 0 ]] && shift
    case "$cmd" in
        up) cmd_up "$@" ;;
        down) cmd_down ;;
        clean) cmd_clean ;;
        status) cmd_status ;;
        kill) cmd_kill "$@" ;;
        stop) cmd_stop "$@" ;;
        pause) cmd_signal paused STOP "$@" ;;
        resume) cmd_signal resumed CONT "$@" ;;
        partition) cmd_partition "$@" ;;
        heal) cmd_heal ;;
        start) cmd_start "$@" ;;
        add) cmd_add "$@" ;;
        remove) cmd_remove "$@" ;;
        logs) cmd_logs "$@" ;;
        urls) cmd_urls ;;
        env) cmd_env ;;
        build) build_jar && echo "built $JAR" ;;
        help | -h | --help) usage ;;
        *)
            usage >&2
            die "unknown command '$cmd'"
            ;;
    esac
}

main "$@"
