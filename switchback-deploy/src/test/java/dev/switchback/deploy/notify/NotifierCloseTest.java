package dev.switchback.deploy.notify;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A switch or rollback racing the daemon's shutdown publishes after close: dropped, never thrown at the caller. */
class NotifierCloseTest {
    @Test
    void aPublishAfterCloseIsDroppedQuietly() {
        Notifier n = new Notifier(List.of(new NotifyTarget(URI.create("http://127.0.0.1:9/hook"),
                EnumSet.noneOf(DeployEventType.class), NotifyFormat.SLACK)));
        n.publish(DeployEvent.of(DeployEventType.SWITCHED, "v1", "blue", "before close"));
        n.close();
        n.publish(DeployEvent.of(DeployEventType.SWITCHED, "v2", "green", "after close"));
        assertThat(n.pending()).isLessThanOrEqualTo(1);
    }
}
