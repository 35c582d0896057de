package dev.refkit.heap.leaks;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Leak: a stale class loader. A plugin (a "webapp") is deployed under a class loader of its own, as an
 * application server deploys one; its class {@code Plugin} keeps 20 MB in the static field
 * {@code Plugin.CACHE} and registers a {@code Plugin$ReportHandler} with the host's
 * {@code HostRegistry.HANDLERS}. The host then redeploys: it drops the first loader and keeps a second one
 * in {@code Host.CURRENT}, but undeploying forgot to unregister the first handler. That one handler, an
 * instance of a class of the stale loader, keeps the loader, its classes and their statics: the bulk is
 * {@code Plugin.CACHE} of the stale loader, the culprit the parent-side {@code HostRegistry.HANDLERS}.
 * The live deployment holds as much, legitimately. Beside them, 36 MB of thumbnails held softly.
 *
 * <p>The plugin's classes are defined by {@link PluginLoader} from the class files its parent serves as
 * resources, so this works whichever loader runs the program: the application class loader, a
 * {@code URLClassLoader}, or the source launcher's in-memory loader. The host never names a plugin class
 * in code (that would load a third copy through its own loader); it initialises {@code Plugin} by name.
 * Every member the plugin uses from the host is public: the two sides are in different runtime packages.
 *
 * <p>Run: {@code java StaleClassLoader.java DUMP.hprof}; prints {@code DUMPED} once the heap is dumped.
 */
public class StaleClassLoader {

    static final String PLUGIN = StaleClassLoader.class.getName() + "$Plugin";
    static final int CACHE_BLOCKS = 200;
    static final int BLOCK_BYTES = 100_000;

    public static void main(String[] args) throws Exception {
        Host.CURRENT = deploy("webapp-v1");
        Host.CURRENT = deploy("webapp-v2");
        if (HostRegistry.HANDLERS.size() != 2) {
            throw new IllegalStateException("expected the handlers of both deployments, found "
                    + HostRegistry.HANDLERS);
        }
        SoftCache.fill(36 << 20);
        dumpHeap(args[0]);
    }

    /** Deploys the plugin under a new loader: initialising {@code Plugin} fills its cache and registers it. */
    static ClassLoader deploy(String name) throws ClassNotFoundException {
        PluginLoader loader = new PluginLoader(name, StaleClassLoader.class.getClassLoader());
        Class.forName(PLUGIN, true, loader);
        return loader;
    }

    static final class Host {
        /** The live deployment's loader. Replacing it is the whole undeploy: the bug is what it forgets. */
        static ClassLoader CURRENT;
    }

    public interface RequestHandler {
        String handle(String request);
    }

    /** The host's registry: a class of the host's loader, outliving every deployment. */
    public static final class HostRegistry {
        public static final List<RequestHandler> HANDLERS = new CopyOnWriteArrayList<>();
    }

    /** Child-first for the plugin's classes, parent-first for the rest, so that both sides share the host. */
    static final class PluginLoader extends ClassLoader {

        PluginLoader(String name, ClassLoader parent) {
            super(name, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(PLUGIN)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> plugin = findLoadedClass(name);
                if (plugin == null) {
                    plugin = definePluginClass(name);
                }
                if (resolve) {
                    resolveClass(plugin);
                }
                return plugin;
            }
        }

        private Class<?> definePluginClass(String name) throws ClassNotFoundException {
            String classFile = name.replace('.', '/') + ".class";
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(classFile)) {
                if (in == null) {
                    throw new ClassNotFoundException(name + ": " + getClass().getClassLoader()
                            + " serves no resource " + classFile);
                }
                byte[] bytes = in.readAllBytes();
                return defineClass(name, bytes, 0, bytes.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name + ": cannot read " + classFile, e);
            }
        }
    }

    /** The deployed application; its loader is a {@link PluginLoader}, never the host's. */
    public static final class Plugin {
        public static final List<byte[]> CACHE = new ArrayList<>();

        static {
            for (int i = 0; i < CACHE_BLOCKS; i++) {
                CACHE.add(new byte[BLOCK_BYTES]);
            }
            HostRegistry.HANDLERS.add(new ReportHandler());
        }

        public static final class ReportHandler implements RequestHandler {
            @Override
            public String handle(String request) {
                return request + ": " + CACHE.size() + " blocks";
            }
        }
    }

    /**
     * Thumbnails held softly: more bytes than the leak, but the collector clears them before it would ever
     * run out of memory, so they must never be blamed for one.
     */
    static final class SoftCache {
        static final int THUMBNAIL_BYTES = 64 << 10;
        static final Map<String, SoftReference<byte[]>> ENTRIES = new HashMap<>();

        static void fill(int bytes) {
            for (int i = 0; i < bytes / THUMBNAIL_BYTES; i++) {
                ENTRIES.put("thumbnail-" + i, new SoftReference<>(new byte[THUMBNAIL_BYTES]));
            }
        }
    }

    private static void dumpHeap(String file) throws IOException {
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(file, true);
        System.out.println("DUMPED");
        System.exit(0);
    }
}
