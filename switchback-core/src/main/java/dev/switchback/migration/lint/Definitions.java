package dev.switchback.migration.lint;

import dev.switchback.migration.sql.SqlToken;

import java.util.List;

/** Reads column definitions and table constraints, as in CREATE TABLE elements and ALTER TABLE ADD. */
final class Definitions {
    /** Words that end a column's type and start its constraints or options. */
    private static final String[] AFTER_TYPE = {"CONSTRAINT", "NOT", "NULL", "DEFAULT", "PRIMARY", "UNIQUE", "CHECK",
            "REFERENCES", "GENERATED", "COLLATE", "AUTO_INCREMENT", "AUTOINCREMENT", "COMMENT", "FIRST", "AFTER", "ON",
            "AS", "KEY", "VISIBLE", "INVISIBLE", "STORAGE", "COMPRESSION", "CHARSET", "SERIAL", "COLUMN_FORMAT",
            "ENGINE_ATTRIBUTE", "SECONDARY_ENGINE_ATTRIBUTE", "SRID", "STORED", "VIRTUAL", "PERSISTENT", "DEFERRABLE",
            "INITIALLY", "WITH"};
    /** Words that end a DEFAULT expression. */
    private static final String[] AFTER_DEFAULT = {"CONSTRAINT", "NOT", "PRIMARY", "UNIQUE", "CHECK", "REFERENCES",
            "GENERATED", "COLLATE", "AUTO_INCREMENT", "COMMENT", "FIRST", "AFTER", "ON", "VISIBLE", "INVISIBLE", "NULL"};

    private Definitions() {
    }

    /** Whether the element at {@code from} starts a table constraint rather than a column. */
    static boolean isConstraint(Tokens t, int from) {
        return t.wordAt(from, "CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE", "INDEX", "KEY",
                "FULLTEXT", "SPATIAL");
    }

    /** The column defined by tokens {@code [from, to)}, or null when there is no name and type. */
    static ColumnDef column(Tokens t, int from, int to) {
        SqlToken at = t.get(from);
        if (at == null || !(at.type() == SqlToken.Type.WORD || at.type() == SqlToken.Type.QUOTED_IDENTIFIER)) {
            return null;
        }
        String name = Tokens.identifier(at).toLowerCase(java.util.Locale.ROOT);
        int typeEnd = from + 1;
        int depth = 0;
        while (typeEnd < to) {
            SqlToken k = t.get(typeEnd);
            if (k.isSymbol('(') || k.isSymbol('[')) {
                depth++;
            } else if (k.isSymbol(')') || k.isSymbol(']')) {
                depth--;
            } else if (depth == 0 && typeEnd > from + 1 && endsType(t, typeEnd)) {
                break;
            }
            typeEnd++;
        }
        String type = ColumnTypes.normalise(t.text(from + 1, typeEnd));
        boolean notNull = false;
        boolean identity = ColumnTypes.isSerial(type);
        boolean stored = false;
        boolean primaryKey = false;
        boolean unique = false;
        boolean check = false;
        boolean charset = false;
        List<SqlToken> defaultExpr = null;
        Name references = null;
        int i = typeEnd;
        while (i < to) {
            SqlToken k = t.get(i);
            if (k.isSymbol('(')) {
                i = t.closing(i) + 1;
                continue;
            }
            if (k.isWord("NOT") && t.wordAt(i + 1, "NULL")) {
                notNull = true;
                i += 2;
            } else if (k.isWord("DEFAULT")) {
                int end = i + 1;
                if (t.wordAt(end, "NULL")) {
                    end++;
                } else {
                    end = expressionEnd(t, end, to);
                }
                defaultExpr = t.slice(i + 1, end);
                i = end;
            } else if (k.isWord("PRIMARY")) {
                primaryKey = true;
                notNull = true;
                i++;
            } else if (k.isWord("UNIQUE")) {
                unique = true;
                i++;
            } else if (k.isWord("CHECK")) {
                check = true;
                i++;
            } else if (k.isWord("REFERENCES")) {
                t.seek(i + 1);
                references = t.name();
                i = t.pos();
            } else if (k.isWord("IDENTITY") || k.isAnyWord("AUTO_INCREMENT", "AUTOINCREMENT", "SERIAL")) {
                identity = true;
                i++;
            } else if (k.isAnyWord("CHARACTER", "CHARSET", "COLLATE")) {
                charset = true;
                i++;
            } else if (k.isAnyWord("STORED", "PERSISTENT")) {
                stored = true;
                i++;
            } else {
                i++;
            }
        }
        return new ColumnDef(name, type, notNull, defaultExpr, identity, stored, primaryKey, unique, check, references, at, charset);
    }

