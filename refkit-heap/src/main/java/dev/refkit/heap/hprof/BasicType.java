package dev.refkit.heap.hprof;

/**
 * The value types of HPROF fields and array elements, with their codes in the format.
 *
 * <p>{@link #OBJECT} values are identifiers whose width is the dump's identifier size (4 or 8 bytes), not
 * the width of a reference inside the JVM that wrote the dump; {@link #byteSize(int)} gives the width in
 * the file.
 */
public enum BasicType {
    /** A reference: an object identifier of the dump's identifier size. */
    OBJECT(2, 0, "Object"),
    /** {@code boolean}: one byte. */
    BOOLEAN(4, 1, "boolean"),
    /** {@code char}: two bytes, UTF-16. */
    CHAR(5, 2, "char"),
    /** {@code float}: four bytes. */
    FLOAT(6, 4, "float"),
    /** {@code double}: eight bytes. */
    DOUBLE(7, 8, "double"),
    /** {@code byte}: one byte. */
    BYTE(8, 1, "byte"),
    /** {@code short}: two bytes. */
    SHORT(9, 2, "short"),
    /** {@code int}: four bytes. */
    INT(10, 4, "int"),
    /** {@code long}: eight bytes. */
    LONG(11, 8, "long");

    private static final BasicType[] BY_CODE = new BasicType[12];

    static {
        for (BasicType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final int size;
    private final String javaName;

    BasicType(int code, int size, String javaName) {
        this.code = code;
        this.size = size;
        this.javaName = javaName;
    }

    /** {@return the type's code in an HPROF file} */
    public int code() {
        return code;
    }

    /**
     * Width of a value in the file: the identifier size for {@link #OBJECT}, the Java width otherwise.
     *
     * @param idSize the dump's identifier size, 4 or 8
     * @return the width in bytes
     */
    public int byteSize(int idSize) {
        return this == OBJECT ? idSize : size;
    }

    /** {@return the Java spelling: {@code int}, {@code boolean}, ... and {@code Object} for references} */
    public String javaName() {
        return javaName;
    }

    /**
     * The type with this code, or {@code null} when the code is not one HPROF defines.
     *
     * @param code a type code read from a dump
     * @return the type, or {@code null}
     */
    public static BasicType ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
