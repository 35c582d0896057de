package dev.refkit.leak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The seam to the heap analyzer of {@code refkit-heap}, which refkit-core cannot depend on.
 *
 * <p>The analyzer offers one entry point, found here by name, whose signature uses JDK types only so that
 * neither module compiles against the other:
 *
 * <pre>{@code
 * package dev.refkit.heap.analysis;
 * public final class KeyedReferencePaths {
 *     // For each key, the shortest strong path from a GC root to the referent of the
 *     // dev.refkit.leak.KeyedWeakReference whose field "key" equals it, rendered in the
 *     // analyzer's terms; keys whose reference or referent is not in the dump are absent.
 *     public static Map<String, String> shortestStrongPaths(Path heapDump, Set<String> keys)
 *             throws IOException;
 * }
 * }</pre>
 */
final class RetentionExplainer {

    static final String ANALYZER_CLASS = "dev.refkit.heap.analysis.KeyedReferencePaths";
    static final String ANALYZER_METHOD = "shortestStrongPaths";

    private RetentionExplainer() {
    }

    static boolean isAvailable() {
        return analyzer() != null;
    }

    static Map<String, String> shortestStrongPaths(Path heapDump, Set<String> keys) throws IOException {
        Method analyzer = analyzer();
        if (analyzer == null) {
            throw new UnsupportedOperationException("explaining retained objects needs refkit-heap: add "
                    + "dev.refkit:refkit-heap to the class path (it provides " + ANALYZER_CLASS + "."
                    + ANALYZER_METHOD + "(Path, Set<String>)); the heap dump " + heapDump
                    + " can also be opened with the refkit command");
        }
        Object paths;
        try {
            paths = analyzer.invoke(null, heapDump, Set.copyOf(keys));
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new UncheckedIOException(new IOException("the heap analyzer failed on " + heapDump, cause));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(ANALYZER_CLASS + "." + ANALYZER_METHOD
                    + " is not accessible; is refkit-heap's version the same as refkit-core's?", e);
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) paths).entrySet()) {
            result.put(String.valueOf(entry.getKey()), String.valueOf(entry.getValue()));
        }
        return Map.copyOf(result);
    }

    private static Method analyzer() {
        for (ClassLoader loader : new ClassLoader[] {
                Thread.currentThread().getContextClassLoader(), RetentionExplainer.class.getClassLoader()}) {
            try {
                Class<?> type = Class.forName(ANALYZER_CLASS, true, loader);
                Method method = type.getMethod(ANALYZER_METHOD, Path.class, Set.class);
                if (Modifier.isStatic(method.getModifiers()) && Map.class.isAssignableFrom(method.getReturnType())) {
                    return method;
                }
            } catch (ClassNotFoundException | NoSuchMethodException | LinkageError e) {
                // not on this loader: try the next one
            }
        }
        return null;
    }
}
