package dev.refkit.heap.hprof;

/**
 * The value types of HPROF fields and array elements, with their codes in the format.
 *
 * <p>{@link #OBJECT} values are identifiers whose width is the dump's identifier size (4 or 8 bytes), not
 * the width of a reference inside the JVM that wrote the dump; {@link #byteSize(int)} gives the width in
 * the file.
 */
public enum BasicType {
    OBJECT(2, 0, "Object"),
    BOOLEAN(4, 1, "boolean"),
    CHAR(5, 2, "char"),
    FLOAT(6, 4, "float"),
    DOUBLE(7, 8, "double"),
    BYTE(8, 1, "byte"),
    SHORT(9, 2, "short"),
    INT(10, 4, "int"),
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

    /** The type's code in an HPROF file. */
    public int code() {
        return code;
    }

    /** Width of a value in the file: the identifier size for {@link #OBJECT}, the Java width otherwise. */
    public int byteSize(int idSize) {
        return this == OBJECT ? idSize : size;
    }

    /** The Java spelling: {@code int}, {@code boolean}, ... and {@code Object} for references. */
    public String javaName() {
        return javaName;
    }

    /** The type with this code, or {@code null} when the code is not one HPROF defines. */
    public static BasicType ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
