// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli.bench;

import java.util.Locale;
import java.util.Map;

/** A {@link BenchResult} for people (text) and for scripts (one line of JSON). */
final class Report {
    private Report() {}

    static String text(BenchResult r) {
        BenchOptions o = r.options();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%s on %s: %d connection%s x %d in flight, msize %d%s, %.1f s measured%n",
                o.workload().cliName(), o.target(), o.connections(), o.connections() == 1 ? "" : "s", o.depth(),
                r.msize(), r.msize() < o.msize() ? " (asked " + o.msize() + ")" : "", r.seconds()));
        if (o.workload().movesData) {
            s.append(String.format(Locale.ROOT, "  blocks     %d bytes, %s, file of %d bytes%n", o.blockSize(),
                    o.random() || o.workload() == Workload.MIXED ? "random" : "sequential", o.fileSize()));
        }
        s.append(String.format(Locale.ROOT, "  ops/s      %.1f   (%d operations)%n", r.opsPerSecond(), r.ops()));
        if (o.workload().movesData) {
            s.append(String.format(Locale.ROOT, "  MB/s       %.1f   (file data, 10^6 bytes)%n",
                    r.megabytesPerSecond()));
        }
        if (o.workload() == Workload.READDIR) {
            s.append(String.format(Locale.ROOT, "  entries/s  %.0f   (%d entries per listing)%n",
                    r.opsPerSecond() * o.entries(), o.entries()));
        }
        if (r.serverCpuNanos() >= 0) {
            s.append(String.format(Locale.ROOT, "  server     %.1f us of CPU per operation (%.2f CPU-seconds measured)%n",
                    r.serverMicrosPerOp(), r.serverCpuNanos() / 1e9));
        }
        s.append(String.format(Locale.ROOT, "  generator  %.1f us of CPU per operation (%.2f CPU-seconds measured)%n",
                r.clientMicrosPerOp(), r.clientCpuNanos() / 1e9));
        LatencyHistogram h = r.latencies();
        s.append(String.format(Locale.ROOT, "  latency    p50 %s   p99 %s   max %s   mean %s%n", time(h.percentile(50)),
                time(h.percentile(99)), time(h.max()), time(Math.round(h.mean()))));
        if (r.ok()) {
            s.append("  errors     0\n");
            return s.toString();
        }
        s.append(String.format(Locale.ROOT,
                "  ERRORS     %d OPERATIONS FAILED; the figures above count only the successful ones%n",
                r.errorCount()));
        for (Map.Entry<String, ErrorTally.Kind> e : r.errors().entrySet()) {
            s.append(String.format(Locale.ROOT, "             %s x %d, first: %s%n", e.getKey(), e.getValue().count(),
                    e.getValue().firstMessage()));
        }
        if (r.deadLanes() > 0) {
            s.append(String.format(Locale.ROOT, "             %d of %d lanes stopped: their connection failed%n",
                    r.deadLanes(), o.connections() * o.depth()));
        }
        s.append("  RUN FAILED\n");
        return s.toString();
    }

    /** Nanoseconds as "812 ns", "81.2 us", "3.10 ms", "1.20 s". */
    static String time(long nanos) {
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
        }
        if (nanos < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    static String json(BenchResult r) {
        BenchOptions o = r.options();
        LatencyHistogram h = r.latencies();
        StringBuilder s = new StringBuilder("{");
        field(s, "workload", o.workload().cliName());
        field(s, "target", o.target().toString());
        field(s, "connections", o.connections());
        field(s, "depth", o.depth());
        field(s, "block_size", o.blockSize());
        field(s, "file_size", o.fileSize());
        field(s, "random", o.random());
        field(s, "entries", o.entries());
        field(s, "msize_asked", o.msize());
        field(s, "spin_us", o.spin().toNanos() / 1000);
        field(s, "msize", r.msize());
        field(s, "seconds", r.seconds());
        field(s, "ops", r.ops());
        field(s, "ops_per_s", r.opsPerSecond());
        field(s, "bytes", r.bytes());
        field(s, "mb_per_s", r.megabytesPerSecond());
        if (r.serverCpuNanos() >= 0) {
            field(s, "server_cpu_s", r.serverCpuNanos() / 1e9);
            field(s, "server_cpu_us_per_op", r.serverMicrosPerOp());
        }
        field(s, "client_cpu_s", r.clientCpuNanos() / 1e9);
        field(s, "client_cpu_us_per_op", r.clientMicrosPerOp());
        s.append("\"latency_us\":{");
        field(s, "p50", h.percentile(50) / 1e3);
        field(s, "p90", h.percentile(90) / 1e3);
        field(s, "p99", h.percentile(99) / 1e3);
        field(s, "max", h.max() / 1e3);
        field(s, "mean", h.mean() / 1e3);
        close(s);
        s.append(',');
        field(s, "errors", r.errorCount());
        s.append("\"error_kinds\":{");
        for (Map.Entry<String, ErrorTally.Kind> e : r.errors().entrySet()) {
            s.append(quote(e.getKey())).append(":{");
            field(s, "count", e.getValue().count());
            field(s, "first", e.getValue().firstMessage());
            close(s);
            s.append(',');
        }
        close(s);
        s.append(',');
        field(s, "dead_lanes", r.deadLanes());
        field(s, "ok", r.ok());
        close(s);
        return s.toString();
    }

    private static void field(StringBuilder s, String name, Object value) {
        s.append(quote(name)).append(':');
        switch (value) {
            case String text -> s.append(quote(text));
            case Double d -> s.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.3f", d) : "null");
            default -> s.append(value);
        }
        s.append(',');
    }

    /** Replaces a trailing comma with the closing brace. */
    private static void close(StringBuilder s) {
        if (s.charAt(s.length() - 1) == ',') {
            s.setLength(s.length() - 1);
        }
        s.append('}');
    }

    static String quote(String text) {
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
