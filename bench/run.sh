#!/usr/bin/env bash
# Barge against rclone, side by side, on one S3Proxy server on this machine (issue 11, item 1).
#
# Usage: bench/run.sh [--quick] [--runs N] [CASE...]
#   CASE: a b c t d e f g h w (default: all of them, in that order), or "sweep" (the short search for each
#   tool's best settings that chose the ones below; not part of the default run).
#   --quick   small N and one run of each, to check the script in a minute or two
#   --runs N  runs of each tool per row (default 3), alternating rclone, Barge, rclone, Barge, ...
#
# Cases (what each measures is said again above its function):
#   a  N x 4 KiB, bucket -> bucket on one store: server-side copies (N = 10,000 and 100,000)
#   b  the same objects, local directory -> S3
#   c  4 x 256 MiB, local directory -> S3, then S3 -> local directory
#   t  case c over https: S3Proxy's TLS endpoint, a self-signed certificate both tools trust
#   d  memory: 20,000 and 200,000 one-byte keys, local -> local: peak RSS, and Barge's heap after GC
#   e  kill -9 of Barge at about 50 % of (b) at 10,000 objects, then the same command again:
#      seconds to the first new copy, and objects copied twice (counted at the server's disk)
#   f  the raw ceiling: dev.barge.bench.S3Ceiling, a tight multi-threaded AWS SDK client, PUT, COPY
#      and GET of the same objects: what the server does on this machine
#   g  100,000 one-byte files in 300 directories, local -> local (issue 18): rclone, Barge with the
#      local driver's sync off (rclone's durability: none), and Barge durable (options.sync: true)
#   h  latency (issue 16): a no-op sync of 100,000 identical keys in one flat directory, every request
#      held back 20 ms by a delay proxy (dev.barge.bench.DelayProxy) as a WAN would: the listings are
#      the work. rclone --checksum at --checkers 64, Barge with 1, 4 and 16 key-range partitions, on
#      Ceph RGW (radosgw, Debian's package), not S3Proxy: see case h's comment
#   w  workers (issue 16): (a) at 10,000 objects in 8 key ranges run by 1, 2 and 4 `barge worker`
#      processes (--remote), against (f)'s COPY ceiling; needs PostgreSQL and RabbitMQ on 127.0.0.1
#
# Every run prints wall time, obj/s or MiB/s, the client's CPU seconds (user + sys, /usr/bin/time),
# the server's CPU seconds (S3Proxy's utime + stime from /proc) and the client's peak RSS. The summary
# at the end has the medians and the ratios Barge / rclone and Barge / ceiling; bench/RESULTS.md keeps
# them with the machine facts. Rows are appended, tab-separated, to $BENCH_OUT (default
# target/bench/results.tsv).
#
# Environment: BENCH_BUDGET (seconds, default 150): after a tool's runs of one row have taken this
# long together, that row gets no more runs of that tool (always at least one), so that a slow tool
# cannot push the whole run past 20 minutes; the summary shows how many runs each median has.
# BENCH_LATENCY_MS (default 20): case h's delay a request; BENCH_LATENCY_SERVER (rgw, the default,
# or s3proxy): case h's server.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

# ---------------------------------------------------------------------------------------------
# Settings: each tool's best, from `bench/run.sh sweep` (see RESULTS.md for the sweep's figures)
# ---------------------------------------------------------------------------------------------
RCLONE_SMALL=(--transfers 64 --checkers 64)
RCLONE_LARGE=(--transfers 4 --checkers 8 --s3-upload-concurrency 8 --s3-chunk-size 16Mi --multi-thread-streams 8)
BARGE_SMALL=(--concurrency 32)
BARGE_LARGE=(--concurrency 4)
CEILING_THREADS=32
# S3Proxy holds an unchunked request body in memory: 4 single PUTs of 256 MiB (seeding, ceiling) need room
S3PROXY_HEAP=-Xmx3g

# Barge's local driver flushes every file to disk by default (options.sync: true); rclone's local
# backend never does. Same durability for both: sync off, unless BENCH_BARGE_LOCAL_SYNC=true.
BARGE_LOCAL_SYNC=${BENCH_BARGE_LOCAL_SYNC:-false}
BUDGET=${BENCH_BUDGET:-150}
OUT=${BENCH_OUT:-$ROOT/target/bench/results.tsv}
OUT_KEEP=$OUT   # OUT is redirected to a scratch file during a run; failed runs' output goes beside this

QUICK=false
RUNS=3
CASES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=true; RUNS=1 ;;
    --runs) RUNS=$2; shift ;;
    a|b|c|t|d|e|f|g|h|w|sweep) CASES+=("$1") ;;
    -h|--help) sed -n "2,$(( $(grep -n '^set -euo pipefail' "$0" | cut -d: -f1) - 1 ))p" "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see bench/run.sh --help)" >&2; exit 2 ;;
  esac
  shift
