// SPDX-License-Identifier: Apache-2.0
/** How backend file identities become 9P qids: the one place a multidevs policy changes. */
package dev.ninefs.qid;
