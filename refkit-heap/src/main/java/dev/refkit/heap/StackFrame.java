package dev.refkit.heap;

/**
 * One frame of a thread's stack as recorded in the dump ({@code STACK_FRAME}).
 *
 * @param className the class declaring the method, in Java form, or {@code "<unknown>"}
 * @param methodName the method name
 * @param signature the method's JVM signature, e.g. {@code (Ljava/lang/String;)V}
 * @param sourceFile the source file name, or {@code "<unknown>"}
 * @param line the line number; 0 or negative when unknown (-2 compiled, -3 native, as HPROF encodes them)
 */
public record StackFrame(String className, String methodName, String signature, String sourceFile, int line) {

    /** The frame in stack-trace form: {@code com.example.Foo.bar(Foo.java:42)}. */
    @Override
    public String toString() {
        String where = line > 0 ? sourceFile + ":" + line
                : line == -3 ? "Native Method"
                : line == -2 ? "Compiled Method" : sourceFile;
        return className + "." + methodName + "(" + where + ")";
    }
}