done
[ ${#CASES[@]} -gt 0 ] || CASES=(a b c t d e f g h w)

if $QUICK; then
  SMALL_SIZES=(500 2000); LARGE_COUNT=4; LARGE_SIZE=$((16 << 20)); MEMORY_SIZES=(1000 5000); KILL_SIZE=2000
  TINY_COUNT=3000; LATENCY_COUNT=3000
else
  SMALL_SIZES=(10000 100000); LARGE_COUNT=4; LARGE_SIZE=$((256 << 20)); MEMORY_SIZES=(20000 200000); KILL_SIZE=10000
  TINY_COUNT=100000; LATENCY_COUNT=100000
fi
LATENCY_MS=${BENCH_LATENCY_MS:-20}
WORKER_RANGES=8
WORKER_COUNTS=${BENCH_WORKERS:-1 2 4}

ACCESS_KEY=bench-access-key
SECRET_KEY=bench-secret-key
WORK=$(mktemp -d /tmp/barge-bench.XXXXXX)
DATA=$WORK/local          # the local remote's root: each subdirectory is a bucket
S3DATA=$WORK/s3proxy      # S3Proxy's filesystem-nio2 base directory: each subdirectory is a bucket
mkdir -p "$DATA" "$S3DATA" "$(dirname "$OUT")"
S3PROXY_PID=
PROXY_PID=
CEPH_PIDS=          # case h's Ceph daemons (mon, osd, radosgw), when started
SERVER_PIDS=        # the processes whose CPU is the server's: S3Proxy, or Ceph's daemons in case h
START=$(date +%s)

cleanup() {
  local rc=$?
  if [ -n "$PROXY_PID" ] && kill -0 "$PROXY_PID" 2>/dev/null; then
    kill "$PROXY_PID" 2>/dev/null || true
    wait "$PROXY_PID" 2>/dev/null || true
  fi
  local pid
  for pid in $CEPH_PIDS; do
    kill "$pid" 2>/dev/null || true
  done
  if [ -n "$S3PROXY_PID" ] && kill -0 "$S3PROXY_PID" 2>/dev/null; then
    kill "$S3PROXY_PID" 2>/dev/null || true
    wait "$S3PROXY_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '%s\n' "$*" >&2; }

# ---------------------------------------------------------------------------------------------
# Setup: rclone, Barge's jar, the test classpath (S3Proxy, the ceiling client), one S3Proxy
# ---------------------------------------------------------------------------------------------
install_rclone() {
  command -v rclone >/dev/null && return
  log "installing rclone (Debian package)"
  local sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y rclone >/dev/null 2>&1 || { $sudo apt-get update >/dev/null && $sudo apt-get install -y rclone >/dev/null; }
}

maven() { env -u AWS_CA_BUNDLE ./mvnw -B -q -o "$@" || env -u AWS_CA_BUNDLE ./mvnw -B -q "$@"; }

build() {
  local newest_main newest_test
  newest_main=$(find src/main pom.xml -type f -newer target/barge.jar 2>/dev/null | head -1 || true)
  if [ ! -f target/barge.jar ] || [ -n "$newest_main" ]; then
    log "building target/barge.jar"
    maven package -DskipTests
  fi
  newest_test=$(find src/test/java/dev/barge/bench pom.xml -type f -newer target/bench/classpath.txt 2>/dev/null | head -1 || true)
  if [ ! -f target/bench/classpath.txt ] || [ ! -f target/test-classes/dev/barge/bench/S3Ceiling.class ] \
      || [ -n "$newest_test" ]; then
    log "compiling the benchmark's test classes"
    maven test-compile dependency:build-classpath -Dmdep.outputFile=target/bench/classpath.txt -Dmdep.includeScope=test
  fi
  TEST_CP="$ROOT/target/test-classes:$(cat target/bench/classpath.txt)"
}

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    ss -ltn | awk '{print $4}' | grep -q ":$port\$" || { echo $port; return; }
  done
}

start_s3proxy() {
  local port tls_port; port=$(free_port); tls_port=$(free_port)
  ENDPOINT=http://127.0.0.1:$port
  # case t: the same server over https, with a certificate for 127.0.0.1 made here, which both tools
  # trust (rclone --ca-cert, Barge's JVM a trust store): no verification is switched off
  TLS_ENDPOINT=https://127.0.0.1:$tls_port TLS=$WORK/tls
  mkdir -p "$TLS"
  keytool -genkeypair -alias s3proxy -keyalg EC -groupname secp256r1 -dname CN=127.0.0.1 -ext san=ip:127.0.0.1 \
    -validity 2 -storetype PKCS12 -keystore "$TLS/server.p12" -storepass changeit -keypass changeit >/dev/null 2>&1
  keytool -exportcert -rfc -alias s3proxy -keystore "$TLS/server.p12" -storepass changeit > "$TLS/ca.pem" 2>/dev/null
  keytool -importcert -noprompt -alias s3proxy -file "$TLS/ca.pem" -storetype PKCS12 -keystore "$TLS/trust.p12" \
    -storepass changeit >/dev/null 2>&1
  cat > "$WORK/s3proxy.properties" <<EOF
s3proxy.endpoint=$ENDPOINT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$ACCESS_KEY
s3proxy.credential=$SECRET_KEY
s3proxy.ignore-unknown-headers=true
s3proxy.secure-endpoint=$TLS_ENDPOINT
s3proxy.keystore-path=$TLS/server.p12
s3proxy.keystore-password=changeit
# a single unchunked PUT may hold more than S3Proxy's default 128 MiB (the seeding of case c sends
# 256 MiB objects in one request, as AWS allows up to 5 GiB)
s3proxy.v4-max-non-chunked-request-size=1073741824
jclouds.provider=filesystem-nio2
jclouds.identity=$ACCESS_KEY
jclouds.credential=$SECRET_KEY
jclouds.filesystem.basedir=$S3DATA
EOF
  java $S3PROXY_HEAP -Dlogback.configurationFile="$ROOT/bench/logback.xml" -cp "$TEST_CP" \
    org.gaul.s3proxy.Main --properties "$WORK/s3proxy.properties" > "$WORK/s3proxy.log" 2>&1 &
  S3PROXY_PID=$!
  SERVER_PIDS=$S3PROXY_PID
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "$ENDPOINT/" && break
    kill -0 "$S3PROXY_PID" || { cat "$WORK/s3proxy.log" >&2; exit 1; }
    sleep 0.2
  done
  log "S3Proxy (filesystem-nio2 on $S3DATA) at $ENDPOINT, pid $S3PROXY_PID"
}

# Both tools' remotes: rclone's from the environment, Barge's from a remotes file.
configure_tools() {
  export RCLONE_CONFIG_S3_TYPE=s3 RCLONE_CONFIG_S3_PROVIDER=Other RCLONE_CONFIG_S3_ENDPOINT=$ENDPOINT \
    RCLONE_CONFIG_S3_ACCESS_KEY_ID=$ACCESS_KEY RCLONE_CONFIG_S3_SECRET_ACCESS_KEY=$SECRET_KEY \
    RCLONE_CONFIG_S3_REGION=us-east-1 RCLONE_CONFIG_S3_FORCE_PATH_STYLE=true RCLONE_CONFIG=/dev/null
  export RCLONE_CONFIG_TLS_TYPE=s3 RCLONE_CONFIG_TLS_PROVIDER=Other RCLONE_CONFIG_TLS_ENDPOINT=$TLS_ENDPOINT \
    RCLONE_CONFIG_TLS_ACCESS_KEY_ID=$ACCESS_KEY RCLONE_CONFIG_TLS_SECRET_ACCESS_KEY=$SECRET_KEY \
    RCLONE_CONFIG_TLS_REGION=us-east-1 RCLONE_CONFIG_TLS_FORCE_PATH_STYLE=true
  BARGE_TRUST="-Djavax.net.ssl.trustStore=$TLS/trust.p12 -Djavax.net.ssl.trustStorePassword=changeit"
  REMOTES=$WORK/remotes.yml
  # bench over http, tls the same server over https; listing walk: directory by directory, as
  # rclone lists by default (--fast-list is flat)
  local name endpoint
  for name in bench tls; do
    endpoint=$ENDPOINT; [ $name = tls ] && endpoint=$TLS_ENDPOINT
    printf '%s:\n  type: s3\n  endpoint: %s\n  region: us-east-1\n  path-style: true\n' "$name" "$endpoint"
    printf '  access-key-id: %s\n  secret-access-key: %s\n  options:\n    listing: walk\n' "$ACCESS_KEY" "$SECRET_KEY"
  done > "$REMOTES"
  cat >> "$REMOTES" <<EOF
disk:
  type: local
  root: $DATA
  options:
    sync: $BARGE_LOCAL_SYNC
durable:
  type: local
  root: $DATA
  options:
    sync: true
EOF
  # Barge as a user runs it: bin/barge (java -jar target/barge.jar) with the remotes file. The
  # wrapper execs, so the process that /usr/bin/time measures (and kill -9 kills) is Barge's JVM.
  BARGE=$WORK/barge
  printf '#!/bin/sh\nexec env -u AWS_CA_BUNDLE "%s/bin/barge" --config "%s" "$@"\n' "$ROOT" "$REMOTES" > "$BARGE"
  chmod +x "$BARGE"
  # A job repository with its schema in place, copied for every run: each run starts from the same
  # state, as a user's second job does, and no run pays for another's records.
  BARGE_HOME_TEMPLATE=$WORK/barge-home
  BARGE_HOME=$BARGE_HOME_TEMPLATE barge jobs list >/dev/null
}

barge() { "$BARGE" "$@"; }
rclone_() { env -u AWS_CA_BUNDLE rclone "$@"; }
ceiling_client() {
  env -u AWS_CA_BUNDLE BENCH_KEY=$ACCESS_KEY BENCH_SECRET=$SECRET_KEY java \
    -Dlogback.configurationFile="$ROOT/bench/logback.xml" -cp "$TEST_CP" dev.barge.bench.S3Ceiling "$@"
}

# ---------------------------------------------------------------------------------------------
# Data: made once per run of the script, the same bytes every time (seeded)
# ---------------------------------------------------------------------------------------------
# local_set NAME COUNT SIZE DIRS: the directory $DATA/NAME (a bucket of the local remote)
local_set() {
  [ -d "$DATA/$1" ] && return
  log "making $2 x $3 B in $DATA/$1"
  ceiling_client gen "$DATA/$1" "$2" "$3" "$4"
}

# seed_bucket NAME LOCALSET: a source bucket on S3Proxy holding the local set (untimed)
declare -A SEEDED
seed_bucket() {
  local endpoint=${3:-$ENDPOINT}
  [ -n "${SEEDED[$endpoint $1]:-}" ] && return
  log "seeding bucket $1 from $DATA/$2 at $endpoint"
  local threads=32
  [ "$2" = large ] && threads=4   # 256 MiB bodies: as many at once as S3Proxy's heap holds
  ceiling_client put "$endpoint" "$1" "$DATA/$2" $threads >/dev/null
  SEEDED[$endpoint $1]=1
}

# Objects under a bucket or directory: files, less the local driver's sidecars
count_files() { find "$1" -type f -not -path '*/.barge*' 2>/dev/null | wc -l; }
server_ticks() {
  local pid ticks=0
  for pid in $SERVER_PIDS; do
    ticks=$((ticks + $(proc_ticks "$pid")))
  done
  echo $ticks
}
new_barge_home() { local h=$WORK/home-$RANDOM$RANDOM; cp -a "$BARGE_HOME_TEMPLATE" "$h"; echo "$h"; }

# ---------------------------------------------------------------------------------------------
# measure CASE ROW TOOL RUN OBJECTS BYTES CHECKDIR -- COMMAND...
#   Runs COMMAND under /usr/bin/time; prints one line and appends one row to $OUT:
#   case row tool run wall client_cpu server_cpu rss_kib objects bytes in_job_s ok
#   CHECKDIR is where the copies land: its object count must be OBJECTS afterwards ("-": the case
#   checks the result itself).
# ---------------------------------------------------------------------------------------------
LAST_WALL=0
measure() {
  local case=$1 row=$2 tool=$3 run=$4 objects=$5 bytes=$6 check=$7; shift 8
  local timef=$WORK/time.out outf=$WORK/cmd.out s0 s1 rc=0
  s0=$(server_ticks)
  /usr/bin/time -f '%e %U %S %M' -o "$timef" "$@" > "$outf" 2>"$WORK/cmd.err" || rc=$?
  s1=$(server_ticks)
  local wall user sys rss in_job=- ok=ok found
  read -r wall user sys rss < <(tail -1 "$timef")
  if grep -q '^{.*"elapsedSeconds"' "$outf"; then
    in_job=$(grep '^{.*"elapsedSeconds"' "$outf" | tail -1 | jq -r .elapsedSeconds)
  fi
  if [ "$check" = - ]; then found=$objects; else found=$(count_files "$check"); fi
  if [ "$rc" -ne 0 ] || [ "$found" -ne "$objects" ]; then
    ok="FAILED(exit=$rc,objects=$found)"
    # kept beside the results: what the tool said, both streams (a --json summary is on stdout)
    local kept; kept="$(dirname "$OUT_KEEP")/failed-$case-$tool-$run-$(date +%H%M%S)"
    cp "$outf" "$kept.out"; cp "$WORK/cmd.err" "$kept.err"
    # and Barge's home, whose barge.log says why (the job repository with it, for 'barge jobs show')
    local arg
    for arg in "$@"; do
      case $arg in BARGE_HOME=*) [ -d "${arg#BARGE_HOME=}" ] && cp -a "${arg#BARGE_HOME=}" "$kept.home" ;; esac
    done
    tail -5 "$WORK/cmd.err" >&2; tail -c 600 "$outf" >&2; log "   (whole output in $kept.out and .err, Barge's home in $kept.home)"
  fi
  local cpu server
  cpu=$(echo "$user + $sys" | bc)
  server=$(echo "scale=2; ($s1 - $s0) / 100" | bc)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$case" "$row" "$tool" "$run" "$wall" "$cpu" \
    "$server" "$rss" "$objects" "$bytes" "$in_job" "$ok" >> "$OUT"
  awk -v c="$case" -v r="$row" -v t="$tool" -v n="$run" -v w="$wall" -v cpu="$cpu" -v s="$server" \
    -v m="$rss" -v o="$objects" -v b="$bytes" -v j="$in_job" -v ok="$ok" 'BEGIN {
      rate = (b / o > 1048576) ? sprintf("%8.1f MiB/s", b / 1048576 / w) : sprintf("%8.1f obj/s", o / w);
      printf "%-2s %-26s %-7s run %d: wall %7.2f s %s  client CPU %6.2f s  server CPU %6.2f s  RSS %5d MiB%s  %s\n",
        c, r, t, n, w, rate, cpu, s, m / 1024, (j == "-" ? "" : sprintf("  in-job %.2f s", j)), ok }' >&2
  LAST_WALL=$wall
}

