package dev.refkit.map;

import java.util.Objects;

/**
 * How a {@link ReferenceMap} compares keys (or values, for {@code remove(key, value)} and
 * {@code replace(key, old, new)}).
 *
 * <p><b>Warning:</b> {@link #EQUALS} on a softly or weakly held key is a trap. An entry lives as long as
 * its key object is reachable from elsewhere; an <em>equal copy</em> of the key finds the entry but keeps
 * nothing alive. Code that looks entries up with fresh equal keys (a new {@code String}, a new record)
 * sees them vanish at the next collection although "the same key" is in use. That is why referenced keys
 * default to {@link #IDENTITY}; choose {@code EQUALS} only when the very instances used as keys are kept
 * alive elsewhere for as long as their entries should live.
 */
public enum Equivalence {
    /** Same object: {@code a == b}, hashed by {@link System#identityHashCode(Object)}. */
    IDENTITY {
        @Override
        public boolean equivalent(Object a, Object b) {
            return a == b;
        }

        @Override
        public int hash(Object o) {
            return System.identityHashCode(o);
        }
    },
    /** Equal objects: {@link Object#equals(Object)}, hashed by {@link Object#hashCode()}. */
    EQUALS {
        @Override
        public boolean equivalent(Object a, Object b) {
            return Objects.equals(a, b);
        }

        @Override
        public int hash(Object o) {
            return o.hashCode();
        }
    };

    /**
     * Whether {@code a} and {@code b} are the same key (or value) under this equivalence.
     *
     * @param a a key or value, not null
     * @param b another, not null
     * @return whether they are equivalent
     */
    public abstract boolean equivalent(Object a, Object b);

    /**
     * The hash code of {@code o} consistent with {@link #equivalent(Object, Object)}.
     *
     * @param o a key or value, not null
     * @return its hash code under this equivalence
     */
    public abstract int hash(Object o);
}
