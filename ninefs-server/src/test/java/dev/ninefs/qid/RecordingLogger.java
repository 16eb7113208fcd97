// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.qid;

import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;

/** A System.Logger that keeps every message, formatted, for a test to count. */
final class RecordingLogger implements System.Logger {
    record Entry(Level level, String message) {}

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    /** The messages logged at {@code level}. */
    List<String> messages(Level level) {
        return entries.stream().filter(e -> e.level() == level).map(Entry::message).toList();
    }

    @Override
    public String getName() {
        return "dev.ninefs.qid";
    }

    @Override
    public boolean isLoggable(Level level) {
        return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        entries.add(new Entry(level, msg));
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        entries.add(new Entry(level, params == null || params.length == 0 ? format
                : MessageFormat.format(format, params)));
    }
}
