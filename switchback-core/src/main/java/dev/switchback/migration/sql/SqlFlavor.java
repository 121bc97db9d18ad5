package dev.switchback.migration.sql;

/** The lexical rules a script follows; each dialect names one. */
public enum SqlFlavor {
    /** Standard strings, E'' escapes, dollar quoting, BEGIN ATOMIC bodies. */
    POSTGRES,
    /** Backslash escapes, backtick identifiers, DELIMITER lines, BEGIN ... END bodies. */
    MYSQL,
    /** Backtick and [bracket] identifiers, trigger bodies BEGIN ... END. */
    SQLITE
}
