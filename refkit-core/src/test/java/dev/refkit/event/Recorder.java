package dev.refkit.event;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An owner for the tests: records what its methods receive. */
class Recorder {
    final List<String> received = new CopyOnWriteArrayList<>();

    void record(String value) {
        received.add(value);
    }

    /** A method with the two-argument shape, so that {@code recorder::handle} is a bound handler. */
    void handle(Object source, String value) {
        received.add(value);
    }

    String echo(String value) {
        return "echo:" + value;
    }

    String nothing(String value) {
        return null;
    }
}
