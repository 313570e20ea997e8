#!/usr/bin/env bash
# Times Barge's migrate against rclone between two S3Proxy servers on this machine.
# Usage: bench/run.sh   (results on stdout; record them in bench/results.md with the date and machine)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test
cp="target/test-classes:target/classes:$(cat target/bench-cp.txt)"
run() { java -cp "$cp" -Dlogging.level.root=warn dev.barge.bench.MigrateBench "$@" 2>/dev/null | grep -E '^(barge|rclone)'; }
run 2000 1024 4
run 2000 1024 16
run 1 268435456 4
