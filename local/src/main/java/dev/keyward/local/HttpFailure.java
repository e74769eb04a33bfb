package dev.keyward.local;

import java.io.IOException;

/** A request the server refuses before it reaches the gateway, with the answer's status and code. */
final class HttpFailure extends IOException {
    final int status;
    final String code;

    HttpFailure(int status, String code, String detail) {
        super(detail, null);
        this.status = status;
        this.code = code;
    }
}
