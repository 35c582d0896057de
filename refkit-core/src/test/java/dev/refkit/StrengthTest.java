package dev.refkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StrengthTest {

    @Test
    void onlyStrongIsNotCollectable() {
        assertThat(Strength.STRONG.isCollectable()).isFalse();
        assertThat(Strength.SOFT.isCollectable()).isTrue();
        assertThat(Strength.WEAK.isCollectable()).isTrue();
    }

    @Test
    void declaredFromStrongestToWeakest() {
        assertThat(Strength.values()).containsExactly(Strength.STRONG, Strength.SOFT, Strength.WEAK);
    }
}
