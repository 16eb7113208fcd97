// SPDX-License-Identifier: Apache-2.0
package dev.ninefs.fs;

/**
 * Who a client acts as, from Tattach: the numeric uid (n_uname) and the user name (uname).
 *
 * @param uid the Linux uid, or -1 when the client sent none
 * @param name the user name, possibly empty
 */
public record User(int uid, String name) {
    public static final int NO_UID = -1;
}
