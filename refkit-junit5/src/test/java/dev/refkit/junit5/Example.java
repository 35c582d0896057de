package dev.refkit.junit5;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks an example test class that the extension's own tests run through {@code EngineTestKit}; it is
 * disabled anywhere else (a {@code -Dtest=...} pattern that happens to match it, an IDE), where its
 * deliberate failures would look like real ones.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(Example.OnlyThroughEngineTestKit.class)
@interface Example {

    /** The configuration parameter that the kit sets to run examples. */
    String PARAMETER = "refkit.junit5.examples";

    /** Enables an example only when {@link #PARAMETER} is {@code true}. */
    final class OnlyThroughEngineTestKit implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(PARAMETER).filter("true"::equals).isPresent()
                    ? ConditionEvaluationResult.enabled("run through EngineTestKit")
                    : ConditionEvaluationResult.disabled("an example for the extension's own tests; they run it "
                    + "through EngineTestKit");
        }
    }
}
