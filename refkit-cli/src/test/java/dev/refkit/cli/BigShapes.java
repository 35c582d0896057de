package dev.refkit.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Ordinary structures that are large in one dimension: an {@code ArrayList} of a million items, and a linked
 * chain of 200,000 links held by its head. Argument: the dump file.
 */
public final class BigShapes {

    static final int ITEMS = 1_000_000;
    static final int LINKS = 200_000;

    /** An element of the big list. */
    public static final class Item {
        final int value;

        Item(int value) {
            this.value = value;
        }
    }

    /** A link of the deep chain. */
    public static final class Link {
        Link next;
    }

    static final List<Item> ITEM_LIST = new ArrayList<>();
    /** A lambda: its class is hidden, named {@code BigShapes$$Lambda$N/0x…} by Java and {@code …+0x…} by the VM. */
    static final Runnable TASK = () -> ITEM_LIST.clear();
    static Link chain;

    private BigShapes() {
    }

    /** In a frame of its own, so that only the static fields hold the structures when the heap is dumped. */
    private static void build() {
        for (int i = 0; i < ITEMS; i++) {
            ITEM_LIST.add(new Item(i));
        }
        Link head = new Link();
        Link tail = head;
        for (int i = 1; i < LINKS; i++) {
            tail.next = new Link();
            tail = tail.next;
        }
        chain = head;
    }

    public static void main(String[] args) throws Exception {
        build();
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(args[0], true);
    }
}
