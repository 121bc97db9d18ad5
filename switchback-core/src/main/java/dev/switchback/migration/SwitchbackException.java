package dev.switchback.migration;

/** The one exception Switchback throws; its message says what failed, where and what to do next. */
public final class SwitchbackException extends RuntimeException {
    private final ErrorCode code;

    public SwitchbackException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public SwitchbackException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
