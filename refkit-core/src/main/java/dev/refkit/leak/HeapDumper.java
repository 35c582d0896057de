package dev.refkit.leak;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Heap dumps through HotSpot's diagnostic bean. The bean lives in {@code jdk.management}, which refkit-core
 * requires only statically: every use of it sits in {@link Bean}, loaded only after the module was found.
 */
final class HeapDumper {

    private HeapDumper() {
    }

    static void dumpLiveObjects(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        Path file = path.toAbsolutePath();
        Path name = file.getFileName();
        if (name == null || !name.toString().endsWith(".hprof")) {
            throw new IllegalArgumentException("heap dump file " + path
                    + ": the name must end with .hprof (HotSpot writes dumps only to such files)");
        }
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null,
                    "a heap dump never overwrites a file; choose a new name or delete the old dump");
        }
        Path folder = file.getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            throw new NoSuchFileException(folder.toString(), null,
                    "the folder for heap dump " + name + " does not exist; create it first");
        }
        if (!isAvailable()) {
            throw new UnsupportedOperationException("cannot write heap dump " + file + ": this JVM has no "
                    + "HotSpotDiagnosticMXBean (the jdk.management module is absent or not readable; on the "
                    + "module path add --add-modules jdk.management)");
        }
        Bean.dump(file.toString());
    }

    static boolean isAvailable() {
        return ModuleLayer.boot().findModule("jdk.management")
                .map(HeapDumper.class.getModule()::canRead)
                .orElse(false);
    }

    private static final class Bean {
        static void dump(String file) throws IOException {
            HotSpotDiagnosticMXBean bean;
            try {
                bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            } catch (IllegalArgumentException e) {
                throw new UnsupportedOperationException("cannot write heap dump " + file
                        + ": this JVM is not HotSpot and has no HotSpotDiagnosticMXBean", e);
            }
            bean.dumpHeap(file, true);
        }
    }
}
