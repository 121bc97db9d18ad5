package dev.switchback.backup;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One PostgreSQL restore as one transaction. pg_restore's SQL goes straight into psql through an OS pipe (the script
 * never passes through this JVM), and psql runs its inputs in one session: {@code begin.sql} (the guard, BEGIN, the
 * drops), the script, the large objects' data when the dump has any, then the FIFO {@code verdict.sql}, which blocks
 * until this JVM writes COMMIT or ROLLBACK. COMMIT is written only when every pg_restore exited 0 and the dump passed
 * its checksum ({@link DumpEngine.DumpSource#confirm()}).
 *
 * <p>Nothing in the stream can end that transaction early: before BEGIN the session arms a deferred constraint trigger
 * (enabled ALWAYS, so {@code session_replication_role} cannot switch it off) that fails any COMMIT not preceded by the
 * verdict's own call, and makes read-only the default for any later transaction (so a stray ROLLBACK cannot be followed
 * by writes). pg_restore itself wraps large-object data in BEGIN/COMMIT: that section is restored by a second
 * pg_restore run whose output alone passes through this JVM, which drops exactly those two lines. A marker schema
 * created first in the transaction proves afterwards whether any of it was committed ({@link #committedSomething()}).
 */
final class PgRestorePipeline {
    /** A data entry of large objects in {@code pg_restore --list}: {@code 3340; 0 0 BLOBS - BLOBS }. */
    private static final Pattern BLOBS = Pattern.compile("^\\d+; \\d+ \\d+ BLOBS .*");
    private static final String GUARD = """
            CREATE TEMP TABLE switchback_restore_guard (armed boolean);
            CREATE FUNCTION pg_temp.switchback_restore_guard() RETURNS trigger LANGUAGE plpgsql AS $sb$
            BEGIN
              IF current_setting('switchback.restore_verdict', true) IS DISTINCT FROM 'commit' THEN
                RAISE EXCEPTION 'the backup''s SQL tried to end the restore transaction (COMMIT in the stream): refused, everything is rolled back';
              END IF;
              RETURN NULL;
            END $sb$;
            CREATE FUNCTION pg_temp.switchback_restore_commit() RETURNS void LANGUAGE plpgsql AS $sb$
            BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_temp.switchback_restore_guard) THEN
                RAISE EXCEPTION 'the restore transaction was ended by the backup''s SQL (ROLLBACK in the stream): nothing is committed';
              END IF;
              PERFORM set_config('switchback.restore_verdict', 'commit', true);
            END $sb$;
            CREATE CONSTRAINT TRIGGER switchback_restore_guard AFTER INSERT ON pg_temp.switchback_restore_guard
              DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pg_temp.switchback_restore_guard();
            ALTER TABLE pg_temp.switchback_restore_guard ENABLE ALWAYS TRIGGER switchback_restore_guard;
            SET default_transaction_read_only = on;
            BEGIN READ WRITE;
            INSERT INTO pg_temp.switchback_restore_guard VALUES (true);
            """;

    private final PsqlTools tools;
    private final String marker = "switchback_restore_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    /** How to run pg_restore and psql against the target. */
    interface PsqlTools {
        Tool pgRestore(List<String> args);

        Tool psql(List<String> args);
    }

    PgRestorePipeline(PsqlTools tools) {
        this.tools = tools;
    }

    /** The schema created first inside the restore transaction; it exists afterwards only if something committed. */
    String marker() {
        return marker;
    }

    /**
     * @param toc       {@code pg_restore --list} of the dump, without its comment lines
     * @param statements the drops (and anything else) to run in the transaction before the dump's script
     */
    void run(DumpEngine.DumpSource dump, List<String> toc, String statements, String targetName) throws IOException {
        Path work = Files.createTempDirectory("switchback-restore-",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        try {
            List<String> blobs = toc.stream().filter(l -> BLOBS.matcher(l).matches()).toList();
            Path begin = Files.writeString(work.resolve("begin.sql"), GUARD + "CREATE SCHEMA " + marker + ";\nSET lock_timeout = '60s';\n"
                    + statements);
            Path verdict = mkfifo(work.resolve("verdict.sql"));
            List<String> mainArgs = new ArrayList<>(List.of("--no-owner", "--file=-"));
            Path blobFifo = null;
            Path blobList = null;
            if (!blobs.isEmpty()) {
                Path mainList = Files.write(work.resolve("main.list"), toc.stream().map(l -> blobs.contains(l) ? ";" + l : l).toList());
                blobList = Files.write(work.resolve("blobs.list"), blobs);
                mainArgs.add("--use-list=" + mainList);
                blobFifo = mkfifo(work.resolve("large-objects.sql"));
            }
            List<String> psqlArgs = new ArrayList<>(List.of("-f", begin.toString(), "-f", "-"));
            if (blobFifo != null) {
                psqlArgs.addAll(List.of("-f", blobFifo.toString()));
            }
            psqlArgs.addAll(List.of("-f", verdict.toString()));
            execute(dump, mainArgs, blobList, blobFifo, psqlArgs, verdict, targetName);
        } finally {
            BackupCatalog.deleteTree(work);
        }
    }

    private void execute(DumpEngine.DumpSource dump, List<String> mainArgs, Path blobList, Path blobFifo, List<String> psqlArgs,
                         Path verdict, String targetName) throws IOException {
        Tool psql = tools.psql(psqlArgs);
        // a plain dump file is read by pg_restore itself (no copy through this JVM) while a thread hashes it alongside;
        // an encrypted one is decrypted here and fed to pg_restore's stdin
        Path plain = dump.file();
        Tool pgRestore = tools.pgRestore(withFile(mainArgs, plain));
        List<Process> processes;
        try {
            processes = ProcessBuilder.startPipeline(List.of(pgRestore.builder(),
                    psql.builder().redirectOutput(ProcessBuilder.Redirect.DISCARD)));
        } catch (IOException e) {
            // Java names the program it could not run
            throw (String.valueOf(e.getMessage()).contains("\"" + psql.name() + "\"") ? psql : pgRestore).cannotRun(e);
        }
        Process restore = processes.get(0);
        Process sql = processes.get(1);
        Tool.StderrTail restoreErr = Tool.StderrTail.drain(restore);
        Tool.StderrTail sqlErr = Tool.StderrTail.drain(sql);
        PostgresEngine.Feeder feeder = plain == null ? new PostgresEngine.Feeder(dump, restore.getOutputStream())
                : PostgresEngine.Feeder.hashing(dump, restore.getOutputStream());
        int restoreRc = PostgresEngine.waitFor(restore);
        Exception refused = finish(feeder);
        String failedStep = restoreRc != 0 ? "pg_restore" : null;
        String failedText = restoreErr.text();
        LargeObjects lo = null;
        if (blobFifo != null) {
            boolean run = restoreRc == 0 && refused == null;
            lo = new LargeObjects(dump, plain, blobList, blobFifo, run);
            if (run) {
                int loRc = lo.await(sql);
                refused = lo.feederFailure();
                // when psql stopped first, its own error (reported below) says why, not this run's
                if (loRc != 0 && failedStep == null && sql.isAlive()) {
                    failedStep = "pg_restore of the large objects";
                    failedText = lo.stderr();
                } else if (loRc != 0 && failedStep == null) {
                    failedStep = "";
                }
            }
        }
        if (refused == null) {
            try {
                // also when pg_restore failed: a corrupt file explains that better than pg_restore can
                dump.confirm();
            } catch (SwitchbackException | IOException e) {
                refused = e;
            }
        }
        boolean commit = failedStep == null && refused == null;
        // the marker is committed with the restore: its presence afterwards tells a commit from a rollback (the engine
        // drops it once the restore has succeeded)
        Thread writer = writeFifo(verdict, commit ? "SELECT pg_temp.switchback_restore_commit();\nCOMMIT;\n" : "ROLLBACK;\n");
        int sqlRc = PostgresEngine.waitFor(sql);
        // only now that psql is gone may a FIFO it never opened be opened here to free its writer
        release(writer, verdict);
        if (lo != null) {
            lo.release();
        }
        String asItWas = "\nThe transaction was rolled back: " + targetName + " is as it was.";
        if (refused != null) {
            if (refused instanceof SwitchbackException se && se.code() == ErrorCode.VERIFICATION) {
                throw new SwitchbackException(ErrorCode.VERIFICATION, refused.getMessage() + " (the restore transaction was rolled back)", refused);
            }
            throw new SwitchbackException(ErrorCode.FAILED, "Restore failed reading the backup: " + refused.getMessage() + asItWas, refused);
        }
        if (failedStep != null && !failedStep.isEmpty()) {
            throw new SwitchbackException(ErrorCode.FAILED, "Restore failed at step " + failedStep + ": " + failedText.strip() + asItWas);
        }
        if (sqlRc != 0) {
            throw new SwitchbackException(ErrorCode.FAILED, "Restore failed at step psql (exit " + sqlRc + "): " + sqlErr.text().strip()
                    + (commit ? "" : asItWas));
        }
    }

    private static List<String> withFile(List<String> args, Path plain) {
        List<String> out = new ArrayList<>(args);
        if (plain != null) {
            out.add(plain.toString());
        }
        return out;
    }

    private static Exception finish(PostgresEngine.Feeder feeder) {
        try {
            feeder.finish();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /**
     * The second pg_restore run, of the large objects' data alone: its output is copied into psql's large-object FIFO
     * without the {@code BEGIN;} and {@code COMMIT;} lines pg_restore puts around it. When it is not to run, the FIFO is
     * opened and closed empty so psql moves on to the verdict.
     */
    private final class LargeObjects {
        private final Path fifo;
        private Process process;
        private Tool.StderrTail err;
        private PostgresEngine.Feeder feeder;
        private final Thread copier;

        LargeObjects(DumpEngine.DumpSource dump, Path plain, Path list, Path fifo, boolean run) {
            this.fifo = fifo;
            if (!run) {
                copier = writeFifo(fifo, "");
                return;
            }
            Tool tool = tools.pgRestore(withFile(List.of("--no-owner", "--file=-", "--use-list=" + list), plain));
            process = tool.start();
            err = Tool.StderrTail.drain(process);
            if (plain == null) {
                feeder = new PostgresEngine.Feeder(dump, process.getOutputStream());
            } else {
                try {
                    process.getOutputStream().close(); // it reads the file itself
                } catch (IOException ignored) {
                    // nothing was to be written
                }
            }
            InputStream script = process.getInputStream();
            copier = new Thread(() -> {
                try (InputStream in = new BufferedInputStream(script, 1 << 16);
                     OutputStream out = new BufferedOutputStream(new java.io.FileOutputStream(fifo.toFile()), 1 << 16)) {
                    copyWithoutTransactionControl(in, out);
                } catch (IOException ignored) {
                    // psql went away; its exit code says why
                }
            }, "switchback-large-objects");
            copier.setDaemon(true);
            copier.start();
        }

        /**
         * Waits for the run and for its output to reach psql; if psql stops first (it failed), this run is stopped and
         * -1 returned. Nothing here opens the FIFO itself: that is {@link #release()}'s, once psql is gone.
         */
        int await(Process psql) {
            try {
                while (!process.waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    if (!psql.isAlive()) {
                        process.destroyForcibly();
                        return -1;
                    }
                }
                while (copier.isAlive()) {
                    if (!psql.isAlive()) {
                        return -1;
                    }
                    copier.join(200);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                return -1;
            }
            return process.exitValue();
        }

        Exception feederFailure() {
            return feeder == null ? null : finish(feeder);
        }

        String stderr() {
            return err == null ? "" : err.text();
        }

        void release() {
            PgRestorePipeline.release(copier, fifo);
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    private static final byte[] BEGIN = "BEGIN;".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMMIT = "COMMIT;".getBytes(StandardCharsets.US_ASCII);

    /** Copies line by line, leaving out lines that are exactly {@code BEGIN;} or {@code COMMIT;}. */
    static void copyWithoutTransactionControl(InputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(1 << 16);
        int b;
        while ((b = in.read()) >= 0) {
            if (b != '\n') {
                line.write(b);
                continue;
            }
            byte[] l = line.toByteArray();
            if (!Arrays.equals(l, BEGIN) && !Arrays.equals(l, COMMIT)) {
                out.write(l);
                out.write('\n');
            }
            line.reset();
        }
        line.writeTo(out);
    }

    private static Path mkfifo(Path fifo) {
        new Tool(List.of("mkfifo", "-m", "600", fifo.toString()), Map.of()).run("mkfifo " + fifo);
        return fifo;
    }

    /** Opening a FIFO for writing blocks until its reader opens it: done on a thread of its own. */
    private static Thread writeFifo(Path fifo, String sql) {
        Thread t = new Thread(() -> {
            try (OutputStream out = new java.io.FileOutputStream(fifo.toFile())) {
                out.write(sql.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // psql went away without reading it: it failed, and its exit code says so
            }
        }, "switchback-verdict");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** psql has exited; if it never opened the FIFO (it failed before), open it here so the writer is not left blocked. */
    private static void release(Thread writer, Path fifo) {
        PostgresEngine.join(writer, 200);
        if (writer.isAlive()) {
            try (InputStream in = new java.io.FileInputStream(fifo.toFile())) {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // nothing to read; the point was to open it
            }
            PostgresEngine.join(writer, 10_000);
        }
    }
}
