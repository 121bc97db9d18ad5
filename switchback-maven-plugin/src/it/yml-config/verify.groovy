// the file the switchback.yml names holds the migrated schema and the history in the table it names
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
assert log.contains('Migrated from none to 2: 2 applied')
assert log.contains('Verified jdbc:sqlite:') && log.contains('the history matches the migration files')
def db = new File(basedir, 'target/yml-config.db')
assert db.isFile() : 'the SQLite file named in switchback.yml, resolved against its folder'
def c = new org.sqlite.JDBC().connect('jdbc:sqlite:' + db.absolutePath, new Properties())
try {
    def rows = { String sql ->
        def rs = c.createStatement().executeQuery(sql)
        def out = []
        while (rs.next()) { out << rs.getString(1) }
        out
    }
    assert rows("SELECT version || ' ' || state FROM app_history ORDER BY installed_rank") == ['1 success', '2 success']
    assert rows("SELECT name FROM pragma_table_info('notes') ORDER BY cid") == ['id', 'body', 'author']
} finally {
    c.close()
}
return true
