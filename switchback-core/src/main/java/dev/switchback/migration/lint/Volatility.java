package dev.switchback.migration.lint;

import dev.switchback.migration.sql.SqlToken;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a DEFAULT expression is volatile. From PostgreSQL 11, ADD COLUMN with a non-volatile default stores the value
 * once in the catalog; a volatile one (a different value per row) makes PostgreSQL rewrite the table to fill it in.
 */
final class Volatility {
    /** Functions PostgreSQL marks volatile that migrations use as defaults. */
    private static final Set<String> VOLATILE = Set.of("random", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc",
            "uuid_generate_v4", "uuidv4", "uuidv7", "clock_timestamp", "timeofday", "nextval", "setval", "gen_random_bytes",
            "random_normal", "txid_current", "pg_current_xact_id");
    /** Stable and immutable functions seen in defaults: the value is computed once for the whole ALTER. */
    private static final Set<String> NOT_VOLATILE = Set.of("now", "current_timestamp", "transaction_timestamp",
            "statement_timestamp", "localtimestamp", "current_date", "current_time", "localtime", "lower", "upper",
            "coalesce", "nullif", "greatest", "least", "concat", "concat_ws", "length", "to_json", "to_jsonb",
            "jsonb_build_object", "json_build_object", "jsonb_build_array", "json_build_array", "array", "row", "cast",
            "make_date", "make_time", "make_timestamp", "make_timestamptz", "make_interval", "date_trunc", "to_char",
            "to_timestamp", "to_date", "to_number", "abs", "round", "floor", "ceil", "trunc", "replace", "substring",
            "substr", "trim", "btrim", "ltrim", "rtrim", "md5", "encode", "decode", "current_setting", "current_user",
            "session_user", "current_schema", "timezone", "interval", "array_fill", "format", "left", "right", "lpad",
            "rpad", "repeat", "date", "extract", "date_part", "num_nonnulls", "point");

    enum Kind { CONSTANT, VOLATILE, UNKNOWN }

    /** The verdict and the function that decided it (null for CONSTANT). */
    record Verdict(Kind kind, String function) {
    }

    private Volatility() {
    }

    static Verdict of(List<SqlToken> expr) {
        String unknown = null;
        for (int i = 0; i < expr.size(); i++) {
            SqlToken t = expr.get(i);
            if (t.type() != SqlToken.Type.WORD || i + 1 >= expr.size() || !expr.get(i + 1).isSymbol('(')) {
                continue;
            }
            // a type in a cast, as in 'x'::varchar(10), is not a call
            if (i >= 2 && expr.get(i - 1).isSymbol(':') && expr.get(i - 2).isSymbol(':')) {
                continue;
            }
            String fn = t.text().toLowerCase(Locale.ROOT);
            if (VOLATILE.contains(fn)) {
                return new Verdict(Kind.VOLATILE, fn + "()");
            }
            if (!NOT_VOLATILE.contains(fn) && unknown == null && !isTypeName(fn)) {
                unknown = fn + "()";
            }
        }
        return unknown == null ? new Verdict(Kind.CONSTANT, null) : new Verdict(Kind.UNKNOWN, unknown);
    }

    private static boolean isTypeName(String word) {
        return Set.of("varchar", "char", "numeric", "decimal", "timestamp", "timestamptz", "time", "bit", "varbit").contains(word);
    }
}
