package dev.refkit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The employee directory: a cache of employees in front of a real embedded H2 database, loaded by JDBC
 * queries. Queries are counted by the database itself ({@code INFORMATION_SCHEMA.QUERY_STATISTICS}).
 */
class EmployeeDirectoryTest {
    private static final String BY_ID = "SELECT id, name, department, salary FROM employees WHERE id = ?";
    private static final int EMPLOYEES = 200;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    record Employee(String id, String name, String department, long salary) {
    }

    private String url;
    private Connection keepAlive;

    @BeforeEach
    void createDatabase() throws SQLException {
        url = "jdbc:h2:mem:employees" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=0";
        keepAlive = DriverManager.getConnection(url);
        try (Statement s = keepAlive.createStatement()) {
            s.execute("CREATE TABLE employees (id VARCHAR(16) PRIMARY KEY, name VARCHAR(100) NOT NULL, "
                    + "department VARCHAR(50) NOT NULL, salary BIGINT NOT NULL)");
            s.execute("INSERT INTO employees SELECT 'E-' || X, 'Employee ' || X, "
                    + "CASE MOD(X, 3) WHEN 0 THEN 'Sales' WHEN 1 THEN 'Research' ELSE 'Support' END, "
                    + "40000 + X * 100 FROM SYSTEM_RANGE(1, " + EMPLOYEES + ")");
            s.execute("SET QUERY_STATISTICS TRUE");
        }
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        keepAlive.close();
    }

    /** The loader: one JDBC query per employee, on a fresh connection (loads may run on many threads). */
    private Employee queryEmployee(String id) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(BY_ID)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? employee(rs) : null;
            }
        }
    }

    private Map<String, Employee> queryEmployees(Set<? extends String> ids) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement ps = c.prepareStatement(
                     "SELECT id, name, department, salary FROM employees WHERE id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("VARCHAR", ids.toArray()));
            Map<String, Employee> found = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Employee e = employee(rs);
                    found.put(e.id(), e);
                }
            }
            return found;
        }
    }

    private static Employee employee(ResultSet rs) throws SQLException {
        return new Employee(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4));
    }

    /** How often the database executed {@code sql}, by its own statistics. */
    private long executions(String sql) throws SQLException {
        try (PreparedStatement ps = keepAlive.prepareStatement(
                "SELECT COALESCE(SUM(EXECUTION_COUNT), 0) FROM INFORMATION_SCHEMA.QUERY_STATISTICS "
                        + "WHERE SQL_STATEMENT = ?")) {
            ps.setString(1, sql);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private ReferenceCache<String, Employee> directory() {
        return ReferenceCache.builder().softValues().keepRecent(50).recordStats().build(this::queryEmployee);
    }

    @Test
    void returnsTheRecordsStoredInTheDatabase() {
        ReferenceCache<String, Employee> directory = directory();

        assertThat(directory.get("E-42")).isEqualTo(new Employee("E-42", "Employee 42", "Sales", 44_200));
        assertThat(directory.get("E-200")).isEqualTo(new Employee("E-200", "Employee 200", "Support", 60_000));
    }

    @Test
    void repeatedRequestsForOneEmployeeQueryTheDatabaseOnce() throws SQLException {
        ReferenceCache<String, Employee> directory = directory();

        for (int i = 0; i < 10; i++) {
            directory.get("E-7");
        }

        assertThat(executions(BY_ID)).isEqualTo(1);
        assertThat(directory.stats().loadCount()).isEqualTo(1);
        assertThat(directory.stats().hitCount()).isEqualTo(9);
    }

    @Test
    void concurrentRequestsForOneMissingEmployeeQueryTheDatabaseOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ReferenceCache<String, Employee> directory = ReferenceCache.builder().recordStats().build((String id) -> {
            release.await(60, TimeUnit.SECONDS);
            return queryEmployee(id);
        });
        Callers<Employee> callers = new Callers<>(8, () -> directory.get("E-99"));
        callers.release();
        Await.until("all callers missed", () -> directory.stats().missCount() == 8);
        Await.allWaiting(callers.threads());

        release.countDown();

        assertThat(callers.outcomes()).hasSize(8).containsOnly(new Employee("E-99", "Employee 99", "Sales", 49_900));
        assertThat(executions(BY_ID)).isEqualTo(1);
    }

    @Test
    void anUnknownEmployeeIsNullAndIsQueriedAgainEachTime() throws SQLException {
        ReferenceCache<String, Employee> directory = directory();

        assertThat(directory.get("E-404")).isNull();
        assertThat(directory.get("E-404")).isNull();

        assertThat(executions(BY_ID)).isEqualTo(2);
    }

    @Test
    void anInvalidatedEmployeeIsReadAgainWithItsNewRow() throws SQLException {
        ReferenceCache<String, Employee> directory = directory();
        directory.get("E-5");
        try (Statement s = keepAlive.createStatement()) {
            s.execute("UPDATE employees SET department = 'Legal' WHERE id = 'E-5'");
        }

        directory.invalidate("E-5");

        assertThat(directory.get("E-5").department()).isEqualTo("Legal");
        assertThat(executions(BY_ID)).isEqualTo(2);
    }

    @Test
    void getAllQueriesTheMissingEmployeesInOneStatement() throws SQLException {
        ReferenceCache<String, Employee> directory = ReferenceCache.builder().recordStats()
                .build(new CacheLoader<String, Employee>() {
                    @Override
                    public Employee load(String id) throws SQLException {
                        return queryEmployee(id);
                    }

                    @Override
                    public Map<String, Employee> loadAll(Set<? extends String> ids) throws SQLException {
                        return queryEmployees(ids);
                    }
                });
        directory.get("E-1");

        Map<String, Employee> found = directory.getAll(List.of("E-1", "E-2", "E-3", "E-999"));

        assertThat(found).containsOnlyKeys("E-1", "E-2", "E-3");
        assertThat(found.get("E-3").name()).isEqualTo("Employee 3");
        assertThat(executions(BY_ID)).isEqualTo(1);
        assertThat(executions("SELECT id, name, department, salary FROM employees WHERE id = ANY(?)"))
                .isEqualTo(1);
    }

    @Test
    void aDatabaseFailureReachesTheCallerWithTheSqlExceptionAndIsRetried() throws SQLException {
        ReferenceCache<String, Employee> directory = directory();
        try (Statement s = keepAlive.createStatement()) {
            s.execute("ALTER TABLE employees RENAME TO staff");
        }

        assertThatThrownBy(() -> directory.get("E-1")).isInstanceOf(CacheLoadException.class)
                .hasCauseInstanceOf(SQLException.class);

        try (Statement s = keepAlive.createStatement()) {
            s.execute("ALTER TABLE staff RENAME TO employees");
        }
        assertThat(directory.get("E-1").name()).isEqualTo("Employee 1");
    }
}
