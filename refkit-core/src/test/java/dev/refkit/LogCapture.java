package dev.refkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What a refkit class logs through {@link System.Logger}'s default backend, {@code java.util.logging}, while an
 * action runs. The records are kept for the test and do not reach the console.
 */
public final class LogCapture {

    private LogCapture() {
    }

    /** The records logged by {@code source}'s logger while {@code action} runs. */
    public static List<LogRecord> during(Class<?> source, Runnable action) {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(source.getName());
        boolean useParentHandlers = logger.getUseParentHandlers();
        logger.addHandler(capture);
        logger.setUseParentHandlers(false);
        try {
            action.run();
        } finally {
            logger.removeHandler(capture);
            logger.setUseParentHandlers(useParentHandlers);
        }
        return records;
    }
}
