package dev.refkit.heap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Class names come out in Java form, whichever spelling goes in. */
class HeapClassNameTest {

    @Test
    void theVmsSpellingsBecomeJavaNames() {
        assertThat(HeapClass.javaName("java/util/HashMap$Node")).isEqualTo("java.util.HashMap$Node");
        assertThat(HeapClass.javaName("[Ljava/lang/String;")).isEqualTo("java.lang.String[]");
        assertThat(HeapClass.javaName("[[I")).isEqualTo("int[][]");
        assertThat(HeapClass.javaName("[[[J")).isEqualTo("long[][][]");
    }

    @Test
    void aHiddenClassKeepsItsSuffixAfterASlash() {
        assertThat(HeapClass.javaName("app/Feed$$Lambda$57+0x0000000800c01234"))
                .isEqualTo("app.Feed$$Lambda$57/0x0000000800c01234");
        assertThat(HeapClass.javaName("app/Feed$$Lambda+0x000071c2d8001a00"))
                .isEqualTo("app.Feed$$Lambda/0x000071c2d8001a00");
        assertThat(HeapClass.javaName("java/lang/invoke/LambdaForm$MH+0x0000000800c0c000"))
                .isEqualTo("java.lang.invoke.LambdaForm$MH/0x0000000800c0c000");
        assertThat(HeapClass.javaName("[Lapp/Feed$$Lambda$57+0x0000000800c01234;"))
                .isEqualTo("app.Feed$$Lambda$57/0x0000000800c01234[]");
    }

    @Test
    void javaAndJcmdSpellingsAreAlreadyJavaNames() {
        for (String name : new String[] {"java.lang.String", "int[][]", "app.Feed$$Lambda$57/0x0000000800c01234",
            "app.Feed$$Lambda/0x0000000800c01234[]", "Top", "a.b.C$1"}) {
            assertThat(HeapClass.javaName(name)).isEqualTo(name);
        }
        assertThat(HeapClass.javaName("[Ljava.lang.Object;")).isEqualTo("java.lang.Object[]");
        assertThat(HeapClass.javaName("[Lapp.Feed$$Lambda/0x0000000800c01234;"))
                .isEqualTo("app.Feed$$Lambda/0x0000000800c01234[]");
    }

    @Test
    void aPlusThatIsNotAHiddenSuffixStays() {
        assertThat(HeapClass.javaName("scala/Predef$$plus+plus")).isEqualTo("scala.Predef$$plus+plus");
        assertThat(HeapClass.javaName("app/A+0xZZ")).isEqualTo("app.A+0xZZ");
        assertThat(HeapClass.javaName("+0x12")).isEqualTo("+0x12");
    }
}