# alternate CASE ROW OBJECTS BYTES: runs rclone_run and barge_run (functions the case defines, taking
# the run number and setting CHECK, the target to count) alternately, RUNS times each, within BUDGET.
alternate() {
  local case=$1 row=$2 objects=$3 bytes=$4 i tool
  declare -A spent=([rclone]=0 [barge]=0)
  for i in $(seq 1 "$RUNS"); do
    for tool in rclone barge; do
      if [ "$i" -gt 1 ] && [ "$(echo "${spent[$tool]} > $BUDGET" | bc)" -eq 1 ]; then
        [ "$i" -eq 2 ] && log "   $tool: one run only in this row (it took ${spent[$tool]} s, budget $BUDGET s)"
        continue
      fi
      "prepare_$tool" "$i"
      measure "$case" "$row" "$tool" "$i" "$objects" "$bytes" "$CHECK" -- "${CMD[@]}"
      spent[$tool]=$(echo "${spent[$tool]} + $LAST_WALL" | bc)
      rm -rf "$CHECK"
    done
  done
}

# ---------------------------------------------------------------------------------------------
# (a) Server-side copy: N x 4 KiB from one bucket to another on the same S3 server. Each tool
#     lists the source (and the empty target) and sends one CopyObject per object.
# ---------------------------------------------------------------------------------------------
case_a() {
  local n
  for n in "${SMALL_SIZES[@]}"; do
    local_set "small-$n" "$n" 4096 50
    seed_bucket "seed-small-$n" "small-$n"
    SRC_BUCKET=seed-small-$n
    prepare_rclone() { local t=a-rclone-$1; rclone_ mkdir "s3:$t"; CHECK=$S3DATA/$t
      CMD=(env -u AWS_CA_BUNDLE rclone copy "${RCLONE_SMALL[@]}" "s3:$SRC_BUCKET" "s3:$t"); }
    prepare_barge() { local t=a-barge-$1; rclone_ mkdir "s3:$t"; CHECK=$S3DATA/$t
      CMD=(env BARGE_HOME="$(new_barge_home)" "$BARGE" migrate bench:$SRC_BUCKET bench:$t ${BARGE_SMALL[*]} --json); }
    alternate a "$n x 4 KiB bucket->bucket" "$n" $((n * 4096))
  done
}

# ---------------------------------------------------------------------------------------------
# (b) Upload: the same N x 4 KiB files, local directory -> S3 (one PUT per object).
# ---------------------------------------------------------------------------------------------
case_b() {
  local n
  for n in "${SMALL_SIZES[@]}"; do
    local_set "small-$n" "$n" 4096 50
    SET=small-$n
    prepare_rclone() { local t=b-rclone-$1; rclone_ mkdir "s3:$t"; CHECK=$S3DATA/$t
      CMD=(env -u AWS_CA_BUNDLE rclone copy "${RCLONE_SMALL[@]}" "$DATA/$SET" "s3:$t"); }
    prepare_barge() { local t=b-barge-$1; rclone_ mkdir "s3:$t"; CHECK=$S3DATA/$t
      CMD=(env BARGE_HOME="$(new_barge_home)" "$BARGE" migrate disk:$SET bench:$t ${BARGE_SMALL[*]} --json); }
    alternate b "$n x 4 KiB local->S3" "$n" $((n * 4096))
  done
}

