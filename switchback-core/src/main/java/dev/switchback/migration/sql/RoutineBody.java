package dev.switchback.migration.sql;

import java.util.List;

/**
 * Follows BEGIN ... END nesting in a routine or trigger definition so the splitter keeps the {@code ;}
 * inside its body. Only BEGIN and CASE open a level: IF, LOOP, WHILE and REPEAT also appear as functions
 * ({@code IF(a, b, c)}), so their {@code END IF}-style closers are recognised and passed over instead.
 */
final class RoutineBody {

    private final List<SqlToken> tokens;
    private final SqlFlavor flavor;
    private int depth;
    private int closedCase = -1;

    private RoutineBody(List<SqlToken> tokens, SqlFlavor flavor) {
        this.tokens = tokens;
        this.flavor = flavor;
    }

    /**
     * A tracker when the statement whose first token is at {@code first} defines a routine that may hold
     * a body: CREATE [OR REPLACE] [DEFINER = user] [TEMP | TEMPORARY | AGGREGATE] TRIGGER / PROCEDURE /
     * FUNCTION / EVENT in MySQL and SQLite, CREATE [OR REPLACE] FUNCTION / PROCEDURE (BEGIN ATOMIC) in
     * PostgreSQL; null for any other statement.
     */
    static RoutineBody startingAt(List<SqlToken> tokens, int first, SqlFlavor flavor) {
        RoutineBody body = new RoutineBody(tokens, flavor);
        return body.isRoutineHeader(first) ? body : null;
    }

    /** Whether a {@code ;} here is inside the body rather than ending the statement. */
    boolean open() {
        return depth > 0;
    }

    /** Feeds the statement's next significant token, at index {@code i}. */
    void accept(int i) {
        SqlToken token = tokens.get(i);
        if (token.type() != SqlToken.Type.WORD || i == closedCase) {
            return;
        }
        if (token.isWord("BEGIN")) {
            // A PostgreSQL SQL-standard body is BEGIN ATOMIC; a bare BEGIN there is not a block.
            if (flavor != SqlFlavor.POSTGRES || word(next(i), "ATOMIC")) {
                depth++;
            }
        } else if (token.isWord("CASE")) {
            depth++;
        } else if (token.isWord("END") && depth > 0) {
            int after = next(i);
            if (word(after, "IF", "LOOP", "WHILE", "REPEAT")) {
                return;
            }
            if (word(after, "CASE")) {
                closedCase = after; // the CASE of END CASE closes, it does not open
            }
            depth--;
        }
    }

    private boolean isRoutineHeader(int i) {
        if (!word(i, "CREATE")) {
            return false;
        }
        i = next(i);
        if (word(i, "OR")) {
            i = next(i);
            if (!word(i, "REPLACE")) {
                return false;
            }
            i = next(i);
        }
        if (flavor == SqlFlavor.POSTGRES) {
            return word(i, "FUNCTION", "PROCEDURE");
        }
        if (flavor == SqlFlavor.MYSQL && word(i, "DEFINER")) {
            i = skipDefiner(i);
        }
        if (word(i, "TEMP", "TEMPORARY", "AGGREGATE")) {
            i = next(i);
        }
        return word(i, "TRIGGER", "PROCEDURE", "FUNCTION", "EVENT");
    }

    /** Skips {@code DEFINER = user[@host]} or {@code DEFINER = CURRENT_USER[()]}, returning the token after. */
    private int skipDefiner(int i) {
        i = next(i);
        if (!symbol(i, '=')) {
            return i;
        }
        i = next(next(i));
        if (symbol(i, '@')) {
            i = next(next(i));
        }
        if (symbol(i, '(')) {
            i = next(i);
            if (symbol(i, ')')) {
                i = next(i);
            }
        }
        return i;
    }

    /** Index of the next token after {@code i} that is not whitespace or a comment, or -1. */
    private int next(int i) {
        if (i < 0) {
            return -1;
        }
        for (int j = i + 1; j < tokens.size(); j++) {
            if (!tokens.get(j).isTrivia()) {
                return j;
            }
        }
        return -1;
    }

    private boolean word(int i, String... keywords) {
        return i >= 0 && tokens.get(i).isAnyWord(keywords);
    }

    private boolean symbol(int i, char c) {
        return i >= 0 && tokens.get(i).isSymbol(c);
    }
}
