package dev.keyward.aws;

import dev.keyward.core.ApiKey;
import dev.keyward.core.Networks;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The items of the one keys table: their keys, their attributes and how a key is read back.
 * {@link #LAYOUT} is the table docs/design.md shows (ItemsTest holds the two together).
 *
 * <p>Each kind of item that a function writes on its own has its own partition-key prefix, so the
 * function's IAM policy can confine its writes to that kind ({@code dynamodb:LeadingKeys}). A
 * key's expiry is {@code keyExpiresAt} (epoch seconds) on both its items, never {@code expiresAt}:
 * that is the table's TTL attribute, and TTL would delete the client item behind the key's back.
 * Key items that expire also carry {@code expiring = "KEY"}, which puts them in the sparse index
 * {@value KeysTable#EXPIRING_INDEX} the housekeeping reads. A secret-hash item exists for every
 * secret a client item accepts, written in the same transaction, so a secret scanner's report
 * finds its key by the secret alone; once its secret stops being accepted it gets an
 * {@code expiresAt} {@link #RETIRED_HASH_KEPT} ahead.
 */
public final class Items {
    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String ACCOUNT_PREFIX = "ACCOUNT#";
    public static final String KEY_PREFIX = "KEY#";
    static final String CLIENT_PREFIX = "CLIENT#";
    static final String CLIENT_SK = "CLIENT";
    static final String META = "META";
    static final String SETTINGS = "SETTINGS";
    static final String AUDIT_PREFIX = "AUDIT#";
    static final String EVENT_PREFIX = "EVENT#";
    static final String NOTE_PK = "SECRET_NOTE";
    static final String IDEMPOTENCY_PREFIX = "IDEMPOTENCY#";
    static final String HASH_PREFIX = "SECRET_HASH#";
    static final String HASH_SK = "SECRET_HASH";
    static final String USAGE_PREFIX = "USAGE#";
    static final String DAY_PREFIX = "DAY#";
    static final String WEBHOOK_PREFIX = "WEBHOOK#";
    static final String ENDPOINT_PREFIX = "ENDPOINT#";
    static final String KEY_EXPIRES_AT = KeysTable.KEY_EXPIRES_AT;
    static final String EXPIRING = KeysTable.EXPIRING;
    static final String EXPIRING_KEY = "KEY";
    static final String SCOPES = "scopes";
    /** true while the key is suspended; absent while it works. */
    static final String DISABLED = "disabled";
    /** The CIDR ranges the key may be used from, as stored (L of S); absent for any address. */
    static final String ALLOWED_CIDRS = "allowedCidrs";
    /** A key's latest denials, one item per write ({@link DynamoUsageStore}). */
    static final String DENIED_PREFIX = "DENIED#";
    static final String RETENTION_DAYS = "expiredKeyRetentionDays";
    static final String MAX_KEY_LIFETIME_DAYS = "maxKeyLifetimeDays";
    static final String REQUIRE_SCOPES = "requireScopes";
    static final Duration RETIRED_HASH_KEPT = Duration.ofDays(400);

    /** One kind of item: its name, its keys, what it holds. */
    public record Kind(String item, String pk, String sk, String holds) {
    }

    /** Every kind of item in the table, as docs/design.md's table of items lists them. */
    public static final List<Kind> LAYOUT = List.of(
            new Kind("key", ACCOUNT_PREFIX + "{accountId}", KEY_PREFIX + "{keyId}", "name, clientId, secretArn, "
                    + "createdAt, createdBy, lastUsedAt; `keyExpiresAt` (epoch s) and `expiring` if it expires; "
                    + "`scopes` (string set); `disabled` (true) while suspended; `allowedCidrs` (list) if limited "
                    + "to networks; leakedAt, leakedUrl, leakedSecretHash when flagged"),
            new Kind("client", CLIENT_PREFIX + "{clientId}", CLIENT_SK, "accountId, keyId, SHA-256 of the secret; "
                    + "during a rotation's grace period `otherHashes` {hash: end}, `revision`, `rotationLeaseUntil`; "
                    + "the key's `keyExpiresAt`, `scopes`, `disabled` and `allowedCidrs`"),
            new Kind("account", ACCOUNT_PREFIX + "{accountId}", META, "keyCount"),
            new Kind("settings", ACCOUNT_PREFIX + "{accountId}", SETTINGS, RETENTION_DAYS
                    + " (absent: keep expired keys); leakPolicy (`revoke` default, `flag`); the key policy: "
                    + MAX_KEY_LIFETIME_DAYS + " (absent: no cap), " + REQUIRE_SCOPES + " (true, or absent)"),
            new Kind("audit event", AUDIT_PREFIX + "{accountId}", EVENT_PREFIX + "{evt_id}",
                    "action, keyId, at, caller; `event`, the event published (infra/events.schema.json), written in "
                            + "the change's transaction; `expiresAt` (TTL, 400 days)"),
            new Kind("event notice", AUDIT_PREFIX + "{accountId}", EventItems.NOTICE_PREFIX + "{evt_id}",
                    "`event`: an event that is no audit entry (settings.updated, key.leaked when revoked); as `"
                            + EventItems.ONCE_PREFIX + "{keyId}#{expiresAt}#{7d|1d|expired}` an expiry warning, "
                            + "written once; `expiresAt` (TTL, 400 days)"),
            new Kind("secret note", NOTE_PK, "{accountId}#{keyId}", "notedAt: a secret that may have no key; "
                    + "`sweepUntil` while the housekeeping destroys it"),
            new Kind("idempotency record", IDEMPOTENCY_PREFIX + "{accountId}", "the `Idempotency-Key`",
                    "request fingerprint, the key id reserved for it, attempt and lease; once done the answer's key "
                    + "fields and a reference to the secret (ARN and version), never the secret; "
                    + "`expiresAt` (TTL, 24 hours)"),
            new Kind("secret hash", HASH_PREFIX + "{sha256}", HASH_SK, "accountId, keyId, clientId: one per secret "
                    + "the client accepts, written in its transactions; `expiresAt` (400 days) once retired"),
            new Kind("usage", USAGE_PREFIX + "{accountId}#{keyId}", DAY_PREFIX + "{yyyy-MM-dd}", "allowed, denied "
                    + "and `denied_{reason}` per reason (added to at most once a minute per key and sandbox); "
                    + "`expiresAt` (TTL, 90 days)"),
            new Kind("latest denials", USAGE_PREFIX + "{accountId}#{keyId}", DENIED_PREFIX + "{newest at}#{id}",
                    "`denials`: up to 20 of the key's denials (at, reason, route, sourceIp; never a credential), "
                    + "written with the day counts; `expiresAt` (TTL, 7 days after the newest)"),
            new Kind("webhook endpoint", WEBHOOK_PREFIX + "{accountId}", ENDPOINT_PREFIX + "{endpointId}", "url, "
                    + "`events` (string set), createdAt, createdBy; `recentDeliveries`, the last 10 delivery attempts "
                    + "newest first (a list of {eventId, eventType, at, attempt, outcome, responseStatus, error}, never "
                    + "a body, header or secret), replaced on condition of `deliveriesVersion`, which each record adds "
                    + "1 to (items written before hold the latest one as lastEventId, ... lastError, removed on the "
                    + "next record); never a signing secret (Secrets Manager, "
                    + "`keyward-webhooks/{accountId}/{endpointId}`: the current one and, during a rotation's "
                    + "overlap, the previous one and its end)"));

    private Items() {
    }

    /** docs/design.md's table of items, in Markdown. */
    public static String markdownTable() {
        StringBuilder table = new StringBuilder("| item | pk | sk | holds |\n| --- | --- | --- | --- |\n");
        for (Kind kind : LAYOUT) {
            table.append("| ").append(kind.item()).append(" | `").append(kind.pk()).append("` | ")
                    .append(kind.sk().startsWith("the ") ? kind.sk() : "`" + kind.sk() + "`")
                    .append(" | ").append(kind.holds()).append(" |\n");
        }
        return table.toString();
    }

    public static String accountPk(String accountId) {
        return ACCOUNT_PREFIX + accountId;
    }

    static String clientPk(String clientId) {
        return CLIENT_PREFIX + clientId;
    }

    static Map<String, AttributeValue> keyOf(String pk, String sk) {
        return Map.of(PK, s(pk), SK, s(sk));
    }

    /** The lookup from a secret's hash to its key; with {@code retiredAt}, one that expires. */
    static TransactWriteItem hashItem(String table, String secretHash, String accountId, String keyId, String clientId,
                                      Instant retiredAt) {
        Map<String, AttributeValue> item = new HashMap<>(keyOf(HASH_PREFIX + secretHash, HASH_SK));
        item.put("accountId", s(accountId));
        item.put("keyId", s(keyId));
        item.put("clientId", s(clientId));
        if (retiredAt != null) {
            item.put("expiresAt", n(retiredAt.plus(RETIRED_HASH_KEPT).getEpochSecond()));
        }
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item)).build();
    }

    static Map<String, AttributeValue> noteKey(String accountId, String keyId) {
        return keyOf(NOTE_PK, accountId + "#" + keyId);
    }

    static Map<String, AttributeValue> noteItem(String accountId, String keyId, Instant at) {
        Map<String, AttributeValue> item = new HashMap<>(noteKey(accountId, keyId));
        item.put("accountId", s(accountId));
        item.put("keyId", s(keyId));
        item.put("notedAt", n(at.toEpochMilli()));
        return item;
    }

    /** A key item read back. */
    static ApiKey toKey(String accountId, Map<String, AttributeValue> item) {
        return new ApiKey(accountId,
                item.get("keyId").s(),
                item.get("name").s(),
                item.get("clientId").s(),
                Instant.parse(item.get("createdAt").s()),
                optional(item, "createdBy"),
                Optional.ofNullable(optional(item, "lastUsedAt")).map(Instant::parse).orElse(null),
                epochSeconds(item.get(KEY_EXPIRES_AT)),
                scopes(item.get(SCOPES)),
                Optional.ofNullable(optional(item, "leakedAt"))
                        .map(at -> new ApiKey.Leak(Instant.parse(at), optional(item, "leakedUrl"))).orElse(null),
                enabled(item), networks(item));
    }

    /** Whether a key or client item's key works: not {@code disabled}. */
    static boolean enabled(Map<String, AttributeValue> item) {
        AttributeValue disabled = item.get(DISABLED);
        return disabled == null || !Boolean.TRUE.equals(disabled.bool());
    }

    /** A key or client item's networks; any address without {@code allowedCidrs}. */
    static Networks networks(Map<String, AttributeValue> item) {
        AttributeValue ranges = item.get(ALLOWED_CIDRS);
        return ranges == null || !ranges.hasL() ? Networks.ANY
                : Networks.stored(ranges.l().stream().map(AttributeValue::s).toList());
    }

    /** The stored form of a key's networks: null for any address. */
    static AttributeValue networks(Networks networks) {
        return networks.isAny() ? null : AttributeValue.fromL(networks.texts().stream().map(Items::s).toList());
    }

    static Instant epochSeconds(AttributeValue value) {
        return value == null || value.n() == null ? null : Instant.ofEpochSecond(Long.parseLong(value.n()));
    }

    static SortedSet<String> scopes(AttributeValue value) {
        return value == null || !value.hasSs() ? null : new TreeSet<>(value.ss());
    }

    static String optional(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    static AttributeValue n(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }
}
