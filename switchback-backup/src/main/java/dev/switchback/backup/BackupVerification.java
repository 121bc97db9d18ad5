package dev.switchback.backup;

import java.util.List;

/** The result of verifying one backup: every file checked, and every problem found (empty when sound). */
public record BackupVerification(String id, String label, boolean ok, List<String> checked, List<String> problems) {
}
