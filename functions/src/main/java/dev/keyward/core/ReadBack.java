package dev.keyward.core;

import java.util.function.BooleanSupplier;

/**
 * The one way a conditional write's refusal or unknown outcome is resolved: by reading state back,
 * never by guessing. A refusal may be the SDK's retry of our own applied write meeting its own
 * condition; an unknown outcome may have been applied.
 */
final class ReadBack {
    private ReadBack() {
    }

    /**
     * @param write   the conditional write: true when applied, false when its condition refused it
     * @param applied reads back whether the stored state is the one {@code write} writes
     * @return whether the state is now the one {@code write} writes
     * @throws OutcomeUnknownException when the outcome is unknown and the read back finds it not applied
     */
    static boolean written(BooleanSupplier write, BooleanSupplier applied) {
        try {
            if (write.getAsBoolean()) {
                return true;
            }
        } catch (OutcomeUnknownException e) {
            if (applied.getAsBoolean()) {
                return true;
            }
            throw e;
        }
        return applied.getAsBoolean();
    }
}
