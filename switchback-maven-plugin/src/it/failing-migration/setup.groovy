// a fresh database for this build (the plugin's test class path has the PostgreSQL driver)
def admin = { String sql ->
    def c = new org.postgresql.Driver().connect('jdbc:postgresql://127.0.0.1:5432/postgres', [user: 'postgres'] as Properties)
    try { c.createStatement().execute(sql) } finally { c.close() }
}
admin('DROP DATABASE IF EXISTS switchback_maven_it_fail WITH (FORCE)')
admin('CREATE DATABASE switchback_maven_it_fail')
return true
