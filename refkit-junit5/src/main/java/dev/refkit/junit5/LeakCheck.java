package dev.refkit.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails a test that leaks: objects it gave to {@link LeakCheckExtension#expectCollected(Object, String)}
 * are still reachable when it ends, or resources it gave to {@link LeakCheckExtension#track(Object)} were
 * not closed. On a class, every test of the class is checked; on a method, that test.
 *
 * <pre>{@code
 * @LeakCheck
 * class SettingsViewTest {
 *     @Test
 *     void closingTheViewReleasesIt() {
 *         SettingsView view = window.open(SettingsView::new);
 *         window.close(view);
 *         expectCollected(view, "closed settings view");
 *     }
 * }
 * }</pre>
 *
 * <p>The same as {@code @ExtendWith(LeakCheckExtension.class)}.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LeakCheckExtension.class)
public @interface LeakCheck {
}
