/**
 * The ports of {@code core} held in memory, with the same conditions as the DynamoDB and Secrets
 * Manager adapters: a key and its client saved and removed together, the account's key limit,
 * a client replaced only at its revision, a note refused while the sweep holds it, an
 * idempotency record taken over only once its lease ran out. Priming walks the found-key path
 * over them, the warm benchmark measures the handlers over them, and core's unit tests extend
 * them with their fault hooks. Nothing here reaches AWS.
 */
package dev.keyward.memory;
