package dev.refkit.leak;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

@Name(ResourceLeakEvent.NAME)
@Label("Resource Leak")
@Category({"refkit", "Leaks"})
@Description("A resource tracked by a ResourceTracker was collected without being closed")
@StackTrace(false)
final class ResourceLeakEvent extends Event {

    static final String NAME = "dev.refkit.ResourceLeak";

    @Label("Tracker")
    String tracker;

    @Label("Resource Class")
    Class<?> resourceClass;

    @Label("Allocation Site")
    @Description("Where the resource was tracked; empty unless the tracker records traces")
    String allocationSite;

    @Label("Access Points")
    @Description("The first and most recent recorded uses; empty unless the tracker records traces")
    String accessPoints;

    static void emit(ResourceLeak leak) {
        ResourceLeakEvent event = new ResourceLeakEvent();
        if (event.isEnabled()) {
            event.tracker = leak.tracker();
            event.resourceClass = leak.resourceClass();
            event.allocationSite = leak.allocationSite();
            event.accessPoints = String.join("\n", leak.accessPoints());
            event.commit();
        }
    }
}
