package dev.switchback.deploy;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.util.regex.Pattern;

/**
 * How the router keeps a client on one side of a traffic split ({@code deploy.canary.sticky}): not at all, by a
 * {@code switchback-rollout} cookie holding the side, or by a hash of a request header.
 *
 * @param kind   none, cookie or header
 * @param header the header hashed (kind header only), else null
 */
public record Stickiness(Kind kind, String header) {
    public enum Kind { NONE, COOKIE, HEADER }

    public static final Stickiness NONE = new Stickiness(Kind.NONE, null);
    public static final Stickiness COOKIE = new Stickiness(Kind.COOKIE, null);
    // an HTTP field name (RFC 9110 §5.1: a token)
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    public Stickiness {
        if (kind == null || (kind == Kind.HEADER) != (header != null)) {
            throw new IllegalArgumentException("a header name goes with kind HEADER only");
        }
    }

    public static Stickiness header(String name) {
        return parse("header:" + name);
    }

    /** {@code none}, {@code cookie} or {@code header:<Name>}; anything else is a configuration error naming it. */
    public static Stickiness parse(String value) {
        String v = value == null ? "" : value.strip();
        if (v.equals("none")) {
            return NONE;
        }
        if (v.equals("cookie")) {
            return COOKIE;
        }
        if (v.startsWith("header:") && TOKEN.matcher(v.substring(7).strip()).matches()) {
            return new Stickiness(Kind.HEADER, v.substring(7).strip());
        }
        throw new SwitchbackException(ErrorCode.CONFIG, "deploy.canary.sticky is '" + value
                + "': use none, cookie or header:<Name> (a header name such as header:X-User-Id)");
    }

    @Override
    public String toString() {
        return kind == Kind.HEADER ? "header:" + header : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
