package dev.switchback.backup;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A command-line tool run as a child process; secrets go through its environment, never its arguments. */
final class Tool {
    private final List<String> command;
    private final Map<String, String> env;

    Tool(List<String> command, Map<String, String> env) {
        this.command = List.copyOf(command);
        this.env = env;
    }

    String name() {
        return command.get(0);
    }

    Process start() {
        try {
            return builder().start();
        } catch (IOException e) {
            throw cannotRun(e);
        }
    }

    /** The process builder, for pipelines whose children are joined by OS pipes ({@link ProcessBuilder#startPipeline}). */
    ProcessBuilder builder() {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        return pb;
    }

    SwitchbackException cannotRun(IOException e) {
        return new SwitchbackException(ErrorCode.CONFIG, "Cannot run " + name() + ": " + e.getMessage()
                + ". Install it (Debian: postgresql-client or mariadb-client) or set its path in the backup: section.", e);
    }

    /** Runs to the end and returns stdout; a non-zero exit is an error carrying the tail of stderr. */
    String run(String what) {
        Process p = start();
        StderrTail err = StderrTail.drain(p);
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc != 0) {
                throw failed(what, rc, err.text());
            }
            return out;
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, what + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SwitchbackException(ErrorCode.FAILED, what + " was interrupted");
        }
    }

    SwitchbackException failed(String what, int rc, String stderr) {
        return new SwitchbackException(ErrorCode.FAILED, what + " failed: " + name() + " exited with " + rc
                + (stderr.isBlank() ? "" : ":\n  " + stderr.strip().replace("\n", "\n  ")));
    }

    /** The major version a tool prints for --version (e.g. 15 for "pg_dump (PostgreSQL) 15.20"). */
    static int majorVersion(String versionOutput) {
        Matcher m = Pattern.compile("(\\d+)\\.(\\d+)").matcher(versionOutput);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    static String firstLine(String s) {
        return s.strip().split("\n", 2)[0];
    }

    /** Keeps the last lines a child wrote to stderr, read on a thread so the child never blocks on a full pipe. */
    static final class StderrTail {
        private final List<String> lines = new ArrayList<>();
        private final Thread thread;

        private StderrTail(InputStream in) {
            thread = new Thread(() -> {
                try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (lines) {
                            lines.add(line);
                            if (lines.size() > 20) {
                                lines.remove(0);
                            }
                        }
                    }
                } catch (IOException ignored) {
                    // the child is gone; what we have is what there is
                }
            }, "switchback-stderr");
            thread.setDaemon(true);
            thread.start();
        }

        static StderrTail drain(Process p) {
            return new StderrTail(p.getErrorStream());
        }

        String text() {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }
    }

    static void copy(InputStream in, java.io.OutputStream out) throws IOException {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
        }
    }

    static String drainToString(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        copy(in, b);
        return b.toString(StandardCharsets.UTF_8);
    }
}
