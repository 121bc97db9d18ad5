package dev.switchback.backup;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Counts and hashes what passes through, so checksums cost no second pass over the file. */
final class Sha256Sink extends FilterOutputStream {
    private final MessageDigest digest;
    private final Progress progress;
    private long bytes;

    Sha256Sink(OutputStream out, Progress progress) {
        super(out);
        this.progress = progress;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        digest.update(b, off, len);
        bytes += len;
        progress.advance(len);
    }

    long bytes() {
        return bytes;
    }

    String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }

    static String of(java.nio.file.Path file, Progress progress) throws IOException {
        try (Sha256Sink sink = new Sha256Sink(OutputStream.nullOutputStream(), progress);
             var in = java.nio.file.Files.newInputStream(file)) {
            in.transferTo(sink);
            return sink.hex();
        }
    }
}
