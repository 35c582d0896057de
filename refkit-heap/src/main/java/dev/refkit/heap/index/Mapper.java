package dev.refkit.heap.index;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Maps a file of the work folder in {@link Chunks} and unmaps it on demand.
 *
 * <p>Implementation notes. Java 17 has no public way to unmap a buffer before it is collected. Where the JDK has
 * the foreign memory API (22 and later) a file is mapped into a shared arena, and closing the arena unmaps every
 * chunk at once; a buffer used after that throws instead of touching unmapped memory. Before 22 the chunks are
 * unmapped through {@code sun.misc.Unsafe.invokeCleaner}, which later JDKs warn about on the console. Both are
 * reached by reflection, so the module compiles for Java 17; when neither is there, the mapping goes with the
 * collector.
 */
final class Mapper {

    private static final Method ARENA_OF_SHARED;
    private static final Method MAP_INTO_ARENA;
    private static final Method AS_BYTE_BUFFER;
    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;

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
                // a shared arena refuses to close while another thread is inside one of its accesses
                for (int attempt = 0; attempt < 100; attempt++) {
                    try {
                        arena.close();
                        return;
                    } catch (IllegalStateException busy) {
                        Thread.onSpinWait();
                    } catch (Exception e) {
                        return;
                    }
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

    /** Maps the first {@code bytes} of a file, read-write, in native byte order. */
    static Mapped map(FileChannel channel, long bytes) throws IOException {
        ByteBuffer[] buffers = new ByteBuffer[(int) Math.max(1, (bytes + Chunks.CHUNK_BYTES - 1) >>> Chunks.SHIFT)];
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
                long size = Math.max(0, Math.min(Chunks.CHUNK_BYTES, bytes - at));
                ByteBuffer b = arena != null
                        ? (ByteBuffer) AS_BYTE_BUFFER.invoke(MAP_INTO_ARENA.invoke(channel,
                                FileChannel.MapMode.READ_WRITE, at, size, arena))
                        : channel.map(FileChannel.MapMode.READ_WRITE, at, size);
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
