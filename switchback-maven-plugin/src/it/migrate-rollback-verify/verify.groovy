// what the build printed, and what it left in the database; then the database is dropped
def log = new File(basedir, 'build.log').text
def query = { String db, String sql ->
    def c = new org.postgresql.Driver().connect('jdbc:postgresql://127.0.0.1:5432/' + db, [user: 'postgres'] as Properties)
    try {
        def rs = c.createStatement().executeQuery(sql)
        def rows = []
        while (rs.next()) { rows << rs.getString(1) }
        rows
    } finally { c.close() }
}
try {
    assert log.contains('BUILD SUCCESS')
    assert log.contains('switchback-maven-plugin') && log.contains(':migrate') && log.contains(':rollback')
    // history: 001 applied, 002 applied then rolled back
    def history = query('switchback_maven_it_ok', "SELECT version || ' ' || state FROM switchback_history ORDER BY installed_rank")
    assert history == ['001 success'] : history
    def tables = query('switchback_maven_it_ok', "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('customers', 'orders')")
    assert tables == ['customers'] : tables
} finally {
    def c = new org.postgresql.Driver().connect('jdbc:postgresql://127.0.0.1:5432/postgres', [user: 'postgres'] as Properties)
    try { c.createStatement().execute('DROP DATABASE IF EXISTS switchback_maven_it_ok WITH (FORCE)') } finally { c.close() }
}
return true
