package dev.refkit.leak;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

@Name(ObjectRetainedEvent.NAME)
@Label("Object Retained")
@Category({"refkit", "Leaks"})
@Description("An object given to LeakWatcher.expectCollected is still reachable after its grace period "
        + "and a forced collection")
@StackTrace(false)
final class ObjectRetainedEvent extends Event {

    static final String NAME = "dev.refkit.ObjectRetained";

    @Label("Key")
    @Description("The key of the object's KeyedWeakReference, to find it in a heap dump")
    String key;

    @Label("Description")
    String description;

    @Label("Watched For")
    @Timespan(Timespan.NANOSECONDS)
    long watchedFor;

    static void emit(RetainedObject object) {
        ObjectRetainedEvent event = new ObjectRetainedEvent();
        if (event.isEnabled()) {
            event.key = object.key();
            event.description = object.description();
            event.watchedFor = object.watchedFor().toNanos();
            event.commit();
        }
    }
}
