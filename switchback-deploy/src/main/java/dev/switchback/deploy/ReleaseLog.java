package dev.switchback.deploy;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A slot's release log read in pieces, for {@code upgrade logs [-f]}. A follower hands back the file and offset it
 * got; when the slot has a new log file since (another release started there), it gets that file from the start of its
 * latest run, so following carries on across a restart. A restart of the same release appends to the same file, and
 * the offset simply goes on.
 *
 * @param file   the log file read
 * @param offset where the next read starts (bytes)
 * @param text   whole lines only
 * @param newFile true when the slot's log is not the file the follower was reading
 */
public record ReleaseLog(String slot, String release, String file, long offset, String text, boolean newFile) {
    /** The most one answer carries; a follower far behind gets the rest in the next answers. */
    static final int MAX_BYTES = 1 << 20;

    /**
     * @param from   the file the follower read, or null for the first read
     * @param offset where it got to in {@code from}
     * @param lines  how many of the last lines the first read returns
     */
    public static ReleaseLog read(Slot slot, SlotState s, String from, long offset, int lines) {
        if (s.log() == null) {
            throw new SwitchbackException(ErrorCode.CONFIG, "Slot " + slot.id() + " has no release log yet (nothing ever ran there)");
        }
        Path file = Path.of(s.log());
        try {
            long size = Files.exists(file) ? Files.size(file) : 0;
            boolean newFile = from != null && !from.equals(s.log());
            long start;
            if (from == null) {
                start = startOfLastLines(file, size, lines);
            } else if (newFile) {
                start = startOfLatestRun(file, size);
            } else {
                start = offset > size ? 0 : offset; // truncated meanwhile: from its start again
            }
            byte[] bytes = readRange(file, start, (int) Math.min(MAX_BYTES, size - start));
            int whole = bytes.length;
            while (whole > 0 && bytes[whole - 1] != '\n') {
                whole--;
            }
            if (whole == 0 && bytes.length == MAX_BYTES) {
                whole = bytes.length; // one line longer than an answer: sent in pieces
            }
            return new ReleaseLog(slot.id(), s.release(), s.log(), start + whole, new String(bytes, 0, whole, StandardCharsets.UTF_8),
                    newFile);
        } catch (IOException e) {
            throw new SwitchbackException(ErrorCode.FAILED, "Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readRange(Path file, long start, int length) throws IOException {
        if (length <= 0) {
            return new byte[0];
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] b = new byte[length];
            f.seek(start);
            f.readFully(b);
            return b;
        }
    }

    /** Where the last {@code lines} whole lines begin, looking back at most {@link #MAX_BYTES}. */
    private static long startOfLastLines(Path file, long size, int lines) throws IOException {
        long from = Math.max(0, size - MAX_BYTES);
        byte[] b = readRange(file, from, (int) (size - from));
        int seen = 0;
        for (int i = b.length - 2; i >= 0; i--) {
            if (b[i] == '\n' && ++seen == lines) {
                return from + i + 1;
            }
        }
        return from;
    }

    /** Where the supervisor's last "--- <time> starting" line begins: the current run of the release. */
    private static long startOfLatestRun(Path file, long size) throws IOException {
        long from = Math.max(0, size - MAX_BYTES);
        String text = new String(readRange(file, from, (int) (size - from)), StandardCharsets.ISO_8859_1);
        int at = text.lastIndexOf("\n--- ");
        return at < 0 ? from : from + at + 1;
    }
}