# ---------------------------------------------------------------------------------------------
# (c) Large objects: 4 x 256 MiB, local -> S3 (multipart uploads), then S3 -> local (downloads).
# ---------------------------------------------------------------------------------------------
case_c() {
  local mib=$((LARGE_SIZE >> 20)) bytes=$((LARGE_COUNT * LARGE_SIZE))
  local_set "large" "$LARGE_COUNT" "$LARGE_SIZE" 1
  prepare_rclone() { local t=c-up-rclone-$1; rclone_ mkdir "s3:$t"; CHECK=$S3DATA/$t
    CMD=(env -u AWS_CA_BUNDLE rclone copy "${RCLONE_LARGE[@]}" "$DATA/large" "s3:$t"); }
  prepare_barge() { local t=c-up-barge-$1; rclone_ mkdir "s3:$t"; CHECK=$S3DATA/$t
    CMD=(env BARGE_HOME="$(new_barge_home)" "$BARGE" migrate disk:large bench:$t ${BARGE_LARGE[*]} --json); }
  alternate c "$LARGE_COUNT x $mib MiB local->S3" "$LARGE_COUNT" "$bytes"

  seed_bucket seed-large large
  prepare_rclone() { local t=c-down-rclone-$1; CHECK=$DATA/$t
    CMD=(env -u AWS_CA_BUNDLE rclone copy "${RCLONE_LARGE[@]}" "s3:seed-large" "$DATA/$t"); }
  prepare_barge() { local t=c-down-barge-$1; mkdir -p "$DATA/$t"; CHECK=$DATA/$t
    CMD=(env BARGE_HOME="$(new_barge_home)" "$BARGE" migrate bench:seed-large disk:$t ${BARGE_LARGE[*]} --json); }
  alternate c "$LARGE_COUNT x $mib MiB S3->local" "$LARGE_COUNT" "$bytes"
}

# ---------------------------------------------------------------------------------------------
# (t) Case c over https, as every cloud store is reached: the same objects and server (S3Proxy's TLS
#     endpoint, ECDSA P-256, TLS 1.3, AES-GCM), each tool trusting the server's certificate. What the
#     clients' own TLS costs them: decryption on the download, encryption on the upload.
# ---------------------------------------------------------------------------------------------
case_t() {
  local mib=$((LARGE_SIZE >> 20)) bytes=$((LARGE_COUNT * LARGE_SIZE))
  local_set "large" "$LARGE_COUNT" "$LARGE_SIZE" 1
  prepare_rclone() { local t=t-up-rclone-$1; rclone_ mkdir "s3:$t"; CHECK=$S3DATA/$t
    CMD=(env -u AWS_CA_BUNDLE rclone copy --ca-cert "$TLS/ca.pem" "${RCLONE_LARGE[@]}" "$DATA/large" "tls:$t"); }
  prepare_barge() { local t=t-up-barge-$1; rclone_ mkdir "s3:$t"; CHECK=$S3DATA/$t
    CMD=(env BARGE_HOME="$(new_barge_home)" BARGE_JAVA_OPTS="$BARGE_TRUST" "$BARGE" migrate disk:large tls:$t \
      ${BARGE_LARGE[*]} --json); }
  alternate t "$LARGE_COUNT x $mib MiB local->S3 https" "$LARGE_COUNT" "$bytes"

  seed_bucket seed-large large
  prepare_rclone() { local t=t-down-rclone-$1; CHECK=$DATA/$t
    CMD=(env -u AWS_CA_BUNDLE rclone copy --ca-cert "$TLS/ca.pem" "${RCLONE_LARGE[@]}" "tls:seed-large" "$DATA/$t"); }
  prepare_barge() { local t=t-down-barge-$1; mkdir -p "$DATA/$t"; CHECK=$DATA/$t
    CMD=(env BARGE_HOME="$(new_barge_home)" BARGE_JAVA_OPTS="$BARGE_TRUST" "$BARGE" migrate tls:seed-large disk:$t \
      ${BARGE_LARGE[*]} --json); }
  alternate t "$LARGE_COUNT x $mib MiB S3->local https" "$LARGE_COUNT" "$bytes"
}

# ---------------------------------------------------------------------------------------------
# (d) Memory: N one-byte keys, local -> local (1,000 keys a directory). Peak RSS of each tool's
#     process; for Barge also the heap after GC, from its GC log (-Xlog:gc): the largest heap left
#     after any collection, and the live heap after one full GC forced (jcmd GC.run) half-way.
#     One run of each tool per N: memory, not speed, is measured here.
# ---------------------------------------------------------------------------------------------
case_d() {
  local n
  for n in "${MEMORY_SIZES[@]}"; do
    local_set "keys-$n" "$n" 1 $((n / 1000 > 0 ? n / 1000 : 1))
    local t=d-rclone
    measure d "$n x 1 B local->local" rclone 1 "$n" "$n" "$DATA/$t" -- \
      env -u AWS_CA_BUNDLE rclone copy "${RCLONE_SMALL[@]}" "$DATA/keys-$n" "$DATA/$t"
    rm -rf "${DATA:?}/$t"

    t=d-barge; mkdir -p "$DATA/$t"
    local gclog=$WORK/gc-$n.log home; home=$(new_barge_home)
    forced_gc_halfway "$DATA/$t" "$n" "$gclog" &
    local watcher=$!
    measure d "$n x 1 B local->local" barge 1 "$n" "$n" "$DATA/$t" -- \
      env BARGE_HOME="$home" BARGE_JAVA_OPTS="-Xlog:gc:file=$gclog" "$BARGE" migrate disk:keys-$n disk:$t ${BARGE_SMALL[*]} --json
    kill "$watcher" 2>/dev/null || true; wait "$watcher" 2>/dev/null || true
    # "GC(3) Pause Young (Normal) (G1 Evacuation Pause) 120M->31M(256M) 3.1ms": 31M is the heap after it
    local after_max after_full
    after_max=$(grep -o '[0-9]*M->[0-9]*M' "$gclog" | sed 's/.*->//; s/M//' | sort -n | tail -1 || true)
    after_full=$(grep 'Pause Full (System.gc())' "$gclog" | grep -o '[0-9]*M->[0-9]*M' | sed 's/.*->//; s/M//' | tail -1 || true)
    log "   barge heap after GC: largest ${after_max:-?} MiB over $(grep -c Pause "$gclog") collections; live half-way (forced full GC) ${after_full:-not reached} MiB"
    printf 'd\t%s\tbarge-heap\t1\t%s\t%s\t-\t-\t%s\t-\t-\tok\n' "$n x 1 B local->local" "${after_max:--}" "${after_full:--}" "$n" >> "$OUT"
    rm -rf "${DATA:?}/$t"
  done
}

# Once DIR holds half of N objects, one full GC in the Barge JVM writing to GCLOG.
forced_gc_halfway() {
  local dir=$1 n=$2 gclog=$3 pid=
  while [ "$(count_files "$dir")" -lt $((n / 2)) ]; do sleep 0.5; done
  pid=$(pgrep -f -n -- "Xlog:gc:file=$gclog") || return 0
  # the jcmd of the JDK that runs Barge (bin/barge may pick a newer one than the PATH's)
  local java; java=$(readlink -f "/proc/$pid/exe" 2>/dev/null) || true
  local jcmd=jcmd; [ -x "$(dirname "$java")/jcmd" ] && jcmd="$(dirname "$java")/jcmd"
  "$jcmd" "$pid" GC.run >/dev/null 2>&1 || true
}

