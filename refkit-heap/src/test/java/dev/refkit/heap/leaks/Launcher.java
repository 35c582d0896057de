package dev.refkit.heap.leaks;

import java.nio.file.Path;
import java.util.List;

/**
 * The three ways a leak program is run. Each has the program's classes defined by a different class loader,
 * and that loader reaches every static field of the program: an analyzer must see through it to the field.
 */
public enum Launcher {

    /** {@code java -cp TEST_CLASSES dev.refkit.heap.leaks.NAME}: the JDK's application class loader. */
    CLASS_PATH {
        @Override
        List<String> arguments(String program, Path testClasses, Path sources) {
            return List.of("-cp", testClasses.toString(), LeakPrograms.PACKAGE + "." + program);
        }

        @Override
        boolean isProgramLoader(String loaderClass) {
            return loaderClass.equals("jdk.internal.loader.ClassLoaders$AppClassLoader");
        }
    },

    /**
     * {@code java SOURCES/NAME.java}: the single-file source launcher compiles the program in memory and
     * defines its classes with its own loader ({@code com.sun.tools.javac.launcher.Main$MemoryClassLoader}
     * up to JDK 21, {@code com.sun.tools.javac.launcher.MemoryClassLoader} from JDK 22), which also serves
     * their class files as resources.
     */
    SOURCE_LAUNCHER {
        @Override
        List<String> arguments(String program, Path testClasses, Path sources) {
            return List.of(sources.resolve(program + ".java").toString());
        }

        @Override
        boolean isProgramLoader(String loaderClass) {
            return loaderClass.startsWith("com.sun.tools.javac.launcher.")
                    && loaderClass.endsWith("MemoryClassLoader");
        }
    },

    /** {@code java -cp TEST_CLASSES dev.refkit.heap.leaks.OwnLoaderLauncher NAME}: see {@link OwnLoaderLauncher}. */
    OWN_CLASS_LOADER {
        @Override
        List<String> arguments(String program, Path testClasses, Path sources) {
            return List.of("-cp", testClasses.toString(), OwnLoaderLauncher.class.getName(), program);
        }

        @Override
        boolean isProgramLoader(String loaderClass) {
            return loaderClass.equals("java.net.URLClassLoader");
        }
    };

    /**
     * The java command's arguments after the JVM options and before the program's own: the dump file.
     *
     * @param program     the program's simple class name, e.g. {@code UnboundedStaticMap}
     * @param testClasses the compiled test classes, which hold the compiled programs
     * @param sources     the directory of the programs' source files
     */
    abstract List<String> arguments(String program, Path testClasses, Path sources);

    /** Whether a class loader of this class (its Java name) is the one that defines the program's classes. */
    abstract boolean isProgramLoader(String loaderClass);
}
