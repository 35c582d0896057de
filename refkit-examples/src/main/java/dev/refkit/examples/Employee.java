package dev.refkit.examples;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One record of the employee directory: what the directory's callers ask for by id.
 *
 * @param id         the employee number, {@code E-00042}
 * @param name       full name
 * @param department department name
 * @param phone      office telephone
 * @param salary     yearly salary
 * @param origin     home town
 */
public record Employee(String id, String name, String department, String phone, BigDecimal salary,
                       String origin) {
    /**
     * Checks that the id and the name are given.
     *
     * @param id         the employee number, {@code E-00042}
     * @param name       full name
     * @param department department name
     * @param phone      office telephone
     * @param salary     yearly salary
     * @param origin     home town
     */
    public Employee {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }
}
