#!/usr/bin/env bash
# Runs every benchmark of refkit-bench, one after another, each through ../shared/scripts/quiet-run when it is
# there, and keeps each one's output in a folder (default: target/benchmarks). The figures of
# docs/BENCHMARKS.md come from this script; pass names to run some only: map cache listeners tracker heap.
#   scripts/benchmarks.sh [--out DIR] [NAME...]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/target/benchmarks"
if [ "${1:-}" = "--out" ]; then out=$2; shift 2; fi
mkdir -p "$out"
jar="$root/refkit-bench/target/benchmarks.jar"
quiet="$root/../shared/scripts/quiet-run"
[ -x "$quiet" ] || quiet=""
[ -f "$jar" ] || (cd "$root" && mvn -B -q -pl refkit-bench -am package -DskipTests) || exit 2
# JMH settings: one fork per configuration, short but repeated iterations; the error is quoted with each score.
jmh=(-f 1 -wi 3 -w 1s -i 5 -r 1s -foe false)

run() {  # run NAME COMMAND...
  local name=$1; shift
  echo "== $name: $*" | tee "$out/$name.log"
  ${quiet:+$quiet --wait 300 --} "$@" 2>&1 | tee -a "$out/$name.log"
}

want() { [ $# -eq 0 ] && return 0; local n; for n in "${selected[@]}"; do [ "$n" = "$1" ] && return 0; done; return 1; }
selected=("$@")
all() { [ ${#selected[@]} -eq 0 ] || want "$1"; }

if all map; then
  run map-footprint java -Djdk.attach.allowAttachSelf=true -cp "$jar" dev.refkit.bench.MapFootprint 10000 100000 1000000
  run map-weakKeys java -jar "$jar" ReferenceMapBenchmark "${jmh[@]}" -p config=weakKeys \
      -p impl=refkit,caffeine,guava,commons,weakhashmap,chm
  run map-softValues java -jar "$jar" ReferenceMapBenchmark "${jmh[@]}" -p config=softValues \
      -p impl=refkit,caffeine,guava,spring,commons,chm
  run map-weakKeys+weakValues java -jar "$jar" ReferenceMapBenchmark "${jmh[@]}" -p config=weakKeys+weakValues \
      -p impl=refkit,caffeine,guava,commons,chm
fi
if all cache; then
  run cache-hits java -jar "$jar" ReferenceCacheBenchmark "${jmh[@]}"
  run cache-pressure java -cp "$jar" dev.refkit.bench.MemoryPressureScenario
fi
if all listeners; then
  run listeners java -jar "$jar" ListenersBenchmark "${jmh[@]}"
fi
if all tracker; then
  run tracker java -jar "$jar" ResourceTrackerBenchmark "${jmh[@]}" -prof gc
fi
if all heap; then
  dumps="${REFKIT_BENCH_DIR:-/tmp/refkit-bench}"
  mkdir -p "$dumps"
  if [ ! -f "$dumps/synthetic.hprof" ]; then
    (cd "$root" && mvn -B -q -pl refkit-heap -am test-compile) &&
      java -cp "$root/refkit-heap/target/classes:$root/refkit-heap/target/test-classes" dev.refkit.heap.SyntheticHeap \
        "$dumps/synthetic.hprof" 18000000
  fi
  big="$root/../shared/hprof/java_pid1884.0001.hprof.gz"
  run heap-index java -cp "$jar" dev.refkit.bench.HeapIndexBenchmark --xmx 4g --runs 3 "$dumps/synthetic.hprof" \
      $( [ -f "$big" ] && echo "$big" )
  run heap-analysis java -cp "$jar" dev.refkit.bench.HeapAnalysisBenchmark --objects 10000000 --xmx 6g \
      --tools refkit,shark,netbeans
fi
echo "outputs in $out"
