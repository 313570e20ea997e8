#!/usr/bin/env bash
# The soak test's long form (issue 15): dev.barge.job.SoakTest with 10,000 objects and five kill -9
# cycles per stage (20 crashes over local -> S3 -> OSS -> Kodo -> local), every store behind a fault
# proxy faulting 10 % of requests. At the end every object is compared byte for byte with the first
# directory. The figures go to target/soak/report.md; RELIABILITY.md keeps them.
#
# Usage: bench/soak.sh [OBJECTS [KILLS_PER_STAGE [FAULT_RATE [SEED]]]]   (defaults 10000 5 0.1 20261203)
# Every build runs the short form (300 objects, two kills a stage) as part of ./mvnw verify.
set -euo pipefail
cd "$(dirname "$0")/.."
objects=${1:-10000}
kills=${2:-5}
rate=${3:-0.1}
seed=${4:-20261203}
mkdir -p target/soak
report=$PWD/target/soak/report.md
offline=-o
[ -d "$HOME/.m2/repository/org/springframework" ] || offline=
start=$(date +%s)
env -u AWS_CA_BUNDLE ./mvnw -B -q $offline test -Dtest=SoakTest -Dsurefire.failIfNoSpecifiedTests=false \
    -DargLine="-Dsoak.objects=$objects -Dsoak.kills=$kills -Dsoak.fault-rate=$rate -Dsoak.seed=$seed -Dsoak.large=$((objects / 1000 + 3)) -Dsoak.report=$report" \
    > target/soak/maven.log 2>&1 || { tail -50 target/soak/maven.log; echo "soak: FAILED (target/soak/maven.log)"; exit 1; }
echo "soak: passed in $(( $(date +%s) - start )) s"
cat "$report"
