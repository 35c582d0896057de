package dev.refkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmployeeDatabaseTest {

    @Test
    void newDatabaseIsFilledWithTheRequestedNumberOfEmployees() throws Exception {
        try (EmployeeDatabase db = EmployeeDatabase.inMemory("fill", 1_234)) {
            assertThat(db.size()).isEqualTo(1_234);
        }
    }

    @Test
    void findReturnsTheStoredRecordAndCountsTheQuery() throws Exception {
        try (EmployeeDatabase db = EmployeeDatabase.inMemory("find", 100)) {
            Employee e = db.find(EmployeeDatabase.idOf(42)).orElseThrow();
            assertThat(e.id()).isEqualTo("E-00042");
            assertThat(e.name()).contains(" ");
            assertThat(e.salary()).isBetween(new java.math.BigDecimal("30000"), new java.math.BigDecimal("150000"));
            assertThat(db.find("E-99999")).isEmpty();
            assertThat(db.queryCount()).isEqualTo(2);
        }
    }

    @Test
    void fileDatabaseIsCreatedOnceAndReopenedWithItsRecords(@TempDir Path dir) throws Exception {
        Employee first;
        try (EmployeeDatabase db = EmployeeDatabase.openFile(dir, 500)) {
            first = db.find(EmployeeDatabase.idOf(7)).orElseThrow();
        }
        try (EmployeeDatabase again = EmployeeDatabase.openFile(dir, 10)) {
            assertThat(again.size()).as("an existing database is not refilled").isEqualTo(500);
            assertThat(again.find(EmployeeDatabase.idOf(7))).contains(first);
        }
    }
}
