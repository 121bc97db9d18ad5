package dev.switchback.migration.schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One object of a schema as the catalog describes it, normalised so that equal objects are equal records.
 *
 * @param table      the table it belongs to (columns, constraints, indexes, triggers, policies, owned sequences), or null
 * @param definition what is compared; routines and views carry their full text, printed as a hash
 * @param create     SQL that creates it on the database it was read from, or null where that cannot be said safely
 * @param drop       SQL that removes it, or null
 */
public record SchemaObject(Kind kind, String table, String name, String definition, String create, String drop) {

    /** The kinds of object compared; the order is the print order. */
    public enum Kind {
        // new kinds go last: the ordinal is part of an object's key
        EXTENSION, TYPE, SEQUENCE, TABLE, COLUMN, CONSTRAINT, INDEX, VIEW, FUNCTION, TRIGGER, POLICY, EVENT;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Kinds whose definitions are long texts: printed as a hash, shown in a diff. */
        boolean longText() {
            return this == VIEW || this == FUNCTION || this == TRIGGER || this == EVENT;
        }
    }

    public SchemaObject {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        definition = definition == null ? "" : definition.strip();
    }

    static SchemaObject of(Kind kind, String table, String name, String definition) {
        return new SchemaObject(kind, table, name, definition, null, null);
    }

    /** The identity compared between schemas: kind, owning table and name. */
    public String key() {
        return kind.ordinal() + "\u0000" + (table == null ? "" : table) + "\u0000" + name;
    }

    /** How a person names it: {@code column orders.note}, {@code index users_email_idx on users}. */
    public String label() {
        if (table == null || kind == Kind.TABLE) {
            return kind.label() + " " + name;
        }
        if (kind == Kind.COLUMN || kind == Kind.CONSTRAINT) {
            return kind.label() + " " + table + "." + name;
        }
        return kind.label() + " " + name + " on " + table;
    }

    /** The definition as printed: long texts by their hash. */
    public String shownDefinition() {
        return kind.longText() ? "sha256:" + sha256(definition).substring(0, 16) : definition;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Same identity and same definition (the SQL to create or drop it is not compared). */
    boolean sameAs(SchemaObject other) {
        return key().equals(other.key()) && definition.equals(other.definition);
    }
}
