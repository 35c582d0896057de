package dev.refkit.heap.index;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Maps a file of the work folder in {@link Chunks} and unmaps it on demand.
 *
 * <p>Implementation notes. Java 17 has no public way to unmap a buffer before it is collected. Where the JDK has
 * the foreign memory API (22 and later) a file is mapped into a shared arena, and closing the arena unmaps every
 * chunk at once; a buffer used after that throws instead of touching unmapped memory. Before 22 the chunks are
 * unmapped through {@code sun.misc.Unsafe.invokeCleaner}, which later JDKs warn about on the console. Both are
 * reached by reflection, so the module compiles for Java 17; when neither is there, the mapping goes with the
 * collector.
 *
 * <p>Read-around. When a page of a mapped file is missing, Linux reads the pages around it too, as much as the
 * disk's read-ahead ({@code /sys/block/DEV/queue/read_ahead_kb}: 128 KB by default, 8 MB on some virtual disks).
 * The analyses walk the index in graph order, so once the index is larger than memory most of what is read
 * around is never used: a 2 GB dump in a 410 MiB limit read 950 MB/s for over 35 minutes with 8 MB of read-ahead.
 * Where the JDK can call C (22 and later, and native access enabled: the launchers pass
 * {@code --enable-native-access=ALL-UNNAMED}) and the work folder's disk reads ahead more than
 * {@value #LARGE_READ_AHEAD_KB} KB, every mapped chunk is advised {@code MADV_RANDOM}, which turns read-around
 * off for it: the same run then took 14.9 minutes (JDK 25). Not below that: at the kernel's default of 128 KB
 * the run took 7.4 minutes without advice (JDK 17), the pages read around a missing one being worth their cost.
 * The system property {@code refkit.index.advice} ({@code auto}, {@code random}, {@code none}) overrides the
 * choice.
 */
final class Mapper {

    private static final Method ARENA_OF_SHARED;
    private static final Method MAP_INTO_ARENA;
    private static final Method AS_BYTE_BUFFER;
    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;
    /** {@code int madvise(void*, size_t, int)} as a method handle, or null. */
    private static final java.lang.invoke.MethodHandle MADVISE;
    /** Linux's {@code MADV_RANDOM}. */
    private static final int MADV_RANDOM = 1;
    /** The read-ahead above which mapped chunks are advised random. */
    static final int LARGE_READ_AHEAD_KB = 1024;

    static {
        Method ofShared = null;
        Method map = null;
        Method asByteBuffer = null;
        if (Runtime.version().feature() >= 22) {
            try {
                Class<?> arena = Class.forName("java.lang.foreign.Arena");
                Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
                ofShared = arena.getMethod("ofShared");
                map = FileChannel.class.getMethod("map", FileChannel.MapMode.class, long.class, long.class, arena);
                asByteBuffer = segment.getMethod("asByteBuffer");
            } catch (ReflectiveOperationException | RuntimeException e) {
                ofShared = null;
            }
        }
        ARENA_OF_SHARED = ofShared;
        MAP_INTO_ARENA = map;
        AS_BYTE_BUFFER = asByteBuffer;
        Object unsafe = null;
        Method invoke = null;
        if (ofShared == null) {
            try {
                Class<?> type = Class.forName("sun.misc.Unsafe");
                Field field = type.getDeclaredField("theUnsafe");
                field.setAccessible(true);
                unsafe = field.get(null);
                invoke = type.getMethod("invokeCleaner", ByteBuffer.class);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // no unmapping on demand: the buffers go with the collector
            }
        }
        UNSAFE = unsafe;
        INVOKE_CLEANER = invoke;
        java.lang.invoke.MethodHandle madvise = null;
        if (ofShared != null && System.getProperty("os.name", "").startsWith("Linux")
                && !"none".equals(System.getProperty("refkit.index.advice"))) {
            try {
                if ((Boolean) Module.class.getMethod("isNativeAccessEnabled").invoke(Mapper.class.getModule())) {
                    Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
                    Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
                    Class<?> layout = Class.forName("java.lang.foreign.MemoryLayout");
                    Class<?> values = Class.forName("java.lang.foreign.ValueLayout");
                    Class<?> descriptor = Class.forName("java.lang.foreign.FunctionDescriptor");
                    Class<?> option = Class.forName("java.lang.foreign.Linker$Option");
                    Object linker = linkerType.getMethod("nativeLinker").invoke(null);
                    Object lookup = linkerType.getMethod("defaultLookup").invoke(linker);
                    Object symbol = ((java.util.Optional<?>) Class.forName("java.lang.foreign.SymbolLookup")
                            .getMethod("find", String.class)
                            .invoke(lookup, "madvise")).orElse(null);
                    if (symbol != null) {
                        Object jint = values.getField("JAVA_INT").get(null);
                        Object jlong = values.getField("JAVA_LONG").get(null);
                        Object address = values.getField("ADDRESS").get(null);
                        Object rest = java.lang.reflect.Array.newInstance(layout, 3);
                        java.lang.reflect.Array.set(rest, 0, address);
                        java.lang.reflect.Array.set(rest, 1, jlong);
                        java.lang.reflect.Array.set(rest, 2, jint);
                        Object function = descriptor.getMethod("of", layout, rest.getClass()).invoke(null, jint, rest);
                        madvise = (java.lang.invoke.MethodHandle) linkerType.getMethod("downcallHandle", segment,
                                descriptor, option.arrayType()).invoke(linker, symbol, function,
                                java.lang.reflect.Array.newInstance(option, 0));
                    }
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                madvise = null;
            }
        }
        MADVISE = madvise;
    }

    /**
     * Whether the JDK can advise mapped chunks.
     *
     * @return true where it can call {@code madvise}
     */
    static boolean canAdvise() {
        return MADVISE != null;
    }

    /** Whether the chunks of files in this folder should be advised random; see the class comment. */
    static boolean adviseRandom(Path folder) {
        if (MADVISE == null) {
            return false;
        }
        String choice = System.getProperty("refkit.index.advice", "auto");
        return choice.equals("random") || readAheadKilobytes(folder) > LARGE_READ_AHEAD_KB;
    }

    /**
     * The read-ahead of the disk that holds a folder, from {@code /sys/class/block}; where the folder's file
     * system names no disk (an overlay, tmpfs), the largest of the machine's disks; -1 when unknown.
     */
    static long readAheadKilobytes(Path folder) {
        try {
            String device = Files.getFileStore(folder).name();
            Path block = Path.of("/sys/class/block", device.substring(device.lastIndexOf('/') + 1));
            if (device.startsWith("/dev/") && Files.isDirectory(block)) {
                Path real = block.toRealPath();
                for (Path p : new Path[] {real.resolve("queue/read_ahead_kb"),
                        real.getParent().resolve("queue/read_ahead_kb")}) {
                    if (Files.isReadable(p)) {
                        return Long.parseLong(Files.readString(p).trim());
                    }
                }
            }
            long largest = -1;
            try (DirectoryStream<Path> disks = Files.newDirectoryStream(Path.of("/sys/block"))) {
                for (Path disk : disks) {
                    String name = disk.getFileName().toString();
                    Path p = disk.resolve("queue/read_ahead_kb");
                    if (!name.startsWith("loop") && !name.startsWith("ram") && !name.startsWith("zram")
                            && Files.isReadable(p)) {
                        largest = Math.max(largest, Long.parseLong(Files.readString(p).trim()));
                    }
                }
            }
            return largest;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void adviseRandom(Object segment, long bytes) {
        try {
            if (bytes > 0) {
                MADVISE.invoke(segment, bytes, MADV_RANDOM);
            }
        } catch (Throwable e) {
            // advice only: the disk's read-ahead applies
        }
    }

    private Mapper() {
    }

    /** A file's chunks, and how to unmap them. */
    static final class Mapped {
        final ByteBuffer[] buffers;
        private final AutoCloseable arena;

        Mapped(ByteBuffer[] buffers, AutoCloseable arena) {
            this.buffers = buffers;
            this.arena = arena;
        }

        /** Unmaps every chunk; none may be used again. */
        void unmap() {
            if (arena != null) {
                try {
                    arena.close();
                } catch (Exception e) {
                    // still in use by a call into C (none is made after mapping): the mapping stays until exit
                }
                return;
            }
            if (INVOKE_CLEANER != null) {
                for (ByteBuffer b : buffers) {
                    try {
                        INVOKE_CLEANER.invoke(UNSAFE, b);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        // left to the collector
                    }
                }
            }
        }
    }

    /** Maps the first {@code bytes} of a file, read-write, in native byte order; advised random on request. */
    static Mapped map(FileChannel channel, long bytes, boolean random) throws IOException {
        ByteBuffer[] buffers = new ByteBuffer[Chunks.count(bytes)];
        AutoCloseable arena = null;
        if (ARENA_OF_SHARED != null) {
            try {
                arena = (AutoCloseable) ARENA_OF_SHARED.invoke(null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                arena = null;
            }
        }
        try {
            for (int i = 0; i < buffers.length; i++) {
                long at = (long) i << Chunks.SHIFT;
                int size = Chunks.length(bytes, i);
                ByteBuffer b;
                if (arena != null) {
                    Object segment = MAP_INTO_ARENA.invoke(channel, FileChannel.MapMode.READ_WRITE, at, size, arena);
                    if (random) {
                        adviseRandom(segment, size);
                    }
                    b = (ByteBuffer) AS_BYTE_BUFFER.invoke(segment);
                } else {
                    b = channel.map(FileChannel.MapMode.READ_WRITE, at, size);
                }
                buffers[i] = b.order(ByteOrder.nativeOrder());
            }
        } catch (InvocationTargetException e) {
            new Mapped(buffers, arena).unmap();
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        } catch (IllegalAccessException e) {
            new Mapped(buffers, arena).unmap();
            throw new IOException(e);
        }
        return new Mapped(buffers, arena);
    }
}
