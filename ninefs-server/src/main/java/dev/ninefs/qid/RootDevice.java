// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.qid;

/**
 * The device of an export's root, learnt at the first attach (or, if a mapper is used without one, from the first
 * file it sees). After that, checking a file is one volatile read and a comparison.
 */
final class RootDevice {
    private volatile boolean known;
    private long dev; // written once, before known is set; read only after known is seen true

    /** Records {@code dev} as the export's device unless one is already known. */
    synchronized void learn(long dev) {
        if (!known) {
            this.dev = dev;
            known = true;
        }
    }

    /** Whether {@code dev} is not the export's device. */
    boolean isOther(long dev) {
        if (!known) {
            learn(dev);
        }
        return this.dev != dev;
    }

    /** The export's device; meaningful once {@link #isOther} or {@link #learn} ran. */
    long dev() {
        return dev;
    }

    /** {@code dev} as major:minor, the way Linux splits a dev_t (what {@code stat -c %Hd:%Ld} prints). */
    static String name(long dev) {
        long major = (dev >>> 8 & 0xfffL) | (dev >>> 32 & 0xfffff000L);
        long minor = (dev & 0xffL) | (dev >>> 12 & 0xffffff00L);
        return major + ":" + minor;
    }
}
