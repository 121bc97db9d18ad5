package dev.switchback.migration;

/** How many statements of a script ran before one failed, said right for none, one and several. */
final class StatementsDone {
    private StatementsDone() {
    }

    /** For a journaled migration that stopped after {@code done} statements. */
    static String journaled(int done) {
        return done == 0 ? "no statement is done; it is recorded as partial"
                : done == 1 ? "statement 1 is done and recorded as partial"
                : "statements 1.." + done + " are done and recorded as partial";
    }

    /** For a down script run outside a transaction that stopped after {@code done} statements. */
    static String ofDown(int done) {
        return done == 0 ? "No statement of the down SQL ran"
                : done == 1 ? "Statement 1 of the down SQL ran"
                : "Statements 1.." + done + " of the down SQL ran";
    }
}
