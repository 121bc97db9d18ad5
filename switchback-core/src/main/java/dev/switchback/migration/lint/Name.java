package dev.switchback.migration.lint;

import dev.switchback.migration.sql.SqlToken;

import java.util.List;
import java.util.Locale;

/**
 * A possibly schema-qualified object name as written. Objects are matched by their last part, case-insensitively:
 * migrations rarely create two tables of one name in different schemas, and missing a match only makes a
 * finding more cautious.
 *
 * @param parts the dotted parts, unquoted
 * @param at    the first token, for the line of a finding
 */
record Name(List<String> parts, SqlToken at) {

    Name {
        parts = List.copyOf(parts);
    }

    static Name of(String name) {
        return new Name(List.of(name), null);
    }

    /** What objects are matched by. */
    String key() {
        return parts.get(parts.size() - 1).toLowerCase(Locale.ROOT);
    }

    /** As written, without quotes. */
    String display() {
        return String.join(".", parts);
    }

    @Override
    public String toString() {
        return display();
    }
}
