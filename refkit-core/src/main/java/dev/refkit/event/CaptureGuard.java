package dev.refkit.event;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rejects a callback that holds its own owner strongly, which would defeat the weak reference to that owner.
 *
 * <p>The rule, stated once for the public Javadoc of {@link WeakMethod#of}, {@link WeakFunction#of} and
 * {@link Listeners#subscribe} to refer to: the callback is rejected when it <em>is</em> the owner, or when one
 * of the instance fields of its class (whoever made the class, the JDK included) or of a superclass that is
 * not a JDK class refers to the owner. A capturing lambda keeps each captured variable in such a field
 * ({@code arg$1}), a bound method reference {@code owner::method} keeps its receiver in one, an inner or
 * anonymous class keeps its enclosing instance in {@code this$0}, and a composite the JDK makes
 * ({@code a.andThen(b)}, {@code f.compose(g)}, {@code Comparator.comparing(f)}) keeps its parts in them. A
 * field whose value is itself a function object (a lambda, a method reference, or an anonymous, local or
 * inner class outside the JDK) is looked into the same way, up to {@value #MAX_DEPTH} levels below the
 * callback and {@value #MAX_INSPECTED} objects in all.
 *
 * <p>Each field is read when {@link Field#trySetAccessible()} allows it (class path code, or a package opened
 * to {@code dev.refkit.core}), and the value is compared with the owner by identity. The fields of a lambda the
 * JDK made are never accessible (java.base opens none of its packages); a serializable one (the
 * {@link java.util.Comparator} composites) still tells what it captured through its {@link SerializedLambda}.
 * When a field cannot be read either way, the decision falls back to the field's declared type: a field whose
 * type is not {@code Object} and is a type of the owner (its class, a superclass or an interface it
 * implements) is taken to hold the owner.
 */
final class CaptureGuard {

    /** How many levels of captured function objects below the callback are looked into. */
    static final int MAX_DEPTH = 4;
    /** How many objects (the callback and the function objects it reaches) are looked into at most. */
    static final int MAX_INSPECTED = 32;

    /**
     * The fields to inspect, per class: instance fields of reference type of the class and of its superclasses
     * up to the first JDK superclass, made accessible where reflection allows. Which fields those are, and
     * whether refkit may read them, depends on the class alone, so the reflective work is done once per class
     * rather than once per subscription.
     */
    private static final ClassValue<Field[]> CAPTURE_FIELDS = new ClassValue<>() {
        @Override
        protected Field[] computeValue(Class<?> callbackClass) {
            List<Field> fields = new ArrayList<>();
            for (Class<?> type = callbackClass; type != null && (type == callbackClass || !isJdkClass(type));
                    type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers()) && !field.getType().isPrimitive()) {
                        try {
                            field.trySetAccessible();
                        } catch (SecurityException e) {
                            // left inaccessible: judged by its declared type
                        }
                        fields.add(field);
                    }
                }
            }
            return fields.toArray(new Field[0]);
        }
    };

    private CaptureGuard() {
    }

    /**
     * @param api        the call being checked, for the message ("Listeners.subscribe")
     * @param role       what the callback is ("handler", "onDeath callback")
     * @param owner      the object that is to be held weakly
     * @param callback   the object that is to be held strongly
     * @param correction the call written the right way, with the owner's simple class name filled in
     */
    static void requireNotCapturing(String api, String role, Object owner, Object callback, String correction) {
        if (callback == owner) {
            throw new IllegalArgumentException(api + ": the " + role + " is the owner itself, so holding the "
                    + role + " strongly would hold the owner strongly and it could never be collected. "
                    + "Pass a function that receives the owner instead, for example " + correction + ".");
        }
        String finding = findCapture(callback, owner);
        if (finding != null) {
            throw new IllegalArgumentException(api + ": the " + role + " captures its owner (" + finding
                    + "), so it would hold the owner strongly and the owner could never be collected: the "
                    + "leak that holding the owner weakly exists to prevent. Write the " + role
                    + " without capturing the owner and use the owner it is given, for example "
                    + correction + "; not a bound reference such as owner::method or this::method, a "
                    + "lambda that uses 'this' or the owner's variable, an inner or anonymous class "
                    + "of the owner's class, or a composite such as owner.andThen(...).");
        }
    }

    /**
     * A function object to look into, and the fields it was reached through from the callback ("" for the
     * callback itself).
     */
    private record Inspected(Object object, String path, int depth) {
        /** How a finding in this object names the object, after the field's name. */
        String within() {
            return path.isEmpty() ? "" : " (an object reached through " + path + ")";
        }
    }

    /**
     * Why {@code callback} holds the owner, or {@code null} when it does not (or cannot be shown to): its own
     * fields first, then, breadth first, those of the function objects it captures.
     */
    private static String findCapture(Object callback, Object owner) {
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Inspected> queue = new ArrayDeque<>();
        queue.add(new Inspected(callback, "", 0));
        seen.put(callback, Boolean.TRUE);
        for (int inspected = 0; inspected < MAX_INSPECTED && !queue.isEmpty(); inspected++) {
            Inspected next = queue.poll();
            Object object = next.object();
            Object[] serialized = null;
            boolean unreadable = false;
            for (Field field : CAPTURE_FIELDS.get(object.getClass())) {
                String where = "field " + field.getName() + " of " + field.getDeclaringClass().getName();
                if (!field.canAccess(object)) {
                    if (!unreadable) {
                        unreadable = true;
                        serialized = capturedArguments(object);
                    }
                    if (serialized == null) {
                        String byType = declaredTypeFinding(field, owner, where + next.within());
                        if (byType != null) {
                            return byType;
                        }
                    }
                    continue;
                }
                String finding = examine(read(field, object), where, next, owner, seen, queue);
                if (finding != null) {
                    return finding;
                }
            }
            for (int i = 0; serialized != null && i < serialized.length; i++) {
                String where = "captured argument " + (i + 1) + " of " + object.getClass().getName();
                String finding = examine(serialized[i], where, next, owner, seen, queue);
                if (finding != null) {
                    return finding;
                }
            }
        }
        return null;
    }

    /** Whether {@code value} is the owner; if it is a function object, queues it to be looked into. */
    private static String examine(Object value, String where, Inspected holder, Object owner,
                                  Map<Object, Boolean> seen, ArrayDeque<Inspected> queue) {
        if (value == owner) {
            return where + holder.within() + " refers to the owner, a " + owner.getClass().getName();
        }
        if (value != null && holder.depth() < MAX_DEPTH && isFunctionObject(value.getClass())
                && seen.put(value, Boolean.TRUE) == null) {
            String path = holder.path().isEmpty() ? where : holder.path() + ", then " + where;
            queue.add(new Inspected(value, path, holder.depth() + 1));
        }
        return null;
    }

    private static Object read(Field field, Object object) {
        try {
            return field.get(object);
        } catch (IllegalAccessException e) {
            throw new AssertionError("field made accessible but not readable: " + field, e);
        }
    }

    /** The finding for a field that cannot be read, decided by its declared type; {@code null} if none. */
    private static String declaredTypeFinding(Field field, Object owner, String where) {
        Class<?> declared = field.getType();
        if (declared == Object.class || !declared.isInstance(owner)) {
            return null;
        }
        Class<?> declaring = field.getDeclaringClass();
        String opening = isJdkClass(declaring)
                ? "run with --add-opens " + declaring.getModule().getName() + "/" + declaring.getPackageName() + "="
                        + (CaptureGuard.class.getModule().isNamed() ? CaptureGuard.class.getModule().getName()
                                : "ALL-UNNAMED")
                : "open the package to dev.refkit.core";
        return where + " is declared as " + declared.getName() + ", a type of the owner; its value cannot be "
                + "read because package " + declaring.getPackageName() + " of " + declaring.getModule()
                + " is not open to dev.refkit.core, so it is taken to be the owner (" + opening
                + " to have the check compare the value itself)";
    }

    /**
     * Lambdas and method references, and anonymous, local and inner classes outside the JDK: objects made to
     * carry captures. (The JDK's own inner classes, such as iterators and collection views, are data.)
     */
    private static boolean isFunctionObject(Class<?> type) {
        return type.isHidden() || (!isJdkClass(type) && (type.isAnonymousClass() || type.isLocalClass()
                || (type.isMemberClass() && !Modifier.isStatic(type.getModifiers()))));
    }

    private static boolean isJdkClass(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return loader == null || loader == ClassLoader.getPlatformClassLoader();
    }

    /**
     * What a serializable lambda captured, as its {@link SerializedLambda} says, or {@code null} for any other
     * object or when serialization will not tell. Serialization reads what reflection may not (the JDK's own
     * lambdas): the lambda's writeReplace turns it into a SerializedLambda, which {@link ArgumentsOf} takes
     * and replaces by null before anything is written, so no captured object is serialized or even touched.
     */
    private static Object[] capturedArguments(Object object) {
        if (!(object instanceof Serializable) || !object.getClass().isHidden()) {
            return null;
        }
        try (ArgumentsOf stream = new ArgumentsOf()) {
            stream.writeObject(object);
            SerializedLambda lambda = stream.lambda;
            if (lambda == null) {
                return null;
            }
            Object[] arguments = new Object[lambda.getCapturedArgCount()];
            for (int i = 0; i < arguments.length; i++) {
                arguments[i] = lambda.getCapturedArg(i);
            }
            return arguments;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** An object stream that keeps the first SerializedLambda it is given and writes nothing of it. */
    private static final class ArgumentsOf extends ObjectOutputStream {
        SerializedLambda lambda;

        ArgumentsOf() throws IOException {
            super(OutputStream.nullOutputStream());
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(Object object) {
            if (lambda == null && object instanceof SerializedLambda serialized) {
                lambda = serialized;
            }
            return null;
        }
    }
}