# ---------------------------------------------------------------------------------------------
# (e) Restart after kill -9: Barge uploads N x 4 KiB (as in b), is killed with SIGKILL once half of
#     the objects are on the server, then the same command runs again. Measured at the server's disk
#     (S3Proxy writes one file per object): seconds from the restart to the first object written
#     anew, and objects written twice (present when killed, written again by the rerun).
# ---------------------------------------------------------------------------------------------
case_e() {
  local n=$KILL_SIZE t=e-barge home
  local_set "small-$n" "$n" 4096 50
  rclone_ mkdir "s3:$t"
  home=$(new_barge_home)
  local cmd=(env BARGE_HOME="$home" "$BARGE" migrate "disk:small-$n" "bench:$t" "${BARGE_SMALL[@]}" --json)
  "${cmd[@]}" > "$WORK/e1.out" 2>&1 &
  local pid=$!   # Barge's JVM itself: every wrapper execs
  while [ "$(count_files "$S3DATA/$t")" -lt $((n / 2)) ]; do
    kill -0 "$pid" 2>/dev/null || { log "e: Barge ended before half-way"; cat "$WORK/e1.out" >&2; return; }
    sleep 0.2
  done
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true
  local at_kill; at_kill=$(count_files "$S3DATA/$t")
  # path, inode and mtime of every object on the server's disk when Barge died
  find "$S3DATA/$t" -type f -printf '%P %i %T@\n' | LC_ALL=C sort -k1,1 > "$WORK/e-before.txt"
  local committed
  committed=$(env BARGE_HOME="$home" "$BARGE" jobs show 1 | awk '$1 == "copied" {print $2}')

  local restart; restart=$(date +%s.%N)
  measure e "$n x 4 KiB local->S3 rerun" barge 2 "$n" $((n * 4096)) "$S3DATA/$t" -- "${cmd[@]}"
  find "$S3DATA/$t" -type f -printf '%P %i %T@\n' | LC_ALL=C sort -k1,1 > "$WORK/e-after.txt"
  # written twice: present at the kill, with another inode or mtime after the rerun
  local twice first to_first rerun_copied
  twice=$(LC_ALL=C join "$WORK/e-before.txt" "$WORK/e-after.txt" | awk '$2 != $4 || $3 != $5' | wc -l)
  first=$( { LC_ALL=C join -v2 -o 2.3 "$WORK/e-before.txt" "$WORK/e-after.txt"
             LC_ALL=C join "$WORK/e-before.txt" "$WORK/e-after.txt" | awk '$2 != $4 || $3 != $5 {print $5}'; } | sort -n | awk 'NR == 1')   # not head: sort would die of SIGPIPE under pipefail
  to_first=$(echo "${first:-0} - $restart" | bc)
  rerun_copied=$(grep '^{.*"elapsedSeconds"' "$WORK/cmd.out" | jq -r .objectsCopied)
  log "   killed with $at_kill of $n objects on the server, ${committed:-?} committed in the job repository"
  log "   rerun: first new copy $(printf '%.2f' "$to_first") s after the restart; $twice objects written twice; the rerun reports $rerun_copied copied"
  printf 'e\t%s\tbarge-restart\t1\t%s\t-\t-\t-\t%s\t%s\t%s\tok\n' "$n x 4 KiB local->S3 rerun" "$to_first" "$n" "$twice" \
    "$at_kill/${committed:-?}" >> "$OUT"
  rm -rf "${S3DATA:?}/$t"
}

# ---------------------------------------------------------------------------------------------
# (g) Many tiny files, local -> local: N one-byte files in 300 directories, 16 at once (issue 18).
#     rclone copy never syncs; Barge runs twice per round, with sync off (the same durability) and
#     with options.sync: true, where every chunk's files and directories are on disk before the
#     chunk commits. Wall, CPU and peak RSS for each.
# ---------------------------------------------------------------------------------------------
case_g() {
  local n=$TINY_COUNT i t home sync
  local_set "tiny-$n" "$n" 1 300
  # one round: rclone, Barge sync off, Barge sync on, so that a load beside the benchmark falls on all three
  for i in $(seq 1 "$RUNS"); do
    t=$DATA/g-rclone-$i
    measure g "$n x 1 B local->local" rclone "$i" "$n" "$n" "$t" -- \
      env -u AWS_CA_BUNDLE rclone copy --transfers 16 --checkers 16 "$DATA/tiny-$n" "$t"
    rm -rf "$t"
    for sync in off on; do
      local remote=disk row="$n x 1 B local->local"
      [ $sync = on ] && { remote=durable; row="$row sync"; }
      t=g-barge-$sync-$i; mkdir -p "$DATA/$t"; home=$(new_barge_home)
      measure g "$row" barge "$i" "$n" "$n" "$DATA/$t" -- \
        env BARGE_HOME="$home" "$BARGE" migrate "$remote:tiny-$n" "$remote:$t" --concurrency 16 --json
      rm -rf "${DATA:?}/$t" "$home"
    done
  done
}

# ---------------------------------------------------------------------------------------------
# (h) Latency: a no-op sync of LATENCY_COUNT identical 1-byte keys in one flat directory, source and
#     target buckets on one server behind a delay proxy that holds every request back LATENCY_MS (a
#     WAN's round trip). Nothing is copied: both tools list both sides and compare, so the listings
#     are the work, and a flat listing is one page after another. rclone lists the one directory
#     serially (its --checkers parallelise across directories); Barge splits the keys into key
#     ranges (--partitions) listed at once. Both buckets are seeded with the same files by PUT (same
#     bytes, so the same ETags), so that both tools find every key equal. rclone gets --checksum,
#     its best here: it compares the listing's ETags as Barge does, where its default (size and
#     modification time) sends a HEAD per object to read the time.
#
#     The server is Ceph RGW (radosgw 16.2 from Debian, one monitor and one memstore OSD on
#     127.0.0.1, started here), because a listing must cost a page, not the bucket, for this case to
#     measure anything but the server. Measured at 100,000 keys, one start-after page of 1000 keys
#     (dev.barge.bench.S3Ceiling list, 2026-12-04, loaded machine): S3Proxy 4.1.0 filesystem-nio2
#     1,480 ms of server CPU and transient-nio2 795 ms (both walk and stat the whole bucket for
#     every listing, then cut the page); RGW 28 ms wall, 15 ms of CPU (radosgw + OSD), no more than
#     at 3,000 keys: its bucket index is a sorted omap, read from the start-after key. (Azurite's
#     and s3rver's listings, read in their sources, also sort or stat the whole container; MinIO is
#     not installable here.) BENCH_LATENCY_SERVER=s3proxy runs the case on S3Proxy instead.
#
#     The proxy logs every request (its third argument): each run's requests are counted by kind
#     (listings by page size, start-after, continuation token, V1 marker) into a log line and a
#     "requests" row.
# ---------------------------------------------------------------------------------------------
start_delay_proxy() {
  [ -n "$PROXY_PID" ] && return
  local upstream=$1
  java -Dlogback.configurationFile="$ROOT/bench/logback.xml" -cp "$TEST_CP" dev.barge.bench.DelayProxy \
    "$upstream" "$LATENCY_MS" "$WORK/requests.log" > "$WORK/proxy.out" 2> "$WORK/proxy.log" &
  PROXY_PID=$!
  for _ in $(seq 1 100); do
    [ -s "$WORK/proxy.out" ] && break
    kill -0 "$PROXY_PID" || { cat "$WORK/proxy.log" >&2; exit 1; }
    sleep 0.2
  done
  LAT_ENDPOINT=$(head -1 "$WORK/proxy.out")
  export RCLONE_CONFIG_LAT_TYPE=s3 RCLONE_CONFIG_LAT_PROVIDER=Other RCLONE_CONFIG_LAT_ENDPOINT=$LAT_ENDPOINT \
    RCLONE_CONFIG_LAT_ACCESS_KEY_ID=$ACCESS_KEY RCLONE_CONFIG_LAT_SECRET_ACCESS_KEY=$SECRET_KEY \
    RCLONE_CONFIG_LAT_REGION=us-east-1 RCLONE_CONFIG_LAT_FORCE_PATH_STYLE=true
  cat >> "$REMOTES" <<EOF
lat:
  type: s3
  endpoint: $LAT_ENDPOINT
  region: us-east-1
  path-style: true
  access-key-id: $ACCESS_KEY
  secret-access-key: $SECRET_KEY
EOF
  log "delay proxy (+$LATENCY_MS ms a request) in front of $upstream at $LAT_ENDPOINT, pid $PROXY_PID"
}

