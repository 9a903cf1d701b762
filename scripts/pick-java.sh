# Sourced by ./gatehouse and benchmarks/run, so both launch our servers on the same Java.
# Prints the newest Java 21+ found (JAVA_HOME first, then /usr/lib/jvm), else `java` from the PATH (17 is the
# minimum): 21+ brings virtual threads, which the benchmarks showed keep the API's p99 low on one core.
pick_java() {
  local candidate version best="" best_version=0
  for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} /usr/lib/jvm/*/bin/java; do
    [ -x "$candidate" ] || continue
    version="$("$candidate" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)"
    if [ -n "$version" ] && [ "$version" -ge 21 ] && [ "$version" -gt "$best_version" ]; then
      best="$candidate"
      best_version="$version"
    fi
  done
  printf '%s' "${best:-java}"
}
