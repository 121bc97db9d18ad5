def log = new File(basedir, 'build.log').text
try {
    assert log.contains('BUILD FAILURE')
    assert log.contains('switchback migrate exited 1 (failed)') : 'the exit code and its meaning'
    assert log.contains('no_such_table') : 'the database message, as the CLI prints it'
} finally {
    def c = new org.postgresql.Driver().connect('jdbc:postgresql://127.0.0.1:5432/postgres', [user: 'postgres'] as Properties)
    try { c.createStatement().execute('DROP DATABASE IF EXISTS switchback_maven_it_fail WITH (FORCE)') } finally { c.close() }
}
return true
