package dev.keyward.core;

/** Every way a request can fail, as the stable {@code code} member clients switch on. */
public enum ErrorCode {
    INVALID_JSON("invalid_json"),
    INVALID_NAME("invalid_name"),
    UNKNOWN_FIELD("unknown_field"),
    INVALID_ACCOUNT_ID("invalid_account_id"),
    INVALID_LIMIT("invalid_limit"),
    INVALID_CURSOR("invalid_cursor"),
    INVALID_GRACE_PERIOD("invalid_grace_period"),
    INVALID_EXPIRES_AT("invalid_expires_at"),
    INVALID_SCOPES("invalid_scopes"),
    /** allowedCidrs not an array of at most 20 CIDR ranges, or one of them malformed. */
    INVALID_ALLOWED_CIDRS("invalid_allowed_cidrs"),
    /** enabled not true or false. */
    INVALID_ENABLED("invalid_enabled"),
    INVALID_RETENTION_DAYS("invalid_retention_days"),
    INVALID_DAYS("invalid_days"),
    /** The account's settings: maxKeyLifetimeDays not a whole number from 1 to 3650, nor null. */
    INVALID_KEY_LIFETIME_DAYS("invalid_key_lifetime_days"),
    /** The account's settings: requireScopes not true or false. */
    INVALID_REQUIRE_SCOPES("invalid_require_scopes"),
    /** A change of the account's settings that names none. */
    INVALID_SETTINGS("invalid_settings"),
    /** The account's key policy caps a key's lifetime, and the key would never expire. */
    EXPIRY_REQUIRED("expiry_required"),
    /** The account's key policy caps a key's lifetime, and the expiry is later than it allows. */
    EXPIRY_BEYOND_POLICY("expiry_beyond_policy"),
    /** The account's key policy requires scopes, and the key would have none. */
    SCOPES_REQUIRED("scopes_required"),
    INVALID_IDEMPOTENCY_KEY("invalid_idempotency_key"),
    /** A webhook secret rotation's overlapSeconds that is not a whole number from 0 to 86400. */
    INVALID_OVERLAP_SECONDS("invalid_overlap_seconds"),
    /** A webhook URL that is not https, or whose host resolves to an address that is not public. */
    INVALID_WEBHOOK_URL("invalid_webhook_url"),
    /** Webhook event types missing, empty or unknown. */
    INVALID_WEBHOOK_EVENTS("invalid_webhook_events"),
    KEY_NOT_FOUND("key_not_found"),
    WEBHOOK_NOT_FOUND("webhook_not_found"),
    ROUTE_NOT_FOUND("route_not_found"),
    METHOD_NOT_ALLOWED("method_not_allowed"),
    /** API Gateway's: no credentials for a route behind the key authorizer (the local API answers it too). */
    UNAUTHORIZED("unauthorized"),
    /** API Gateway's: the authorizer denied the request (the local API answers it too). */
    ACCESS_DENIED("access_denied"),
    /** A secret-scanning report without a valid signature of a configured scanner key. */
    INVALID_REPORT_SIGNATURE("invalid_report_signature"),
    /** A secret-scanning report body that is not a JSON array of {token, type, url, source}. */
    INVALID_REPORT("invalid_report"),
    KEY_LIMIT_REACHED("key_limit_reached"),
    WEBHOOK_LIMIT_REACHED("webhook_limit_reached"),
    ROTATION_IN_PROGRESS("rotation_in_progress"),
    /** A retried rotation whose first attempt another rotation of the key has overtaken since. */
    ROTATION_SUPERSEDED("rotation_superseded"),
    /** Another rotation of a webhook endpoint's signing secret finished first; this one stored nothing. */
    WEBHOOK_ROTATION_CONFLICT("webhook_rotation_conflict"),
    /** A request with the same Idempotency-Key is still running. */
    IDEMPOTENCY_IN_PROGRESS("idempotency_in_progress"),
    /** The Idempotency-Key was used with a different request. */
    IDEMPOTENCY_KEY_REUSED("idempotency_key_reused"),
    PAYLOAD_TOO_LARGE("payload_too_large"),
    TOO_MANY_TOKENS("too_many_tokens"),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type"),
    DEPENDENCY_UNAVAILABLE("dependency_unavailable"),
    INTERNAL("internal_error");

    private final String code;

    ErrorCode(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
