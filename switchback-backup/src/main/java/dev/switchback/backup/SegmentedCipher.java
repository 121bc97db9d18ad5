package dev.switchback.backup;

import dev.switchback.migration.ErrorCode;
import dev.switchback.migration.SwitchbackException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * AES-256-GCM in 1 MiB segments, so files of any size stream in constant memory (a single GCM message
 * would have to be buffered whole to be authenticated). Each segment has its own nonce (a fresh random
 * prefix per file plus the segment number) and authenticates its number and whether it is the last one,
 * so reordered, dropped or truncated segments are detected. A key check block tells a wrong key from a
 * corrupted file.
 */
final class SegmentedCipher {
    static final byte[] MAGIC = "SBAES1".getBytes(StandardCharsets.US_ASCII);
    private static final int SEGMENT = 1 << 20;
    private static final int TAG_BITS = 128;
    private static final int ITERATIONS = 210_000;
    private static final int KEY_CHECK = -1;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SegmentedCipher() {
    }

    static OutputStream encrypting(OutputStream out, String key) throws IOException {
        byte[] salt = new byte[16];
        byte[] prefix = new byte[8];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(prefix);
        boolean raw = rawKey(key) != null;
        SecretKeySpec spec = keySpec(key, salt);
        DataOutputStream data = new DataOutputStream(out);
        data.write(MAGIC);
        data.writeByte(raw ? 0 : 1);
        data.write(salt);
        data.writeInt(ITERATIONS);
        data.write(prefix);
        data.write(seal(spec, prefix, KEY_CHECK, true, new byte[0], 0));
        return new OutputStream() {
            private final byte[] buffer = new byte[SEGMENT];
            private int filled;
            private int counter;
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    if (filled == SEGMENT) {
                        flushSegment(false);
                    }
                    int n = Math.min(len, SEGMENT - filled);
                    System.arraycopy(b, off, buffer, filled, n);
                    filled += n;
                    off += n;
                    len -= n;
                }
            }

            private void flushSegment(boolean last) throws IOException {
                byte[] sealed = seal(spec, prefix, counter++, last, buffer, filled);
                data.writeBoolean(last);
                data.writeInt(sealed.length);
                data.write(sealed);
                filled = 0;
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                flushSegment(true);
                data.close();
            }
        };
    }

    /**
     * A stream of the plaintext; reading throws {@link SwitchbackException} (VERIFICATION) on a wrong key,
     * a corrupted or a truncated file.
     */
    static InputStream decrypting(InputStream in, String key, String name) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[MAGIC.length];
        try {
            data.readFully(magic);
        } catch (EOFException e) {
            throw corrupt(name, "it is too short to be an encrypted backup file");
        }
        if (!Arrays.equals(magic, MAGIC)) {
            throw corrupt(name, "it is not an encrypted backup file");
        }
        boolean raw = data.readByte() == 0;
        byte[] salt = new byte[16];
        data.readFully(salt);
        int iterations = data.readInt();
        byte[] prefix = new byte[8];
        data.readFully(prefix);
        if (raw != (rawKey(key) != null) || iterations != ITERATIONS) {
            throw wrongKey(name);
        }
        SecretKeySpec spec = keySpec(key, salt);
        byte[] check = new byte[TAG_BITS / 8];
        data.readFully(check);
        try {
            open(spec, prefix, KEY_CHECK, true, check);
        } catch (AEADBadTagException e) {
            throw wrongKey(name);
        }
        return new InputStream() {
            private byte[] plain = new byte[0];
            private int pos;
            private int counter;
            private boolean done;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                while (pos == plain.length) {
                    if (done) {
                        return -1;
                    }
                    nextSegment();
                }
                int n = Math.min(len, plain.length - pos);
                System.arraycopy(plain, pos, b, off, n);
                pos += n;
                return n;
            }

            private void nextSegment() throws IOException {
                boolean last;
                byte[] sealed;
                try {
                    last = data.readBoolean();
                    int length = data.readInt();
                    if (length < TAG_BITS / 8 || length > SEGMENT + TAG_BITS / 8) {
                        throw corrupt(name, "segment " + counter + " has an impossible length");
                    }
                    sealed = new byte[length];
                    data.readFully(sealed);
                } catch (EOFException e) {
                    throw corrupt(name, "it ends before its last segment (truncated)");
                }
                try {
                    plain = open(spec, prefix, counter++, last, sealed);
                } catch (AEADBadTagException e) {
                    throw corrupt(name, "segment " + (counter - 1) + " fails authentication");
                }
                pos = 0;
                done = last;
                if (last && data.read() != -1) {
                    throw corrupt(name, "it has data after its last segment");
                }
            }

            @Override
            public void close() throws IOException {
                data.close();
            }
        };
    }

    private static byte[] seal(SecretKeySpec key, byte[] prefix, int counter, boolean last, byte[] plain, int len) throws IOException {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce(prefix, counter)));
            c.updateAAD(aad(counter, last));
            return c.doFinal(plain, 0, len);
        } catch (GeneralSecurityException e) {
            throw new IOException("AES-GCM encryption failed: " + e.getMessage(), e);
        }
    }

    private static byte[] open(SecretKeySpec key, byte[] prefix, int counter, boolean last, byte[] sealed)
            throws AEADBadTagException, IOException {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce(prefix, counter)));
            c.updateAAD(aad(counter, last));
            return c.doFinal(sealed);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IOException("AES-GCM decryption failed: " + e.getMessage(), e);
        }
    }

    private static byte[] nonce(byte[] prefix, int counter) {
        return ByteBuffer.allocate(12).put(prefix).putInt(counter).array();
    }

    private static byte[] aad(int counter, boolean last) {
        return ByteBuffer.allocate(5).putInt(counter).put((byte) (last ? 1 : 0)).array();
    }

    static SecretKeySpec keySpec(String key, byte[] salt) throws IOException {
        byte[] raw = rawKey(key);
        if (raw != null) {
            return new SecretKeySpec(raw, "AES");
        }
        try {
            SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            byte[] derived = f.generateSecret(new PBEKeySpec(key.toCharArray(), salt, ITERATIONS, 256)).getEncoded();
            return new SecretKeySpec(derived, "AES");
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot derive the backup key: " + e.getMessage(), e);
        }
    }

    /** 32 bytes in base64 are used as the key itself; anything else is a passphrase. */
    private static byte[] rawKey(String key) {
        try {
            byte[] b = Base64.getDecoder().decode(key.strip());
            return b.length == 32 ? b : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static boolean isEncrypted(byte[] head) {
        return head.length >= MAGIC.length && Arrays.equals(Arrays.copyOf(head, MAGIC.length), MAGIC);
    }

    static SwitchbackException wrongKey(String name) {
        return new SwitchbackException(ErrorCode.VERIFICATION, name + " cannot be decrypted with this key: the encryption key "
                + "(backup.encryptionKey / SWITCHBACK_BACKUP_KEY) is not the one it was made with");
    }

    static SwitchbackException corrupt(String name, String why) {
        return new SwitchbackException(ErrorCode.VERIFICATION, name + " is corrupt: " + why);
    }
}
