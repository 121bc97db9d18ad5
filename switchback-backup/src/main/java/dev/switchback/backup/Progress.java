package dev.switchback.backup;

import java.io.PrintStream;
import java.util.Locale;

/** Bytes and rate of long work, redrawn on one line of a terminal; silent when stderr is not a TTY. */
final class Progress {
    static final Progress NONE = new Progress(null, "");
    private final PrintStream out;
    private final String what;
    private final long started = System.nanoTime();
    private long bytes;
    private long lastDraw;

    private Progress(PrintStream out, String what) {
        this.out = out;
        this.what = what;
    }

    static Progress of(String what) {
        return System.console() != null ? new Progress(System.err, what) : NONE;
    }

    void advance(long n) {
        bytes += n;
        if (out == null) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw > 200_000_000L) {
            lastDraw = now;
            double seconds = Math.max(0.001, (now - started) / 1e9);
            out.printf(Locale.ROOT, "\r%s %8.1f MB  %6.1f MB/s ", what, bytes / 1e6, bytes / 1e6 / seconds);
            out.flush();
        }
    }

    void done() {
        if (out != null && lastDraw != 0) {
            out.print("\r\033[K");
            out.flush();
        }
    }
}
