package dev.refkit.heap.leaks;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;

/**
 * Runs a leak program under a class loader of its own, as an application server or a fat-jar launcher runs
 * an application: {@code OwnLoaderLauncher NAME ARGS...} loads {@code dev.refkit.heap.leaks.NAME} with a
 * {@code URLClassLoader} named {@code app-under-test} over the test classes, whose parent is the platform
 * loader (so the application class loader, which also sees those classes, never defines them), and calls
 * its {@code main(ARGS)}. The loader stays in a local variable of this frame and is the thread's context
 * class loader while the program runs, as such launchers leave it: in the dump, it reaches every class of
 * the program and every thread the program starts.
 */
public final class OwnLoaderLauncher {

    private OwnLoaderLauncher() {
    }

    public static void main(String[] args) throws Throwable {
        URL classes = OwnLoaderLauncher.class.getProtectionDomain().getCodeSource().getLocation();
        URLClassLoader application = new URLClassLoader("app-under-test", new URL[] {classes},
                ClassLoader.getPlatformClassLoader());
        Class<?> program = Class.forName(OwnLoaderLauncher.class.getPackageName() + "." + args[0], true,
                application);
        Method main = program.getMethod("main", String[].class);
        Thread.currentThread().setContextClassLoader(application);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
