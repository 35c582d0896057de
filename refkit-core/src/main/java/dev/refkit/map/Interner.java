package dev.refkit.map;

import dev.refkit.Strength;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;

/**
 * Canonical instances: {@link #intern(Object)} returns one representative for each group of equal
 * objects, like {@link String#intern()} for any immutable type.
 *
 * <pre>{@code
 * Interner<String> names = Interner.weak();
 * String canonical = names.intern(parsedName);   // equal names share one instance
 * }</pre>
 *
 * <p>A {@linkplain #weak() weak} interner keeps nothing alive: a canonical instance stays canonical while
 * something else uses it, and the interner forgets it once it is only weakly reachable (an equal sample
 * interned after that becomes the new canonical instance). A {@linkplain #strong() strong} interner keeps
 * every canonical instance for as long as the interner lives.
 *
 * <p><b>Warning:</b> interned objects are compared with {@code equals} and must not change in a way that
 * changes {@code equals} or {@code hashCode} while interned. Identity is what a caller gains: two
 * results of {@code intern} for equal samples are the same object (within the weak interner's
 * lifetime of that instance).
 *
 * @param <T> the type of interned objects
 */
public final class Interner<T> {

    private final ReferenceMap<T, Boolean> canonical;
    private Set<T> set;

    private Interner(Strength strength) {
        this.canonical = ReferenceMap.<T, Boolean>builder()
                .keys(strength)
                .keyEquivalence(Equivalence.EQUALS)
                .canonicalKeys()
                .build();
    }

    /**
     * An interner that holds its canonical instances weakly: it keeps nothing alive.
     *
     * @param <T> the type of the instances
     * @return a new, empty interner
     */
    public static <T> Interner<T> weak() {
        return new Interner<>(Strength.WEAK);
    }

    /**
     * An interner that holds its canonical instances strongly, for as long as it lives.
     *
     * @param <T> the type of the instances
     * @return a new, empty interner
     */
    public static <T> Interner<T> strong() {
        return new Interner<>(Strength.STRONG);
    }

    /**
     * The canonical instance equal to {@code sample}: the one already interned, or {@code sample} itself,
     * which becomes canonical. Atomic: concurrent callers with equal samples get the same instance.
     *
     * @param sample the instance to look up; not null
     * @return the canonical instance
     * @throws NullPointerException if {@code sample} is null
     */
    public T intern(T sample) {
        Objects.requireNonNull(sample, "sample");
        return canonical.canonicalKey(sample, Boolean.TRUE);
    }

    /**
     * A live view of the canonical instances. {@code add(e)} interns {@code e} and returns whether it
     * became canonical; {@code remove} forgets a canonical instance (a later equal sample becomes
     * canonical in its place). Iteration is weakly consistent and never returns a collected instance;
     * streams count the instances they traverse (the spliterator is {@code CONCURRENT}, not {@code SIZED}).
     * <b>Warning:</b> as for {@link ReferenceMap#size()}, the size of a weak interner's view may briefly
     * count instances that were collected but not yet expunged.
     *
     * @return the canonical instances, live
     */
    public Set<T> asSet() {
        Set<T> view = set;
        return view != null ? view : (set = new CanonicalSet());
    }

    /** {@return the number of canonical instances; see {@link #asSet()} for what it may briefly include} */
    public int size() {
        return canonical.size();
    }

    private final class CanonicalSet extends AbstractSet<T> {
        private final Set<T> keys = canonical.keySet();

        @Override
        public boolean add(T e) {
            Objects.requireNonNull(e, "e");
            return canonical.putIfAbsent(e, Boolean.TRUE) == null;
        }

        @Override public Iterator<T> iterator() { return keys.iterator(); }
        @Override public Spliterator<T> spliterator() { return keys.spliterator(); }
        @Override public int size() { return canonical.size(); }
        @Override public boolean isEmpty() { return canonical.isEmpty(); }
        @Override public boolean contains(Object o) { return canonical.containsKey(o); }
        @Override public boolean remove(Object o) { return canonical.remove(o) != null; }
        @Override public void clear() { canonical.clear(); }
    }
}
