// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.cli;

import dev.ninefs.qid.Multidevs;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One export as QEMU users write it: {@code tag=share,path=/srv/share,readonly=on,security_model=mapped-xattr}.
 * The tag is the aname clients attach to. {@code fsdriver} picks the backend (local by default). {@code multidevs}
 * is the server's qid policy ({@link #multidevs}). Everything else is the backend's to interpret
 * ({@link #backendOptions}); it rejects what it does not know.
 *
 * <p>As in QEMU, a literal comma inside a value is written twice: {@code path=/srv/a,,b} is the path {@code /srv/a,b}.
 */
public record ExportSpec(String tag, String fsdriver, Map<String, String> options) {
    private static final String MULTIDEVS = "multidevs";

    public ExportSpec {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** Parses one --export value; IllegalArgumentException says what is wrong and what is accepted. */
    public static ExportSpec parse(String text) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String item : splitItems(text)) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("export option '" + item + "' is not key=value (in '" + text + "')");
            }
            String key = item.substring(0, eq).trim();
            String value = item.substring(eq + 1);
            if (options.putIfAbsent(key, value) != null) {
                throw new IllegalArgumentException("export option '" + key + "' given twice (in '" + text + "')");
            }
        }
        String tag = options.remove("tag");
        if (tag == null) {
            tag = options.remove("mount_tag");
        }
        if (tag == null || tag.isEmpty()) {
            throw new IllegalArgumentException("export needs tag=NAME, the aname clients attach to (in '" + text + "')");
        }
        if (tag.indexOf('/') >= 0 || tag.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("export tag '" + tag + "' may not contain '/' or spaces");
        }
        String fsdriver = options.remove("fsdriver");
        return new ExportSpec(tag, fsdriver == null ? "local" : fsdriver, options);
    }

    private static java.util.List<String> splitItems(String text) {
        java.util.List<String> items = new java.util.ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ',') {
                if (i + 1 < text.length() && text.charAt(i + 1) == ',') {
                    current.append(',');
                    i++;
                    continue;
                }
                items.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        items.add(current.toString());
        items.removeIf(String::isBlank);
        if (items.isEmpty()) {
            throw new IllegalArgumentException("empty export: expected tag=NAME,path=DIR[,readonly=on,...]");
        }
        return items;
    }

    /**
     * {@code multidevs=remap|forbid|warn}, QEMU's policy for files on devices other than the export root's, if
     * given; rejects other values, naming the valid ones. The server applies it, not the backend.
     */
    public Optional<Multidevs> multidevs() {
        String v = options.get(MULTIDEVS);
        return v == null ? Optional.empty() : Optional.of(Multidevs.parse(v));
    }

    /** The options the backend interprets: all but those the server applies ({@code multidevs}). */
    public Map<String, String> backendOptions() {
        Map<String, String> backend = new LinkedHashMap<>(options);
        backend.remove(MULTIDEVS);
        return Collections.unmodifiableMap(backend);
    }

    /** Whether {@code readonly=on|yes|true|1} is among the options; rejects other values. */
    public boolean readOnly() {
        String v = options.get("readonly");
        if (v == null) {
            return false;
        }
        return switch (v) {
            case "on", "yes", "true", "1" -> true;
            case "off", "no", "false", "0" -> false;
            default -> throw new IllegalArgumentException("readonly=" + v + ": expected on or off");
        };
    }
}
