package dev.refkit.leak;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.testing.GcFinalization;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeakEventsTest {

    private static final List<Object> STATIC_HOLDER = new ArrayList<>();

    @TempDir
    Path folder;

    @AfterEach
    void releaseStaticHolder() {
        STATIC_HOLDER.clear();
    }

    @Test
    void retainedObjectIsRecordedAsAnObjectRetainedEvent() throws IOException {
        LeakWatcher watcher = LeakWatcher.builder().gracePeriod(Duration.ZERO).build();
        Object view = new Object();
        STATIC_HOLDER.add(view);

        List<RecordedEvent> events;
        try (Recording recording = new Recording()) {
            recording.enable("dev.refkit.ObjectRetained");
            recording.start();
            watcher.expectCollected(view, "closed settings view");
            watcher.check();
            recording.stop();
            events = eventsNamed(recording, "dev.refkit.ObjectRetained");
        }

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.getString("description")).isEqualTo("closed settings view");
            assertThat(event.getString("key")).isNotBlank();
        });
    }

    @Test
    void leakedResourceIsRecordedAsAResourceLeakEvent() throws IOException {
        List<ResourceLeak> reports = new ArrayList<>();
        ResourceTracker<Object> tracker = ResourceTracker.builder("sockets")
                .level(ResourceTracker.Level.ALL_WITH_TRACES).listener(reports::add).build();

        List<RecordedEvent> events;
        try (Recording recording = new Recording()) {
            recording.enable("dev.refkit.ResourceLeak");
            recording.start();
            trackAndDrop(tracker);
            GcFinalization.awaitDone(() -> tracker.checkNow() > 0 || !reports.isEmpty());
            recording.stop();
            events = eventsNamed(recording, "dev.refkit.ResourceLeak");
        }

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.getString("tracker")).isEqualTo("sockets");
            assertThat(event.getClass("resourceClass").getName()).isEqualTo(StringBuilder.class.getName());
            assertThat(event.getString("allocationSite")).contains("trackAndDrop");
        });
    }

    private static void trackAndDrop(ResourceTracker<Object> tracker) {
        tracker.track(new StringBuilder("socket"));
    }

    private List<RecordedEvent> eventsNamed(Recording recording, String name) throws IOException {
        Path file = folder.resolve(name + ".jfr");
        recording.dump(file);
        List<RecordedEvent> events = new ArrayList<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (event.getEventType().getName().equals(name)) {
                events.add(event);
            }
        }
        return events;
    }
}
