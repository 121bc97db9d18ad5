package dev.switchback.migration;

import dev.switchback.migration.testing.TestDatabase;

import java.nio.file.Path;

class MariaDbToolFormatsIT extends ToolFormatsContract {
    @Override
    protected TestDatabase newDatabase(Path tmp) {
        return TestDatabase.mariadb();
    }

    @Override
    String routine() {
        return """
                CREATE PROCEDURE post_touch()
                BEGIN
                  UPDATE post SET title = title WHERE id = 0;
                  UPDATE post SET body = body WHERE id = 0;
                END;""";
    }

    @Override
    String dropRoutine() {
        return "DROP PROCEDURE post_touch;";
    }
}
