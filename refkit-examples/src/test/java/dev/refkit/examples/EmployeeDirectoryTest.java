package dev.refkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmployeeDirectoryTest {

    private EmployeeDatabase database;

    @BeforeEach
    void open() throws Exception {
        database = EmployeeDatabase.inMemory("directory-" + System.nanoTime(), 2_000);
    }

    @AfterEach
    void close() throws Exception {
        database.close();
    }

    @Test
    void repeatedRequestsForOneEmployeeQueryTheDatabaseOnce() {
        EmployeeDirectory directory = new EmployeeDirectory(database, 100);
        String id = EmployeeDatabase.idOf(17);

        Employee first = directory.getEmployee(id);
        for (int i = 0; i < 50; i++) {
            assertThat(directory.getEmployee(id)).isSameAs(first);
        }

        assertThat(first).isEqualTo(database.find(id).orElseThrow());
        assertThat(directory.databaseQueries()).isEqualTo(2);   // the directory's load + the check above
        assertThat(directory.stats().hitCount()).isEqualTo(50);
        assertThat(directory.stats().loadCount()).isEqualTo(1);
    }

    @Test
    void aMemorySensitiveDirectoryAnswersRepeatedRequestsFromMemoryToo() {
        EmployeeDirectory directory = EmployeeDirectory.memorySensitive(database);
        String id = EmployeeDatabase.idOf(17);

        Employee first = directory.getEmployee(id);
        for (int i = 0; i < 50; i++) {
            assertThat(directory.getEmployee(id)).isSameAs(first);
        }

        assertThat(directory.databaseQueries()).isEqualTo(1);
        assertThat(directory.stats().hitCount()).isEqualTo(50);
        assertThat(directory.releasedRecords()).isZero();
    }

    @Test
    void anUnknownIdIsNullAndNotCached() {
        EmployeeDirectory directory = new EmployeeDirectory(database, 0);

        assertThat(directory.getEmployee("E-99999")).isNull();
        assertThat(directory.getEmployee("E-99999")).isNull();

        assertThat(directory.databaseQueries()).isEqualTo(2);
        assertThat(directory.recordsInMemory()).isZero();
    }

    @Test
    void clearCacheSendsTheNextRequestToTheDatabase() {
        EmployeeDirectory directory = new EmployeeDirectory(database, 0);
        directory.getEmployee(EmployeeDatabase.idOf(3));

        directory.clearCache();
        directory.getEmployee(EmployeeDatabase.idOf(3));

        assertThat(directory.databaseQueries()).isEqualTo(2);
    }

    @Test
    void concurrentRequestsForTheSameMissingEmployeeQueryTheDatabaseOnce() throws Exception {
        EmployeeDirectory directory = new EmployeeDirectory(database, 0);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Employee>> answers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return directory.getEmployee(EmployeeDatabase.idOf(1_234));
                }));
            }
            start.countDown();
            Employee first = answers.get(0).get(30, TimeUnit.SECONDS);
            for (Future<Employee> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).isSameAs(first);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(directory.databaseQueries()).isEqualTo(1);
    }
}
