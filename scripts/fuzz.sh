#!/usr/bin/env bash
# Coverage-guided fuzzing of every *FuzzTest method (Jazzer), one at a time.
#   scripts/fuzz.sh [--seconds N] [--module M]...
# N seconds per fuzz test method (default 300); --module limits the run to a module (repeatable; default:
# every module with a *FuzzTest). A finding fails the run; its input is printed and kept in the test's
# corpus directory (src/test/resources/<package>/<Class>Inputs/<method>/crash-<sha1>), where every later
# `mvn verify` replays it as a regression case: commit it with the fix.
# Jazzer's JUnit runner takes the fuzzing time only from @FuzzTest(maxDuration), so this runs the same
# methods through Jazzer's command line (--target_class/--target_method, libFuzzer's -max_total_time).
# New coverage-increasing inputs go to a scratch corpus under target/, not into the repository.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=300
modules=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --module) modules+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
if [ ${#modules[@]} -eq 0 ]; then
  mapfile -t modules < <(find . -path '*/src/test/java/*' -name '*FuzzTest.java' -not -path './.git/*' \
    | sed -E 's#^\./([^/]+)/src/test/java/.*#\1#' | sort -u)
fi
[ ${#modules[@]} -gt 0 ] || { echo "no *FuzzTest found"; exit 0; }

failed=0
for module in "${modules[@]}"; do
  classpath_file="$module/target/fuzz-classpath.txt"
  mvn -B -ntp -q -pl "$module" -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    "-Dmdep.outputFile=$(pwd)/$classpath_file" >/dev/null
  classpath="$module/target/test-classes:$module/target/classes:$(cat "$classpath_file")"
  while IFS= read -r file; do
    class_path=${file#"$module/src/test/java/"}
    class=$(basename "$file" .java)
    package=$(dirname "$class_path")
    fqcn=$(echo "${class_path%.java}" | tr / .)
    # Each method annotated @FuzzTest: the first "void name(" after the annotation.
    mapfile -t methods < <(awk '/@FuzzTest/{want=1} want && match($0, /void [A-Za-z0-9_]+\(/) {
        print substr($0, RSTART + 5, RLENGTH - 6); want=0 }' "$file")
    for method in "${methods[@]}"; do
      corpus="$module/src/test/resources/$package/${class}Inputs/$method"
      scratch="$module/target/fuzz-corpus/$class/$method"
      mkdir -p "$corpus" "$scratch"
      cp -n "$corpus"/* "$scratch"/ 2>/dev/null || true
      before=$(ls "$corpus")
      log="$module/target/fuzz-$class-$method.log"
      echo "== $fqcn::$method, ${seconds}s (log: $log)"
      if java -cp "$classpath" com.code_intelligence.jazzer.Jazzer --target_class="$fqcn" \
          --target_method="$method" --instrumentation_includes='io.tracemetrics.**:com.google.**' \
          -max_total_time="$seconds" -artifact_prefix="$corpus/" "$scratch" >"$log" 2>&1; then
        grep -E 'DONE|^Done' "$log" | tail -n 2 || tail -n 2 "$log"
      else
        failed=1
        grep -E '== Java Exception|expected|but was|Base64|Test unit written' "$log" | head -n 20 || tail -n 20 "$log"
      fi
      new=$(comm -13 <(echo "$before") <(ls "$corpus") || true)
      if [ -n "$new" ]; then
        echo "-- finding(s) kept in $corpus (replayed by every test run from now on):"
        echo "$new"
      fi
    done
  done < <(find "$module/src/test/java" -name '*FuzzTest.java' | sort)
done
exit "$failed"
