// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs.local;

import dev.ninefs.protocol.ErrnoException;
import java.util.ArrayList;
import java.util.List;

/** The count of escape attempts and what went wrong, for one security model (plain Java: no JUnit). */
final class Tally {
    /** One attempt. */
    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    private final SecurityModel model;
    private final List<String> failures = new ArrayList<>();
    private int attempts;
    private int raceHits;

    Tally(SecurityModel model) {
        this.model = model;
    }

    /** An attempt that must fail with an errno. */
    synchronized void attempt(String what, Call call) {
        attempts++;
        try {
            call.run();
            failures.add(model.option() + ": " + what + " succeeded");
        } catch (ErrnoException expected) {
            // refused, as it must be
        } catch (Exception | AssertionError e) {
            failures.add(model.option() + ": " + what + " failed oddly: " + e);
        }
    }

    /** An attempt that may succeed but must stay inside (its call checks where it landed). */
    synchronized void contained(String what, Call call) {
        attempts++;
        try {
            call.run();
        } catch (Exception | AssertionError e) {
            failures.add(model.option() + ": " + what + ": " + e);
        }
    }

    /** An attempt that was refused before it could be made (counted, nothing to check). */
    synchronized void refused() {
        attempts++;
    }

    synchronized void raceHit() {
        raceHits++;
    }

    synchronized void fail(String what) {
        failures.add(model.option() + ": " + what);
    }

    synchronized int attempts() {
        return attempts;
    }

    synchronized int raceHits() {
        return raceHits;
    }

    synchronized List<String> failures() {
        return List.copyOf(failures);
    }
}
