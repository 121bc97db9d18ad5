package dev.switchback.migration.lint;

/**
 * Verdicts the rules and the expected effects share, so that a finding and the checklist never disagree: does this
 * ADD COLUMN rewrite the table, does this type change.
 */
final class Judgements {
    /** A verdict (TRUE, FALSE, or null: cannot tell) and the reason in words. */
    record Verdict(Boolean rewrite, String why) {
    }

    private Judgements() {
    }

    /** Whether PostgreSQL {@code pgVersion} rewrites the table to add {@code c}. */
    static Verdict addColumn(ColumnDef c, int pgVersion) {
        if (ColumnTypes.isSerial(c.type())) {
            return new Verdict(true, "a " + c.type() + " column fills every existing row from a sequence");
        }
        if (c.identity()) {
            return new Verdict(true, "an identity column fills every existing row from a sequence");
        }
        if (c.storedGenerated()) {
            return new Verdict(true, "a stored generated column is computed for every existing row");
        }
        if (!c.hasDefault()) {
            return new Verdict(false, null);
        }
        if (pgVersion < 11) {
            return new Verdict(true, "before PostgreSQL 11 every DEFAULT is written into every existing row");
        }
        Volatility.Verdict v = Volatility.of(c.defaultExpr());
        return switch (v.kind()) {
            case VOLATILE -> new Verdict(true, "the default " + v.function() + " is volatile, so PostgreSQL writes a value into every row");
            case UNKNOWN -> new Verdict(null, "the default calls " + v.function() + ", which lint does not know to be stable; "
                    + "a volatile default makes PostgreSQL write a value into every row");
            case CONSTANT -> new Verdict(false, null);
        };
    }

    /** Whether {@code ALTER COLUMN TYPE} rewrites the table, given what the schema knows of the column. */
    static Verdict typeChange(Schema.Column current, Action a) {
        String from = current == null ? null : current.type();
        if (a.flag()) {
            return new Verdict(true, "USING converts every row");
        }
        Boolean keeps = ColumnTypes.keepsTable(from, a.newName());
        if (keeps == null) {
            return new Verdict(null, "the column's current type is not known from the migrations, so lint cannot tell "
                    + "whether " + a.newName() + " is a binary-coercible change");
        }
        return keeps ? new Verdict(false, null)
                : new Verdict(true, from + " to " + a.newName() + " is not binary-coercible, so every row is rewritten");
    }
}
