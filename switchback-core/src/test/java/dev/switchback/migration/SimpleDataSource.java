package dev.switchback.migration;

import dev.switchback.migration.testing.TestDatabase;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;

/** The smallest real DataSource: a new driver connection each time, as an application's pool would hand out. */
final class SimpleDataSource implements javax.sql.DataSource {
    private final TestDatabase db;

    SimpleDataSource(TestDatabase db) {
        this.db = db;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return db.connect();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return db.connect();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
