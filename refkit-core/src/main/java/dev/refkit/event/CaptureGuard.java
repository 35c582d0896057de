package dev.refkit.event;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Rejects a callback that holds its own owner strongly, which would defeat the weak reference to that owner.
 *
 * <p>The rule, stated once for the public Javadoc of {@link WeakMethod#of}, {@link WeakFunction#of} and
 * {@link Listeners#subscribe} to refer to: the callback is rejected when it <em>is</em> the owner, or when one
 * of the instance fields of its class (or of a superclass that is not a JDK class) refers to the owner. A
 * capturing lambda keeps each captured variable in such a field ({@code arg$1}), a bound method reference
 * {@code owner::method} keeps its receiver in one, an inner or anonymous class keeps its enclosing instance in
 * {@code this$0}. Each field is read when {@link Field#trySetAccessible()} allows it (class path code, or a
 * package opened to {@code dev.refkit.core}), and the value is compared with the owner by identity. When a
 * field cannot be read (a named module that does not open the package), the decision falls back to the field's
 * declared type: a field whose type is not {@code Object} and is a type of the owner (its class, a superclass
 * or an interface it implements) is taken to hold the owner.
 */
final class CaptureGuard {

    /**
     * The fields to inspect, per callback class: instance fields of reference type, made accessible where
     * reflection allows. Which fields those are, and whether refkit may read them, depends on the class alone,
     * so the reflective work is done once per class rather than once per subscription.
     */
    private static final ClassValue<Field[]> CAPTURE_FIELDS = new ClassValue<>() {
        @Override
        protected Field[] computeValue(Class<?> callbackClass) {
            List<Field> fields = new ArrayList<>();
            for (Class<?> type = callbackClass; type != null && !isJdkClass(type); type = type.getSuperclass()) {
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
        for (Field field : CAPTURE_FIELDS.get(callback.getClass())) {
            String finding = capture(field, callback, owner);
            if (finding != null) {
                throw new IllegalArgumentException(api + ": the " + role + " captures its owner (" + finding
                        + "), so it would hold the owner strongly and the owner could never be collected: the "
                        + "leak that holding the owner weakly exists to prevent. Write the " + role
                        + " without capturing the owner and use the owner it is given, for example "
                        + correction + "; not a bound reference such as owner::method or this::method, a "
                        + "lambda that uses 'this' or the owner's variable, or an inner or anonymous class "
                        + "of the owner's class.");
            }
        }
    }

    /** Why the field holds the owner, or {@code null} when it does not (or cannot be shown to). */
    private static String capture(Field field, Object callback, Object owner) {
        String where = "field " + field.getName() + " of " + field.getDeclaringClass().getName();
        if (field.canAccess(callback)) {
            Object value;
            try {
                value = field.get(callback);
            } catch (IllegalAccessException e) {
                throw new AssertionError("field made accessible but not readable: " + field, e);
            }
            return value == owner ? where + " refers to the owner, a " + owner.getClass().getName() : null;
        }
        Class<?> declared = field.getType();
        if (declared != Object.class && declared.isInstance(owner)) {
            Class<?> declaring = field.getDeclaringClass();
            return where + " is declared as " + declared.getName() + ", a type of the owner; its value cannot be "
                    + "read because package " + declaring.getPackageName() + " of " + declaring.getModule()
                    + " is not open to dev.refkit.core, so it is taken to be the owner (open the package to "
                    + "dev.refkit.core to have the check compare the value itself)";
        }
        return null;
    }

    private static boolean isJdkClass(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return loader == null || loader == ClassLoader.getPlatformClassLoader();
    }
}
