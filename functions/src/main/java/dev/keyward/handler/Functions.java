package dev.keyward.handler;

import static dev.keyward.runtime.PrimingPlan.Walk.CREATE;
import static dev.keyward.runtime.PrimingPlan.Walk.VAULT;
import static dev.keyward.runtime.PrimingPlan.Walk.WRITES;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.keyward.runtime.Deployed;
import dev.keyward.runtime.PrimingPlan;
import dev.keyward.runtime.Services;

/**
 * Every function Keyward deploys, declared once: its route, what its handler is built over, and
 * how it is primed before a SnapStart snapshot (the priming event, the AWS paths walked first,
 * whether it also runs over ports answering from memory, and whether through the SDK answered
 * from memory, for the found-item paths). Lambda ({@code Keyward.start}), the
 * local API and the tests all build handlers from here.
 */
public enum Functions implements Deployed {
    // an empty name is refused before anything is written; create's AWS calls are primed as reads and
    // refused writes, and the whole create path over ports that answer from memory
    CREATE_KEY("create", "POST", "/accounts/{accountId}/keys",
            PrimingPlan.request("{\"name\":\"\"}").walking(CREATE, WRITES).offline("{\"name\":\"Priming\"}").throughSdk()),
    LIST_KEYS("list", "GET", "/accounts/{accountId}/keys", PrimingPlan.request(null).offline().throughSdk()),
    GET_KEY("get", "GET", "/accounts/{accountId}/keys/{keyId}", PrimingPlan.request(null).walking(VAULT, WRITES).offline().throughSdk()),
    UPDATE_KEY("rename", "PATCH", "/accounts/{accountId}/keys/{keyId}",
            PrimingPlan.request("{\"name\":\"Priming\"}").walking(WRITES).offline().throughSdk()),
    DELETE_KEY("delete", "DELETE", "/accounts/{accountId}/keys/{keyId}",
            PrimingPlan.request(null).walking(VAULT, WRITES).offline().throughSdk()),
    ROTATE_KEY("rotate", "POST", "/accounts/{accountId}/keys/{keyId}/rotate",
            PrimingPlan.request("{\"graceSeconds\":0}").walking(VAULT, WRITES).offline("{\"graceSeconds\":60}").throughSdk()),
    GET_KEY_USAGE("usage", "GET", "/accounts/{accountId}/keys/{keyId}/usage", null),
    LIST_AUDIT("audit", "GET", "/accounts/{accountId}/audit", PrimingPlan.request(null).offline()),
    GET_SETTINGS("get-settings", "GET", "/accounts/{accountId}/settings", null),
    UPDATE_SETTINGS("update-settings", "PATCH", "/accounts/{accountId}/settings", null),
    REPORT_LEAKED_SECRETS("report", "POST", "/secret-scanning/reports", null),
    CREATE_WEBHOOK("create-webhook", "POST", "/accounts/{accountId}/webhooks", null),
    LIST_WEBHOOKS("list-webhooks", "GET", "/accounts/{accountId}/webhooks", null),
    GET_WEBHOOK("get-webhook", "GET", "/accounts/{accountId}/webhooks/{webhookId}", null),
    DELETE_WEBHOOK("delete-webhook", "DELETE", "/accounts/{accountId}/webhooks/{webhookId}", null),
    ROTATE_WEBHOOK_SECRET("rotate-webhook-secret", "POST", "/accounts/{accountId}/webhooks/{webhookId}/rotate-secret", null),
    TEST_WEBHOOK("test-webhook", "POST", "/accounts/{accountId}/webhooks/{webhookId}/test", null),
    // primed like every function, though it makes no AWS call
    WHOAMI("whoami", "GET", "/whoami", PrimingPlan.request(null)),
    AUTHORIZER("authorizer", null, null, PrimingPlan.authorizer().walking(WRITES).offline().throughSdk()),
    HOUSEKEEPING("housekeeping", null, null, null),
    // SQS, not API Gateway: the webhook delivery queue's consumer
    DELIVER_WEBHOOKS("deliver-webhooks", null, null, null);

    private final String function;
    private final String method;
    private final String path;
    private final PrimingPlan priming;

