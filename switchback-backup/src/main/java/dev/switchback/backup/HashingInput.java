package dev.switchback.backup;

import java.io.IOException;
import java.io.InputStream;

/** Hashes what is read through it; close() leaves the file open so {@link #finish()} can hash the rest. */
final class HashingInput extends java.io.FilterInputStream {
    private final java.security.MessageDigest digest;
    private long bytes;

    HashingInput(InputStream in) {
        super(in);
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            digest.update(b, off, n);
            bytes += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        return read(new byte[(int) Math.min(n, 1 << 16)]);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() {
        // kept open for finish()
    }

    long bytes() {
        return bytes;
    }

    /** Reads the rest of the file through the digest, closes it and returns the hex SHA-256 of all of it. */
    synchronized String finish() throws IOException {
        try (InputStream rest = in) {
            byte[] buf = new byte[1 << 16];
            while (read(buf, 0, buf.length) >= 0) {
                // hashing
            }
        }
        return java.util.HexFormat.of().formatHex(digest.digest());
    }

    void discard() throws IOException {
        in.close();
    }
}
