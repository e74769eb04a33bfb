package dev.keyward.core;

import java.time.Instant;

/**
 * A key after rotation: its new Client Secret, and until when the previous one is still accepted.
 *
 * @param previousValidUntil the end of the grace period, or null when the previous secret was refused at once
 */
public record RotatedKey(KeyWithSecret key, Instant previousValidUntil) {
}
