// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded mutation fuzzing of valid frames. The only allowed outcomes are a ProtocolException or a message that
 * encodes back to exactly the bytes it came from (the wire format has one encoding per message).
 */
class CodecFuzzTest {
    private static final int ITERATIONS = 200_000;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void mutatedFramesOnlyDecodeOrFailWithProtocolException() {
        List<byte[]> seeds = MessageSamples.all().stream().map(m -> {
            ByteBuffer b = ByteBuffer.allocate(Codec.encodedSize(m));
            Codec.encode(0x0102, m, b);
            return b.array();
        }).toList();
        SplittableRandom random = new SplittableRandom(0x9e3779b97f4a7c15L);
        int decoded = 0;
        int rejected = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] wire = mutate(seeds.get(random.nextInt(seeds.size())), random);
            ByteBuffer frame = ByteBuffer.wrap(wire);
            Frame f;
            try {
                f = Codec.decode(frame);
            } catch (ProtocolException e) {
                rejected++;
                continue;
            }
            decoded++;
            ByteBuffer again = ByteBuffer.allocate(Codec.encodedSize(f.message()));
            Codec.encode(f.tag(), f.message(), again);
            assertArrayEquals(wire, again.array(), f.toString());
        }
        assertTrue(decoded > ITERATIONS / 20, "the fuzzer still reaches the decoders: " + decoded);
        assertTrue(rejected > ITERATIONS / 20, "and finds bad frames: " + rejected);
    }

    private static byte[] mutate(byte[] seed, SplittableRandom random) {
        byte[] b;
        switch (random.nextInt(5)) {
            case 0 -> { // flip a few bytes, keep the size field honest half of the time
                b = seed.clone();
                for (int k = 1 + random.nextInt(4); k > 0; k--) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> b = Arrays.copyOf(seed, random.nextInt(seed.length + 1)); // truncate
            case 2 -> { // extend with junk
                b = Arrays.copyOf(seed, seed.length + 1 + random.nextInt(16));
                for (int k = seed.length; k < b.length; k++) {
                    b[k] = (byte) random.nextInt(256);
                }
            }
            case 3 -> { // set a 16- or 32-bit field somewhere in the body to an extreme value
                b = seed.clone();
                if (b.length > 8) {
                    int at = 7 + random.nextInt(b.length - 8);
                    int v = switch (random.nextInt(4)) {
                        case 0 -> 0;
                        case 1 -> 0xffff_ffff;
                        case 2 -> 0x7fff_ffff;
                        default -> random.nextInt(64);
                    };
                    b[at] = (byte) v;
                    b[at + 1] = (byte) (v >>> 8);
                }
            }
            default -> { // another type byte on a well-formed body
                b = seed.clone();
                b[4] = (byte) random.nextInt(256);
            }
        }
        if (b.length >= 4 && random.nextBoolean()) {
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0, b.length);
        }
        return b;
    }
}
