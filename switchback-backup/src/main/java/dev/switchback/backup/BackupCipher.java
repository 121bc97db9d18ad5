package dev.switchback.backup;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingKey;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingParameters;
import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import com.google.crypto.tink.util.SecretBytes;

import javax.crypto.Mac;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Encryption of backup files. New files use Tink's streaming AEAD (AES256_GCM_HKDF, 1 MiB segments: a key derived per
 * file, every segment authenticated, truncation detected), with the backup id and file name as associated data, so a
 * file moved from one backup into another, or renamed, does not decrypt. The file starts with {@code SBTNK1}, the
 * PBKDF2 salt and a key check (so a wrong key is told apart from a damaged file). Files of the original segmented
 * format ({@link SegmentedCipher}) are still read, for manifests that name no cipher; that format binds nothing, so a
 * file swapped between two such backups is not detected (take new backups to get the binding).
 */
final class BackupCipher {
    static final String CURRENT = "tink-streaming-aead";
    private static final byte[] MAGIC = "SBTNK1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private BackupCipher() {
    }

    static OutputStream encrypting(String backupId, String fileName, OutputStream out, String key) throws IOException {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] raw = SegmentedCipher.keySpec(key, salt).getEncoded();
        out.write(MAGIC);
        out.write(salt);
        out.write(keyCheck(raw));
        try {
            return aead(raw).newEncryptingStream(out, associatedData(backupId, fileName));
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot set up encryption: " + e.getMessage(), e);
        }
    }

    /** The plaintext; reading throws SwitchbackException (VERIFICATION) on a wrong key, a damaged, swapped or cut file. */
    static InputStream decrypting(Manifest m, String fileName, InputStream in, String key) throws IOException {
        String name = m.id() + "/" + fileName;
        java.io.PushbackInputStream head = new java.io.PushbackInputStream(in, MAGIC.length);
        byte[] magic = head.readNBytes(MAGIC.length);
        head.unread(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            // the file's own first bytes decide, not the manifest: a file of the earlier, unbound format is read only
            // for a backup whose manifest predates this one (it names no cipher)
            if (CURRENT.equals(m.cipher())) {
                throw SegmentedCipher.corrupt(name, "it is not in the format its manifest names (" + CURRENT + ")");
            }
            return SegmentedCipher.decrypting(head, key, name);
        }
        DataInputStream data = new DataInputStream(head);
        byte[] salt = new byte[16];
        byte[] check = new byte[32];
        try {
            data.readFully(magic);
            data.readFully(salt);
            data.readFully(check);
        } catch (EOFException e) {
            throw SegmentedCipher.corrupt(name, "it is too short to be an encrypted backup file");
        }
        byte[] raw = SegmentedCipher.keySpec(key, salt).getEncoded();
        if (!MessageDigest.isEqual(check, keyCheck(raw))) {
            throw SegmentedCipher.wrongKey(name);
        }
        InputStream plain;
        try {
            plain = aead(raw).newDecryptingStream(data, associatedData(m.id(), fileName));
        } catch (GeneralSecurityException e) {
            throw SegmentedCipher.corrupt(name, e.getMessage());
        }
        return new FilterInputStream(plain) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (IOException e) {
                    throw damaged(name, e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (IOException e) {
                    throw damaged(name, e);
                }
            }
        };
    }

    private static RuntimeException damaged(String name, IOException e) {
        return SegmentedCipher.corrupt(name, "it does not authenticate (" + e.getMessage()
                + "): it was changed, cut short, or belongs to another backup");
    }

    private static byte[] associatedData(String backupId, String fileName) {
        return ("switchback-backup\0" + backupId + "\0" + fileName).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] keyCheck(byte[] raw) throws IOException {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(raw, "HmacSHA256"));
            return mac.doFinal("switchback key check".getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot check the key: " + e.getMessage(), e);
        }
    }

    private static StreamingAead aead(byte[] raw) throws GeneralSecurityException {
        AesGcmHkdfStreamingParameters params = AesGcmHkdfStreamingParameters.builder()
                .setKeySizeBytes(32)
                .setDerivedAesGcmKeySizeBytes(32)
                .setHkdfHashType(AesGcmHkdfStreamingParameters.HashType.SHA256)
                .setCiphertextSegmentSizeBytes(1 << 20)
                .build();
        return AesGcmHkdfStreaming.create(AesGcmHkdfStreamingKey.create(params, SecretBytes.copyFrom(raw, InsecureSecretKeyAccess.get())));
    }
}
