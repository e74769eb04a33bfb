package dev.keyward.core;

import java.util.regex.Pattern;

/** Account ids name the company that owns the keys. */
public final class AccountIds {
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private AccountIds() {
    }

    public static String require(String accountId) {
        if (accountId == null || !FORMAT.matcher(accountId).matches()) {
            throw new KeywardException(ErrorCode.INVALID_ACCOUNT_ID,
                    "The account id must be 1 to 64 letters, digits, '_' or '-', starting with a letter or digit.");
        }
        return accountId;
    }
}
