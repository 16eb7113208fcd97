// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.client;

import dev.ninefs.transport.Spin;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Connection} behaves.
 *
 * @param msize the largest frame asked for in Tversion; the connection uses what the server grants (never more)
 * @param timeout how long one request may wait for its reply (and for a free tag) before it is flushed and fails
 *     with ETIMEDOUT; {@link Duration#ZERO} waits forever
 * @param maxInFlight the most requests in flight at once on the connection (tags in use); callers beyond it wait
 * @param spin how long a caller waiting alone for its reply polls the socket before it sleeps (see
 *     {@link Spin}); {@link Duration#ZERO} never polls
 */
public record ClientOptions(int msize, Duration timeout, int maxInFlight, Duration spin) {
    /** 1 MiB, which the Linux kernel client also asks for by default nowadays. */
    public static final int DEFAULT_MSIZE = 1 << 20;
    /** Below this a frame cannot carry a useful read or write; Linux refuses it too. */
    public static final int MIN_MSIZE = 4096;
    /** Frames larger than this are refused so that a bad size field cannot make us allocate gigabytes. */
    public static final int MAX_MSIZE = 64 << 20;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_IN_FLIGHT = 1024;
    /** Half the 16-bit tag space (less NOTAG): every flushed request may need a second tag for its Tflush. */
    public static final int MAX_IN_FLIGHT = 32767;
    /** 50 us, adaptive and bounded: see {@link Spin}. */
    public static final Duration DEFAULT_SPIN = Spin.DEFAULT;
    public static final Duration MAX_SPIN = Spin.MAX;

    public ClientOptions {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(spin, "spin");
        Spin.check(spin);
        if (msize < MIN_MSIZE || msize > MAX_MSIZE) {
            throw new IllegalArgumentException("msize must be in [" + MIN_MSIZE + ", " + MAX_MSIZE + "]: " + msize);
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        if (maxInFlight < 1 || maxInFlight > MAX_IN_FLIGHT) {
            throw new IllegalArgumentException("maxInFlight must be in [1, " + MAX_IN_FLIGHT + "]: " + maxInFlight);
        }
    }

    /** With the default spin. */
    public ClientOptions(int msize, Duration timeout, int maxInFlight) {
        this(msize, timeout, maxInFlight, DEFAULT_SPIN);
    }

    /** 1 MiB msize, 30 s timeout, 1024 requests in flight, 50 us spin. */
    public static ClientOptions defaults() {
        return new ClientOptions(DEFAULT_MSIZE, DEFAULT_TIMEOUT, DEFAULT_MAX_IN_FLIGHT, DEFAULT_SPIN);
    }

    public ClientOptions withMsize(int msize) {
        return new ClientOptions(msize, timeout, maxInFlight, spin);
    }

    public ClientOptions withTimeout(Duration timeout) {
        return new ClientOptions(msize, timeout, maxInFlight, spin);
    }

    public ClientOptions withMaxInFlight(int maxInFlight) {
        return new ClientOptions(msize, timeout, maxInFlight, spin);
    }

    public ClientOptions withSpin(Duration spin) {
        return new ClientOptions(msize, timeout, maxInFlight, spin);
    }
}
