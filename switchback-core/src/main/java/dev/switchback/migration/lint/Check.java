package dev.switchback.migration.lint;

/** A group of rules looking at one statement in its migration. */
interface Check {
    void check(Stmt s, Scope scope, Effect effect, Findings out);
}
