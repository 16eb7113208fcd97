# SPDX-License-Identifier: Apache-2.0
# Sourced by bin/ninefs and bin/test: finds a JDK 25 or newer and exports JAVA_HOME.
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
ninefs_find_java() {
    local candidates=() c
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    for c in /usr/lib/jvm/temurin-25* /usr/lib/jvm/java-25* /usr/lib/jvm/*-25-* /usr/lib/jvm/*; do
        [ -x "$c/bin/javac" ] && candidates+=("$c")
    done
    if command -v javac >/dev/null 2>&1; then
        candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
    fi
    for c in "${candidates[@]}"; do
        local v
        v=$(java_major "$c" 2>/dev/null)
        if [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; then
            export JAVA_HOME="$c"
            return 0
        fi
    done
    echo "ninefs needs a JDK 25 or newer (javac included). Install one, e.g. 'apt-get install openjdk-25-jdk-headless'" >&2
    echo "(or Temurin 25), or point JAVA_HOME at it." >&2
    return 1
}
