/**
 * Concurrent maps whose keys or values are held strongly, softly or weakly ({@code ReferenceMap}), and
 * interners that keep nothing alive ({@code Interner}).
 */
package dev.refkit.map;