    Functions(String function, String method, String path, PrimingPlan priming) {
        this.function = function;
        this.method = method;
        this.path = path;
        this.priming = priming;
    }

    @Override
    public RequestStreamHandler over(Services services) {
        return switch (this) {
            case CREATE_KEY -> new CreateKeyHandler(services.ports());
            case LIST_KEYS -> new ListKeysHandler(services.ports());
            case GET_KEY -> new GetKeyHandler(services.ports());
            case UPDATE_KEY -> new UpdateKeyHandler(services.ports());
            case DELETE_KEY -> new DeleteKeyHandler(services.ports());
            case ROTATE_KEY -> new RotateKeyHandler(services.ports());
            case GET_KEY_USAGE -> new GetKeyUsageHandler(services.keyUsage());
            case LIST_AUDIT -> new ListAuditHandler(services.ports());
            case GET_SETTINGS -> new GetSettingsHandler(services.ports());
            case UPDATE_SETTINGS -> new UpdateSettingsHandler(services.ports());
            case REPORT_LEAKED_SECRETS -> new ReportLeakedSecretsHandler(services.leakResponder(), services.scanningKeys());
            case WHOAMI -> new WhoAmIHandler(services);
            case AUTHORIZER -> new AuthorizerHandler(services.verifier(), services.routeScopes());
            case HOUSEKEEPING -> new HousekeepingHandler(services.ports());
            case CREATE_WEBHOOK -> new CreateWebhookHandler(services.webhooks());
            case LIST_WEBHOOKS -> new ListWebhooksHandler(services.webhooks());
            case GET_WEBHOOK -> new GetWebhookHandler(services.webhooks());
            case DELETE_WEBHOOK -> new DeleteWebhookHandler(services.webhooks());
            case ROTATE_WEBHOOK_SECRET -> new RotateWebhookSecretHandler(services.webhooks());
            case TEST_WEBHOOK -> new TestWebhookHandler(services.webhooks());
            case DELIVER_WEBHOOKS -> new DeliverWebhooksHandler(services.webhooks(), services.deliveryQueue());
        };
    }

    /** The function whose handler is {@code handlerClass} (a fully qualified name, as template.yaml's Handler names it). */
    public static Functions byHandler(String handlerClass) {
        for (Functions function : values()) {
            if (function.handlerClass().getName().equals(handlerClass)) {
                return function;
            }
        }
        throw new IllegalArgumentException("No deployed function has the handler " + handlerClass);
    }

    /** The class Lambda builds for this function. */
    public Class<? extends RequestStreamHandler> handlerClass() {
        return switch (this) {
            case CREATE_KEY -> CreateKeyHandler.class;
            case LIST_KEYS -> ListKeysHandler.class;
            case GET_KEY -> GetKeyHandler.class;
            case UPDATE_KEY -> UpdateKeyHandler.class;
            case DELETE_KEY -> DeleteKeyHandler.class;
            case ROTATE_KEY -> RotateKeyHandler.class;
            case GET_KEY_USAGE -> GetKeyUsageHandler.class;
            case LIST_AUDIT -> ListAuditHandler.class;
            case GET_SETTINGS -> GetSettingsHandler.class;
            case UPDATE_SETTINGS -> UpdateSettingsHandler.class;
            case REPORT_LEAKED_SECRETS -> ReportLeakedSecretsHandler.class;
            case WHOAMI -> WhoAmIHandler.class;
            case AUTHORIZER -> AuthorizerHandler.class;
            case HOUSEKEEPING -> HousekeepingHandler.class;
            case CREATE_WEBHOOK -> CreateWebhookHandler.class;
            case LIST_WEBHOOKS -> ListWebhooksHandler.class;
            case GET_WEBHOOK -> GetWebhookHandler.class;
            case DELETE_WEBHOOK -> DeleteWebhookHandler.class;
            case ROTATE_WEBHOOK_SECRET -> RotateWebhookSecretHandler.class;
            case TEST_WEBHOOK -> TestWebhookHandler.class;
            case DELIVER_WEBHOOKS -> DeliverWebhooksHandler.class;
        };
    }

    @Override
    public String function() {
        return function;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public PrimingPlan priming() {
        return priming;
    }
}
