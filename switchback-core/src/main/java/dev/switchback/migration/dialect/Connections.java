package dev.switchback.migration.dialect;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens connections to the database being migrated. */
@FunctionalInterface
public interface Connections {
    Connection open() throws SQLException;
}
