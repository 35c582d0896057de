package dev.refkit.examples;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The employee directory's database: an embedded H2 database with one table, {@code employees}, created and
 * filled on first use, and a data-access object over plain JDBC that counts the queries it runs (the figure
 * a cache in front of it is meant to bring down).
 *
 * <p>Thread-safe: every query takes its own connection from H2's embedded engine, which serialises access
 * to the file as it needs to.
 */
public final class EmployeeDatabase implements AutoCloseable {

    /** The number of employees a new directory database is filled with. */
    public static final int DEFAULT_EMPLOYEES = 50_000;

    private static final String[] FIRST = {"Ada", "Alan", "Barbara", "Claude", "Donald", "Edsger", "Frances",
        "Grace", "Hedy", "John", "Katherine", "Leslie", "Margaret", "Niklaus", "Radia", "Tony"};
    private static final String[] LAST = {"Lovelace", "Turing", "Liskov", "Shannon", "Knuth", "Dijkstra",
        "Allen", "Hopper", "Lamarr", "Backus", "Johnson", "Lamport", "Hamilton", "Wirth", "Perlman", "Hoare"};
    private static final String[] DEPARTMENTS = {"Engineering", "Finance", "Operations", "Research", "Sales",
        "Support", "Legal", "People"};
    private static final String[] TOWNS = {"Aarhus", "Bergen", "Cork", "Delft", "Essen", "Faro", "Graz",
        "Haarlem", "Izmir", "Jena", "Kaunas", "Lyon"};

    private final String url;
    private final Connection keepOpen;
    private final AtomicLong queries = new AtomicLong();

    private EmployeeDatabase(String url) throws SQLException {
        this.url = url;
        // An open connection keeps an in-memory database alive and spares a file database re-opening.
        this.keepOpen = DriverManager.getConnection(url, "sa", "");
    }

    /**
     * Opens the directory database stored in {@code directory} (file {@code employees.mv.db}), creating it
     * with {@code employees} generated records if it does not exist yet.
     *
     * @param directory the folder of the database file
     * @param employees how many records to generate when the database is new
     * @return the open database
     * @throws SQLException if the database cannot be opened or filled
     */
    public static EmployeeDatabase openFile(Path directory, int employees) throws SQLException {
        try {
            Files.createDirectories(directory);
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create the database folder " + directory + ": " + e.getMessage(), e);
        }
        EmployeeDatabase db = new EmployeeDatabase(
                "jdbc:h2:file:" + directory.toAbsolutePath().resolve("employees") + ";DB_CLOSE_DELAY=0");
        db.fillIfEmpty(employees);
        return db;
    }

    /**
     * Opens a private in-memory directory database filled with {@code employees} generated records.
     *
     * @param name the in-memory database's name, unique in the JVM
     * @param employees how many records to generate
     * @return the open database
     * @throws SQLException if the database cannot be created or filled
     */
    public static EmployeeDatabase inMemory(String name, int employees) throws SQLException {
        EmployeeDatabase db = new EmployeeDatabase("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        db.fillIfEmpty(employees);
        return db;
    }

    /**
     * The employee id for a record number: {@code 42 -> "E-00042"}.
     *
     * @param number the record number, 0 and on
     * @return the employee id
     */
    public static String idOf(int number) {
        return String.format("E-%05d", number);
    }

    /**
     * The employee with this id, read from the database; counted as one query.
     *
     * @param id an employee id ({@code E-00042})
     * @return the employee, or empty when the database has none of this id
     */
    public Optional<Employee> find(String id) {
        queries.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             PreparedStatement s = c.prepareStatement(
                     "SELECT id, name, department, phone, salary, origin FROM employees WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Employee(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getBigDecimal(5), r.getString(6)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read employee " + id + " from " + url + ": " + e.getMessage(), e);
        }
    }

    /** {@return how many queries {@link #find(String)} has run against the database} */
    public long queryCount() {
        return queries.get();
    }

    /**
     * How many employees the table holds.
     *
     * @return the number of employees
     * @throws SQLException if the table cannot be counted
     */
    public int size() throws SQLException {
        try (Statement s = keepOpen.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM employees")) {
            r.next();
            return r.getInt(1);
        }
    }

    private void fillIfEmpty(int employees) throws SQLException {
        try (Statement s = keepOpen.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS employees (id VARCHAR(16) PRIMARY KEY, name VARCHAR(64) NOT NULL,"
                    + " department VARCHAR(32), phone VARCHAR(32), salary DECIMAL(10,2), origin VARCHAR(32))");
        }
        if (size() > 0) {
            return;
        }
        Random random = new Random(42);   // the same directory on every machine
        keepOpen.setAutoCommit(false);
        try (PreparedStatement insert = keepOpen.prepareStatement("INSERT INTO employees VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < employees; i++) {
                insert.setString(1, idOf(i));
                insert.setString(2, FIRST[random.nextInt(FIRST.length)] + " " + LAST[random.nextInt(LAST.length)]);
                insert.setString(3, DEPARTMENTS[random.nextInt(DEPARTMENTS.length)]);
                insert.setString(4, String.format("+45 %04d %04d", random.nextInt(10_000), random.nextInt(10_000)));
                insert.setBigDecimal(5, BigDecimal.valueOf(30_000 + random.nextInt(120_000), 0).setScale(2));
                insert.setString(6, TOWNS[random.nextInt(TOWNS.length)]);
                insert.addBatch();
                if (i % 1_000 == 999) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
            keepOpen.commit();
        } finally {
            keepOpen.setAutoCommit(true);
        }
    }

    @Override
    public void close() throws SQLException {
        keepOpen.close();
    }
}
