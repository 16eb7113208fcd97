// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli.bench;

import dev.ninefs.protocol.Errno;
import dev.ninefs.protocol.ErrnoException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Failed operations of a run, by kind (the errno name, or the exception's class for a broken connection), each
 * with the first message seen. Shared by the lanes; touched only when something fails.
 */
final class ErrorTally {
    /** One kind of failure: how often, and what the first one said. */
    record Kind(long count, String firstMessage) {}

    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> first = new ConcurrentHashMap<>();

    void add(Throwable failure) {
        String kind = switch (failure) {
            case ErrnoException e -> Errno.known(e.code()) ? Errno.of(e.code()).name() : "errno " + e.code();
            default -> failure.getClass().getSimpleName();
        };
        counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
        first.putIfAbsent(kind, String.valueOf(failure.getMessage()));
    }

    long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** By kind, sorted by name. */
    Map<String, Kind> kinds() {
        Map<String, Kind> out = new TreeMap<>();
        counts.forEach((k, n) -> out.put(k, new Kind(n.sum(), first.get(k))));
        return out;
    }
}