    // "character varying", "timestamp with time zone" and "double precision" keep going; CHARACTER SET ends the type
    private static boolean endsType(Tokens t, int i) {
        if (t.wordAt(i, "WITH", "WITHOUT")) {
            return !t.wordAt(i + 1, "TIME", "LOCAL");
        }
        if (t.wordAt(i, "CHARACTER")) {
            return t.wordAt(i + 1, "SET");
        }
        return t.wordAt(i, AFTER_TYPE);
    }

    private static int expressionEnd(Tokens t, int from, int to) {
        int depth = 0;
        for (int i = from; i < to; i++) {
            SqlToken k = t.get(i);
            if (k.isSymbol('(')) {
                depth++;
            } else if (k.isSymbol(')')) {
                depth--;
            } else if (depth == 0 && i > from && k.isAnyWord(AFTER_DEFAULT)) {
                // "DEFAULT x NOT NULL" ends at NOT; a bare "NULL" after an expression is the NULL constraint
                return i;
            }
        }
        return to;
    }

    /** The table constraint in tokens {@code [from, to)}. */
    static ConstraintDef constraint(Tokens t, int from, int to) {
        int i = from;
        String name = null;
        if (t.wordAt(i, "CONSTRAINT")) {
            SqlToken n = t.get(i + 1);
            if (n != null && !t.wordAt(i + 1, "CHECK", "FOREIGN", "UNIQUE", "PRIMARY", "EXCLUDE")) {
                name = Tokens.identifier(n).toLowerCase(java.util.Locale.ROOT);
                i += 2;
            } else {
                i++;
            }
        }
        SqlToken at = t.get(from);
        boolean notValid = false;
        boolean usingIndex = false;
        for (int k = i; k < to; k++) {
            if (t.wordAt(k, "NOT") && t.wordAt(k + 1, "VALID")) {
                notValid = true;
            }
            if (t.wordAt(k, "USING") && t.wordAt(k + 1, "INDEX") && !t.wordAt(k + 2, "TABLESPACE") && k + 2 < to) {
                usingIndex = true;
            }
        }
        ConstraintDef.Kind kind;
        Name references = null;
        String notNullColumn = null;
        if (t.wordAt(i, "CHECK")) {
            kind = ConstraintDef.Kind.CHECK;
            notNullColumn = isNotNullCheck(t, i + 1);
        } else if (t.wordAt(i, "FOREIGN")) {
            kind = ConstraintDef.Kind.FOREIGN_KEY;
            int ref = t.findTopLevel(i, to, "REFERENCES");
            if (ref >= 0) {
                t.seek(ref + 1);
                references = t.name();
            }
        } else if (t.wordAt(i, "UNIQUE")) {
            kind = ConstraintDef.Kind.UNIQUE;
        } else if (t.wordAt(i, "PRIMARY")) {
            kind = ConstraintDef.Kind.PRIMARY_KEY;
        } else if (t.wordAt(i, "EXCLUDE")) {
            kind = ConstraintDef.Kind.EXCLUDE;
        } else if (t.wordAt(i, "INDEX", "KEY", "FULLTEXT", "SPATIAL")) {
            kind = ConstraintDef.Kind.INDEX;
        } else {
            kind = ConstraintDef.Kind.OTHER;
        }
        return new ConstraintDef(kind, name, notValid, usingIndex, references, notNullColumn, at);
    }

    /** The column of a {@code CHECK (col IS NOT NULL)} whose parenthesis opens at {@code open}, else null. */
    private static String isNotNullCheck(Tokens t, int open) {
        if (!t.symbolAt(open, '(')) {
            return null;
        }
        int close = t.closing(open);
        int a = open + 1;
        int b = close;
        while (t.symbolAt(a, '(') && t.closing(a) == b - 1) {
            a++;
            b--;
        }
        SqlToken col = t.get(a);
        if (b - a == 4 && col != null && (col.type() == SqlToken.Type.WORD || col.type() == SqlToken.Type.QUOTED_IDENTIFIER)
                && t.wordAt(a + 1, "IS") && t.wordAt(a + 2, "NOT") && t.wordAt(a + 3, "NULL")) {
            return Tokens.identifier(col).toLowerCase(java.util.Locale.ROOT);
        }
        return null;
    }
}
