package dev.keyward.runtime;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * How one function is primed, as data ({@link Priming} walks it): the event its handler gets
 * (one that reads, or is refused, and writes nothing), the AWS paths walked before it, and
 * whether the handler also runs over ports answering from memory, for the found-key path AWS
 * cannot walk without data.
 *
 * @param body        the request body of the primed event (null for none, and for the authorizer)
 * @param walks       the AWS paths walked first
 * @param inMemory     whether the handler also runs over ports answering from memory
 * @param inMemoryBody the body of that run (and of the run through the SDK)
 * @param sdkFromMemory whether the handler also runs over the real adapters and SDK clients whose HTTP
 *                     calls are answered from memory ({@link CannedAws}), for a key that exists
 *                     there: the found-item paths through the SDK's own response handling
 */
public record PrimingPlan(boolean authorizerEvent, String body, Set<Walk> walks, boolean inMemory, String inMemoryBody,
                          boolean sdkFromMemory) {

    /** An AWS path walked before the handler's own request. */
    public enum Walk {
        /** One read of a secret that does not exist (get, rotate, delete). */
        VAULT,
        /** Create's reads: the key count, a secret, the Client ID and secret. */
        CREATE,
        /** Each kind of DynamoDB write, refused by a condition. */
        WRITES
    }

    public PrimingPlan {
        // in the order of Walk: AWS's reads first, the refused writes after
        walks = walks.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(walks));
    }

    /** The function's route with {@code body}, then nothing else. */
    public static PrimingPlan request(String body) {
        return new PrimingPlan(false, body, Set.of(), false, null, false);
    }

    /** Well-formed credentials of a client that does not exist, so the check reads once and denies. */
    public static PrimingPlan authorizer() {
        return new PrimingPlan(true, null, Set.of(), false, null, false);
    }

    /** With {@code more} walked before the handler's request. */
    public PrimingPlan walking(Walk... more) {
        Set<Walk> all = EnumSet.noneOf(Walk.class);
        all.addAll(walks);
        all.addAll(Set.of(more));
        return new PrimingPlan(authorizerEvent, body, all, inMemory, inMemoryBody, sdkFromMemory);
    }

    /** Also run over ports answering from memory, with the same event (the authorizer's: credentials it allows). */
    public PrimingPlan offline() {
        return offline(body);
    }

    /** Also run over ports answering from memory, with {@code body}. */
    public PrimingPlan offline(String body) {
        return new PrimingPlan(authorizerEvent, this.body, walks, true, body, sdkFromMemory);
    }

    /** Also run, with the in-memory run's event, over the SDK answered from memory ({@link CannedAws}). */
    public PrimingPlan throughSdk() {
        return new PrimingPlan(authorizerEvent, body, walks, inMemory, inMemoryBody, true);
    }
}