# One Ceph cluster for case h: a monitor, one OSD on memstore (in memory, at most 4 GiB), radosgw on a
# free port, cephx off, every pool of size 1, one bucket index shard; its user has the bench's keys.
start_ceph() {
  if ! command -v radosgw >/dev/null || ! command -v ceph-osd >/dev/null; then
    log "installing Ceph's monitor, OSD and radosgw (Debian packages)"
    local sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
    local pkgs=(ceph-mon ceph-osd radosgw ceph-common)
    $sudo apt-get install -y --no-install-recommends "${pkgs[@]}" >/dev/null 2>&1 \
      || { $sudo apt-get update >/dev/null && $sudo apt-get install -y --no-install-recommends "${pkgs[@]}" >/dev/null; }
  fi
  local d=$WORK/ceph port mon_port fsid uuid
  port=$(free_port); mon_port=$(free_port)
  fsid=$(cat /proc/sys/kernel/random/uuid); uuid=$(cat /proc/sys/kernel/random/uuid)
  mkdir -p "$d"/mon "$d"/osd0 "$d"/run "$d"/log "$d"/rgw
  cat > "$d/ceph.conf" <<EOF
[global]
fsid = $fsid
mon host = v1:127.0.0.1:$mon_port
mon initial members = a
public addr = 127.0.0.1
auth cluster required = none
auth service required = none
auth client required = none
run dir = $d/run
admin socket = $d/run/\$name.asok
log file = $d/log/\$name.log
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon max pg per osd = 1000
osd crush chooseleaf type = 0
ms bind ipv6 = false
ms bind msgr2 = false
mon data = $d/mon
osd data = $d/osd\$id
osd objectstore = memstore
memstore device bytes = 4294967296
osd op num shards = 1
osd op num threads per shard = 2
osd crush update on start = false
osd class update on start = false
[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:$port
rgw override bucket index max shards = 1
rgw data = $d/rgw
EOF
  local c=(-c "$d/ceph.conf")
  ceph-authtool --create-keyring "$d/mon.keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  monmaptool --create --addv a "[v1:127.0.0.1:$mon_port]" --fsid "$fsid" "$d/monmap" >/dev/null
  ceph-mon "${c[@]}" --mkfs -i a --monmap "$d/monmap" --keyring "$d/mon.keyring"
  ceph-mon "${c[@]}" -i a   # each daemon forks into the background; pgrep finds it by its own conf
  CEPH_PIDS=$(pgrep -f -- "ceph-mon -c $d/ceph.conf")
  timeout 60 ceph "${c[@]}" osd new "$uuid" >/dev/null
  ceph-osd "${c[@]}" -i 0 --mkfs --osd-uuid "$uuid" 2>/dev/null
  timeout 60 ceph "${c[@]}" osd crush add osd.0 1.0 root=default >/dev/null 2>&1
  ceph-osd "${c[@]}" -i 0 2>/dev/null
  CEPH_PIDS="$CEPH_PIDS $(pgrep -f -- "ceph-osd -c $d/ceph.conf")"
  radosgw "${c[@]}" -n client.rgw
  CEPH_PIDS="$CEPH_PIDS $(pgrep -f -- "radosgw -c $d/ceph.conf")"
  RGW_ENDPOINT=http://127.0.0.1:$port
  for _ in $(seq 1 150); do
    curl -s -o /dev/null "$RGW_ENDPOINT/" && break
    sleep 0.2
  done
  radosgw-admin "${c[@]}" user create --uid=bench --display-name=bench --access-key="$ACCESS_KEY" \
    --secret="$SECRET_KEY" >/dev/null
  log "Ceph RGW $(radosgw --version | awk '{print $3}') (memstore OSD) at $RGW_ENDPOINT, pids $CEPH_PIDS"
}

# requests_row ROW TOOL RUN FROM: counts the proxy's requests from line FROM + 1 on, logs them and
# appends a "requests" row: requests, listings, listings of max-keys 1000, 100 and 1, start-after,
# continuation token, V1 marker, other requests
requests_row() {
  local row=$1 tool=$2 run=$3 from=$4 n listed k1000 k100 k1 after token marker other
  read -r n listed k1000 k100 k1 after token marker other < <(tail -n +"$((from + 1))" "$WORK/requests.log" | awk '
    { n++; u = $2; if ($1 != "GET" || u ~ /^\/[^\/?]+\/[^?]/) { other++; next } listed++
      if (u ~ /max-keys=1000(&|$)/) k1000++; else if (u ~ /max-keys=100(&|$)/) k100++; else if (u ~ /max-keys=1(&|$)/) k1++
      if (u ~ /start-after=/) after++; if (u ~ /continuation-token=/) token++; if (u ~ /[?&]marker=/) marker++ }
    END { printf "%d %d %d %d %d %d %d %d %d\n", n, listed, k1000, k100, k1, after, token, marker, other }')
  log "   requests $n: listings $listed (max-keys 1000: $k1000, 100: $k100, 1: $k1; start-after $after, token $token, marker $marker), other $other"
  printf 'h\t%s\trequests-%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s %s %s\tok\n' "$row" "$tool" "$run" "$n" "$listed" "$k1000" \
    "$k100" "$k1" "$after" "$token" "$marker" "$other" >> "$OUT"
}

case_h() {
  local n=$LATENCY_COUNT i p home row from server upstream
  row="$n keys no-op sync +${LATENCY_MS}ms"
  server=${BENCH_LATENCY_SERVER:-rgw}
  if [ "$server" = rgw ]; then
    start_ceph
    upstream=$RGW_ENDPOINT
  else
    upstream=$ENDPOINT
  fi
  start_delay_proxy "$upstream"
  local_set "flat-$n" "$n" 1 1
  seed_bucket "lat-src-$n" "flat-$n" "$upstream"
  seed_bucket "lat-dst-$n" "flat-$n" "$upstream"
  local saved_pids=$SERVER_PIDS
  [ "$server" = rgw ] && SERVER_PIDS=$CEPH_PIDS
  for i in $(seq 1 "$RUNS"); do
    from=$(wc -l < "$WORK/requests.log")
    measure h "$row" rclone "$i" "$n" "$n" - -- \
      env -u AWS_CA_BUNDLE rclone sync --checksum "${RCLONE_SMALL[@]}" "lat:lat-src-$n" "lat:lat-dst-$n"
    requests_row "$row" rclone "$i" "$from"
    for p in 16 4 1; do
      home=$(new_barge_home)
      from=$(wc -l < "$WORK/requests.log")
      # the row beside rclone's is Barge's best setting; the others show how listing scales with partitions
      measure h "$row$( [ $p -eq 16 ] || echo " P=$p")" barge "$i" "$n" "$n" - -- \
        env BARGE_HOME="$home" "$BARGE" migrate "lat:lat-src-$n" "lat:lat-dst-$n" --mode sync --partitions $p \
        ${BARGE_SMALL[*]} --json
      requests_row "$row$( [ $p -eq 16 ] || echo " P=$p")" barge "$i" "$from"
      grep -q '"objectsCopied":0' "$WORK/cmd.out" || log "   Barge copied objects in a no-op sync: $(tail -c 400 "$WORK/cmd.out")"
    done
  done
  SERVER_PIDS=$saved_pids
}

# ---------------------------------------------------------------------------------------------
# (f) The ceiling: PUT, COPY and GET of the small and the large objects with a lean AWS SDK client
#     of CEILING_THREADS threads, each phase timed after a warm-up. The client's CPU is its own
#     process's during the phase; the server's is S3Proxy's.
# ---------------------------------------------------------------------------------------------
case_f() {
  local n=${SMALL_SIZES[0]}
  local_set "small-$n" "$n" 4096 50
  local_set "large" "$LARGE_COUNT" "$LARGE_SIZE" 1
  run_ceiling "small-$n" "$CEILING_THREADS" "$n x 4 KiB" $((n * 4096))
  run_ceiling large "$LARGE_COUNT" "$LARGE_COUNT x $((LARGE_SIZE >> 20)) MiB" $((LARGE_COUNT * LARGE_SIZE))
}

run_ceiling() {
  local set=$1 threads=$2 row=$3 bytes=$4 line
  ceiling_client ceiling "$ENDPOINT" "$DATA/$set" "$threads" "$S3PROXY_PID" "$set" > "$WORK/ceiling.out"
  while read -r line; do
    local op wall objps mibps client_cpu server_cpu objects
    op=$(echo "$line" | awk '{print $3}')
    eval "$(echo "$line" | tr ' ' '\n' | grep = )"
    printf 'f\t%s %s\tceiling\t1\t%s\t%s\t%s\t-\t%s\t%s\t-\tok\n' "$row" "$op" "$wall" "$client_cpu" "$server_cpu" \
      "$objects" "$bytes" >> "$OUT"
    printf 'f  %-26s ceiling %-4s threads %d: wall %7.2f s %8.1f obj/s %7.1f MiB/s  client CPU %6.2f s  server CPU %6.2f s\n' \
      "$row" "$op" "$threads" "$wall" "$objps" "$mibps" "$client_cpu" "$server_cpu" >&2
  done < <(grep '^CEILING' "$WORK/ceiling.out")
  rm -rf "${S3DATA:?}"/ceil-*
}

# ---------------------------------------------------------------------------------------------
# (w) Workers (issue 16): the copy of (a) at its smaller N, bucket -> bucket, split into WORKER_RANGES
#     key ranges (--partitions --remote) and run by W = 1, 2 and 4 `barge worker` processes on this
#     machine, each running 2 ranges at once at --concurrency 16, as a worker machine would. The
#     workers share a PostgreSQL job repository (a fresh schema of the database test on
#     127.0.0.1:5432) and the RabbitMQ at 127.0.0.1:5672 (guest/guest) on a queue of the run's own,
#     as .ci/run sets them up. Workers are started and ready before the clock starts (a cluster's
#     workers are up before its jobs); the row's wall is the manager's, from start to its summary,
#     and its client CPU that of the manager and every worker over the job. The server's limit for
#     the same work is (f)'s COPY row.
# ---------------------------------------------------------------------------------------------
case_w() {
  local n=${SMALL_SIZES[0]} w i
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || ! (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then
    log "w: needs PostgreSQL at 127.0.0.1:5432 and RabbitMQ at 127.0.0.1:5672 (.ci/run installs and starts both): skipped"
    return
  fi
  local_set "small-$n" "$n" 4096 50
  seed_bucket "seed-small-$n" "small-$n"
  for i in $(seq 1 "$RUNS"); do
    for w in $WORKER_COUNTS; do
      local schema=bench_w_$$_${i}_$w queue=barge.bench.$$.$i.$w t=w-$w-$i
      psql -h 127.0.0.1 -U postgres -d test -qc "create schema $schema" >/dev/null
      local db="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$schema&user=postgres"
      local cluster=(--db-url "$db" --broker amqp://guest:guest@127.0.0.1:5672 --queue "$queue")
      local pids=() k
      for k in $(seq 1 "$w"); do
        env BARGE_HOME="$(new_barge_home)" "$BARGE" worker "${cluster[@]}" --parallel 2 > "$WORK/worker-$k.out" 2>&1 &
        pids+=($!)   # the worker's JVM itself: every wrapper execs
      done
      for k in $(seq 1 "$w"); do
        until grep -q 'barge worker: running partitions' "$WORK/worker-$k.out"; do
          kill -0 "${pids[$((k - 1))]}" 2>/dev/null || { log "w: worker $k did not start"; cat "$WORK/worker-$k.out" >&2; return 1; }
          sleep 0.2
        done
      done
      local before=0 after=0 pid
      for pid in "${pids[@]}"; do before=$((before + $(proc_ticks "$pid"))); done
      rclone_ mkdir "s3:$t"
      measure w "$n x 4 KiB bucket->bucket W=$w" barge "$i" "$n" $((n * 4096)) "$S3DATA/$t" -- \
        env BARGE_HOME="$(new_barge_home)" "$BARGE" migrate "bench:seed-small-$n" "bench:$t" --partitions "$WORKER_RANGES" \
        --remote "${cluster[@]}" --concurrency 16 --json
      for pid in "${pids[@]}"; do after=$((after + $(proc_ticks "$pid"))); done
      # each range: when it started after the first, how long it ran, what it copied (skew and stalls show here)
      psql -h 127.0.0.1 -U postgres -d test -tAF ' ' -c "select step_name,
          round(extract(epoch from start_time - min(start_time) over ())::numeric, 1),
          round(extract(epoch from end_time - start_time)::numeric, 1), write_count, status
          from $schema.batch_step_execution where step_name like 'migrate-range:%' order by start_time" \
        | awk '{printf "   %s: started +%s s, ran %s s, %s copied, %s\n", $1, $2, $3, $4, $5}' >&2 || true
      log "   workers' CPU over the job: $(echo "scale=2; ($after - $before) / 100" | bc) s (the client CPU above is the manager's alone)"
      printf 'w\t%s\tbarge-workers\t%s\t%s\t-\t-\t-\t%s\t-\t-\tok\n' "$n x 4 KiB bucket->bucket W=$w" "$i" \
        "$(echo "scale=2; ($after - $before) / 100" | bc)" "$n" >> "$OUT"
      for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
      for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
      rm -rf "${S3DATA:?}/$t"
      PGOPTIONS=--client-min-messages=warning psql -h 127.0.0.1 -U postgres -d test -qc "drop schema $schema cascade" >/dev/null
      command -v rabbitmqctl >/dev/null && rabbitmqctl -q delete_queue "$queue" >/dev/null 2>&1 || true
    done
  done
}

# utime + stime of a live process, in clock ticks
proc_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }

# ---------------------------------------------------------------------------------------------
# sweep: the short search for each tool's best settings on the small objects (a and b at the
# smaller N, one run each) and the large ones (c up). Not part of the default run.
# ---------------------------------------------------------------------------------------------
case_sweep() {
  local n=${SMALL_SIZES[0]} s
  local_set "small-$n" "$n" 4096 50
  seed_bucket "seed-small-$n" "small-$n"
  for s in "--transfers 16 --checkers 16" "--transfers 32 --checkers 32" "--transfers 64 --checkers 64" \
      "--transfers 128 --checkers 128" "--transfers 64 --checkers 64 --fast-list"; do
    rclone_ mkdir s3:sw; measure sweep "a $n rclone $s" rclone 1 "$n" 0 "$S3DATA/sw" -- \
      env -u AWS_CA_BUNDLE rclone copy $s "s3:seed-small-$n" s3:sw; rm -rf "$S3DATA/sw"
    rclone_ mkdir s3:sw; measure sweep "b $n rclone $s" rclone 1 "$n" 0 "$S3DATA/sw" -- \
      env -u AWS_CA_BUNDLE rclone copy $s "$DATA/small-$n" s3:sw; rm -rf "$S3DATA/sw"
  done
  for s in 8 16 32 64 128; do
    rclone_ mkdir s3:sw; measure sweep "a $n barge --concurrency $s" barge 1 "$n" 0 "$S3DATA/sw" -- \
      env BARGE_HOME="$(new_barge_home)" "$BARGE" migrate bench:seed-small-$n bench:sw --concurrency $s --json
    rm -rf "$S3DATA/sw"
    rclone_ mkdir s3:sw; measure sweep "b $n barge --concurrency $s" barge 1 "$n" 0 "$S3DATA/sw" -- \
      env BARGE_HOME="$(new_barge_home)" "$BARGE" migrate disk:small-$n bench:sw --concurrency $s --json
    rm -rf "$S3DATA/sw"
  done
  local_set "large" "$LARGE_COUNT" "$LARGE_SIZE" 1
  for s in "--transfers 4" "--transfers 4 --s3-upload-concurrency 8 --s3-chunk-size 16Mi" \
      "--transfers 4 --s3-upload-concurrency 16 --s3-chunk-size 32Mi" "--transfers 4 --s3-upload-concurrency 4 --s3-chunk-size 64Mi"; do
    rclone_ mkdir s3:sw; measure sweep "c up rclone $s" rclone 1 "$LARGE_COUNT" 0 "$S3DATA/sw" -- \
      env -u AWS_CA_BUNDLE rclone copy $s "$DATA/large" s3:sw; rm -rf "$S3DATA/sw"
  done
  for s in 1 4 8; do
    rclone_ mkdir s3:sw; measure sweep "c up barge --concurrency $s" barge 1 "$LARGE_COUNT" 0 "$S3DATA/sw" -- \
      env BARGE_HOME="$(new_barge_home)" "$BARGE" migrate disk:large bench:sw --concurrency $s --json
    rm -rf "$S3DATA/sw"
  done
}

# ---------------------------------------------------------------------------------------------
# Summary: medians per row and tool, and the ratios (throughput: > 1 means Barge is faster)
# ---------------------------------------------------------------------------------------------
summary() {
  local stamp=$1
  awk -F'\t' -v stamp="$stamp" '
    function median(list,   n, a, i, j, t) {
      n = split(list, a, " ");
      for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    $13 != stamp { next }
    $1 == "sweep" || $3 == "barge-heap" || $3 == "barge-restart" || $3 == "barge-workers" || $3 ~ /^requests-/ { next }
    {
      k = $1 SUBSEP $2 SUBSEP $3;
      if (!(k in n)) { order[++rows] = k }
      n[k]++; wall[k] = wall[k] " " $5; cpu[k] = cpu[k] " " $6; srv[k] = srv[k] " " $7; rss[k] = rss[k] " " $8;
      obj[k] = $9; bytes[k] = $10; if ($11 != "-") job[k] = job[k] " " $11; if ($12 != "ok") bad[k] = 1
    }
    END {
      printf "\n%-2s %-30s %-8s %4s %8s %12s %10s %10s %8s %9s\n", "", "row", "tool", "runs", "wall s", "rate", "client CPU", "server CPU", "RSS MiB", "in-job s"
      for (r = 1; r <= rows; r++) {
        k = order[r]; split(k, p, SUBSEP);
        w = median(wall[k]); big = bytes[k] / obj[k] > 1048576;
        rate = big ? sprintf("%.1f MiB/s", bytes[k] / 1048576 / w) : sprintf("%.0f obj/s", obj[k] / w);
        printf "%-2s %-30s %-8s %4d %8.2f %12s %10.2f %10.2f %8s %9s%s\n", p[1], p[2], p[3], n[k], w, rate,
          median(cpu[k]), median(srv[k]), (rss[k] ~ /-/ ? "-" : sprintf("%.0f", median(rss[k]) / 1024)),
          (job[k] == "" ? "-" : sprintf("%.2f", median(job[k]))), (k in bad ? "  (a run FAILED)" : "")
        med[k] = w; medcpu[k] = median(cpu[k]); if (job[k] != "") medjob[k] = median(job[k])
      }
      printf "\nratios (throughput, > 1: Barge faster; CPU: Barge client CPU / rclone client CPU):\n"
      ceil["a"] = "COPY"; ceil["b"] = "PUT"
      for (r = 1; r <= rows; r++) {
        k = order[r]; split(k, p, SUBSEP); if (p[3] != "barge") continue;
        rk = p[1] SUBSEP p[2] SUBSEP "rclone";
        if (!(rk in med)) { base = p[2]; sub(/ sync$/, "", base); rk = p[1] SUBSEP base SUBSEP "rclone" }
        if (!(rk in med) && p[1] != "w") continue;
        line = (rk in med) ? sprintf("%-2s %-30s Barge/rclone %.2f  CPU %.2f", p[1], p[2], med[rk] / med[k], medcpu[k] / medcpu[rk]) \
          : sprintf("%-2s %-30s", p[1], p[2]);
        # the ceiling row of the same objects and operation
        op = ""; if (p[1] == "a" || p[1] == "w") op = "COPY"; else if (p[1] == "b") op = "PUT";
        else if (p[2] ~ /local->S3/) op = "PUT"; else if (p[2] ~ /S3->local/) op = "GET";
        split(p[2], words, " "); shape = " x " words[3] " " words[4] " " op;
        for (c in med) { split(c, q, SUBSEP); if (q[1] == "f" && substr(q[2], length(q[2]) - length(shape) + 1) == shape) {
          line = line sprintf("  Barge/ceiling(%s) %.2f whole process", op, med[c] / med[k] * (obj[k] / obj[c]));
          if (k in medjob) line = line sprintf(", %.2f in-job", med[c] / medjob[k] * (obj[k] / obj[c])) } }
        print line
      }
    }' "$OUT"
  awk -F'\t' -v stamp="$stamp" '$13 == stamp && $3 == "barge-heap" { printf "d  %-30s Barge heap after GC: largest %s MiB, live half-way %s MiB\n", $2, $5, $6 }
    $13 == stamp && $3 == "barge-workers" { printf "w  %-30s run %s: the workers used %s s of CPU over the job\n", $2, $4, $5 }
    $13 == stamp && $3 ~ /^requests-/ { split($11, t, " "); printf "h  %-30s %s run %s: %s requests, %s listings (max-keys 1000: %s, 100: %s, 1: %s; start-after %s, token %s, marker %s), other %s\n", $2, substr($3, 10), $4, $5, $6, $7, $8, $9, $10, t[1], t[2], t[3] }
    $13 == stamp && $3 == "barge-restart" { printf "e  %-30s first new copy %.2f s after restart; %s objects written twice; on server at kill / committed: %s\n", $2, $5, $10, $11 }' "$OUT"
}

# ---------------------------------------------------------------------------------------------
main() {
  install_rclone
  build
  start_s3proxy
  configure_tools
  STAMP=$(date +%Y%m%dT%H%M%S)
  # every row of this run carries its stamp in column 13, so that OUT can hold several runs
  local real_out=$OUT; OUT=$WORK/rows.tsv; : > "$OUT"
  log "cores $(nproc), $(java -version 2>&1 | head -1), $(rclone version | head -1), S3Proxy 4.1.0 filesystem-nio2, Barge $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src/main || echo '+changes')"
  local c
  for c in "${CASES[@]}"; do
    log ""; log "== case $c =="
    "case_$c"
  done
  sed "s/\$/\t$STAMP/" "$OUT" >> "$real_out"; OUT=$real_out
  summary "$STAMP"
  log ""; log "total $(( $(date +%s) - START )) s; rows in $OUT (stamp $STAMP)"
}

main
