// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.protocol;

/** A message with the tag it travels under: size[4] type[1] tag[2] body. */
public record Frame(int tag, Message message) {
    public Frame {
        if ((tag & ~0xffff) != 0) {
            throw new IllegalArgumentException("tag is 16 bits: " + tag);
        }
    }
}
