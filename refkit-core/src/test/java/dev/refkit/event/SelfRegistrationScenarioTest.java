package dev.refkit.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.testing.GcFinalization;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The lapsed-listener scenario in its original Python form, ported: an object appends its own bound method to
 * a list three times.
 *
 * <pre>
 * class Gadget:
 *     def __init__(self, callbacks):
 *         for _ in range(3):
 *             callbacks.append(self.on_event)
 * </pre>
 *
 * In CPython the object and its bound methods form a reference cycle that reference counting cannot free; only
 * the cycle collector ({@code gc.collect()}) does. Java's collector traces from the roots, so a purely
 * internal cycle is garbage as soon as nothing outside refers to it. The leak is real, in both languages, once
 * the list belongs to something that lives longer than the objects.
 */
class SelfRegistrationScenarioTest {

    private static final int GADGETS = 10;

    /** Keeps its own callbacks: the cycle gadget → list → bound method → gadget, and nothing else. */
    static final class SelfContainedGadget {
        final List<Consumer<String>> callbacks = new ArrayList<>();

        SelfContainedGadget() {
            for (int i = 0; i < 3; i++) {
                callbacks.add(this::onEvent);
            }
        }

        void onEvent(String event) {
        }
    }

    /** Registers its own method, three times, with a registry that outlives it. */
    static final class Gadget {
        final List<String> received = new CopyOnWriteArrayList<>();

        void onEvent(String event) {
            received.add(event);
        }

        void registerStrongly(List<Consumer<String>> registry) {
            for (int i = 0; i < 3; i++) {
                registry.add(this::onEvent);
            }
        }

        void registerWeakly(Listeners<String> registry) {
            for (int i = 0; i < 3; i++) {
                registry.subscribe(this, Gadget::onEvent);
            }
        }

        void registerWeakMethods(List<WeakMethod<Gadget, String>> registry) {
            for (int i = 0; i < 3; i++) {
                registry.add(WeakMethod.of(this, Gadget::onEvent, registry::remove));
            }
        }
    }

    @Test
    void purelyInternalCycleIsReclaimedByTheTracingCollector() {
        WeakReference<SelfContainedGadget> gadget = new WeakReference<>(new SelfContainedGadget());

        GcFinalization.awaitClear(gadget);
    }

    @Test
    void strongRegistrationInALongerLivedRegistryRetainsEveryInstance() {
        List<Consumer<String>> registry = new ArrayList<>();
        List<WeakReference<Gadget>> gadgets = new ArrayList<>();
        for (int i = 0; i < GADGETS; i++) {
            Gadget gadget = new Gadget();
            gadget.registerStrongly(registry);
            gadgets.add(new WeakReference<>(gadget));
        }

        GcFinalization.awaitFullGc();

        assertThat(gadgets.stream().filter(g -> g.get() != null).count()).as("gadgets alive after a full GC")
                .isEqualTo(GADGETS);
        assertThat(registry).hasSize(3 * GADGETS);
    }

    @Test
    void weakSubscriptionsLetEveryInstanceGoAndTheRegistryShrinksBack() {
        Listeners<String> registry = Listeners.create();
        List<WeakReference<Gadget>> gadgets = new ArrayList<>();
        List<Gadget> held = new ArrayList<>();
        for (int i = 0; i < GADGETS; i++) {
            Gadget gadget = new Gadget();
            gadget.registerWeakly(registry);
            gadgets.add(new WeakReference<>(gadget));
            held.add(gadget);
        }
        registry.publish("while alive");
        assertThat(held).allSatisfy(g -> assertThat(g.received).hasSize(3));
        assertThat(registry.size()).isEqualTo(3 * GADGETS);

        held.clear();

        GcFinalization.awaitDone(() -> gadgets.stream().allMatch(g -> g.get() == null));
        GcFinalization.awaitDone(() -> registry.size() == 0);
    }

    @Test
    void weakMethodsLetEveryInstanceGoAndTheirDeathCallbacksEmptyTheList() {
        List<WeakMethod<Gadget, String>> registry = new CopyOnWriteArrayList<>();
        List<WeakReference<Gadget>> gadgets = new ArrayList<>();
        List<Gadget> held = new ArrayList<>();
        for (int i = 0; i < GADGETS; i++) {
            Gadget gadget = new Gadget();
            gadget.registerWeakMethods(registry);
            gadgets.add(new WeakReference<>(gadget));
            held.add(gadget);
        }
        registry.forEach(method -> method.invoke("while alive"));
        assertThat(held).allSatisfy(g -> assertThat(g.received).hasSize(3));

        held.clear();

        GcFinalization.awaitDone(() -> gadgets.stream().allMatch(g -> g.get() == null));
        GcFinalization.awaitDone(registry::isEmpty);
    }
}
