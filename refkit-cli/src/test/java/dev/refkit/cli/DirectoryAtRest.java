package dev.refkit.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.refkit.examples.EmployeeDatabase;
import dev.refkit.examples.EmployeeDirectory;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * A healthy program at rest: the demo's employee directory (an H2 database of 50,000 employees in a file, a
 * ReferenceCache in front of it) after 20,000 requests, then idle while its heap is dumped. Arguments: the
 * database folder, the dump file.
 */
public final class DirectoryAtRest {

    private DirectoryAtRest() {
    }

    public static void main(String[] args) throws Exception {
        try (EmployeeDatabase database = EmployeeDatabase.openFile(Path.of(args[0]), EmployeeDatabase.DEFAULT_EMPLOYEES)) {
            EmployeeDirectory directory = new EmployeeDirectory(database, 1_000);
            for (int i = 0; i < 20_000; i++) {
                directory.getEmployee(EmployeeDatabase.idOf(1 + (i * 7919) % EmployeeDatabase.DEFAULT_EMPLOYEES));
            }
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(args[1], true);
            System.out.println("DUMPED " + directory.stats());
        }
    }
}
