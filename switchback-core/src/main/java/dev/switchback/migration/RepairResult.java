package dev.switchback.migration;

import java.util.List;

/**
 * What repair changed.
 *
 * @param removedFailed versions whose failed rows were removed
 * @param realigned     versions whose checksum (and stored SQL) were re-recorded from the files
 */
public record RepairResult(List<String> removedFailed, List<String> realigned) {
}
