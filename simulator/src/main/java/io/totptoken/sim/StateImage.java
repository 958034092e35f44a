package io.totptoken.sim;

import com.licel.jcardsim.base.TransientMemory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The persistent memory of an installed applet: every non-transient primitive array reachable
 * from the applet through objects of the applet's own package, keyed by field path. A card
 * keeps exactly this across power cycles; restoring it into a freshly installed instance
 * with the same install parameters gives back the same token.
 */
final class StateImage {
    private static final int MAGIC = 0x544F5450; // "TOTP"
    private static final int FORMAT = 2;
    /** Install parameters and device state, in {@link SimulatedToken#saveState} order. */
    static final int PARAMS = 11;

    private StateImage() {
    }

    /** Copies of the persistent arrays by field path, e.g. "store.records". */
    static Map<String, Object> arrays(Object applet, TransientMemory memory) {
        Map<String, Object> arrays = new TreeMap<>();
        walk(applet, "", memory, arrays, new IdentityHashMap<>(), true);
        return arrays;
    }

    static byte[] capture(Object applet, TransientMemory memory, long[] params) {
        if (params.length != PARAMS) {
            throw new IllegalArgumentException(params.length + " parameters, not " + PARAMS);
        }
        Map<String, Object> arrays = arrays(applet, memory);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeInt(params.length);
            for (long p : params) {
                out.writeLong(p);
            }
            out.writeInt(arrays.size());
            for (Map.Entry<String, Object> e : arrays.entrySet()) {
                out.writeUTF(e.getKey());
                if (e.getValue() instanceof byte[] b) {
                    out.writeByte('B');
                    out.writeInt(b.length);
                    out.write(b);
                } else {
                    short[] s = (short[]) e.getValue();
                    out.writeByte('S');
                    out.writeInt(s.length);
                    for (short v : s) {
                        out.writeShort(v);
                    }
                }
            }
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The install parameters and device state recorded in an image. Every count is checked
     * before anything is allocated from it: a file can say anything, even with a good checksum.
     */
    static long[] params(byte[] image) {
        try (DataInputStream in = open(image)) {
            int count = in.readInt();
            if (count != PARAMS) {
                throw new IOException("it records " + count + " parameters, not " + PARAMS);
            }
            long[] params = new long[PARAMS];
            for (int i = 0; i < params.length; i++) {
                params[i] = in.readLong();
            }
            return params;
        } catch (IOException e) {
            throw damaged(e);
        }
    }

    static void restore(Object applet, TransientMemory memory, byte[] image) {
        Map<String, Object> arrays = new TreeMap<>();
        walk(applet, "", memory, arrays, new IdentityHashMap<>(), false);
        try (DataInputStream in = open(image)) {
            in.skipNBytes(4 + 8L * PARAMS); // checked by params()
            int n = in.readInt();
            if (n < 0 || n > arrays.size()) {
                throw new IOException("it records " + n + " arrays; this firmware has " + arrays.size());
            }
            for (int i = 0; i < n; i++) {
                String path = in.readUTF();
                int type = in.readByte();
                int len = in.readInt();
                Object target = arrays.get(path);
                if (type == 'B' && target instanceof byte[] b && b.length == len) {
                    in.readFully(b);
                } else if (type == 'S' && target instanceof short[] s && s.length == len) {
                    for (int j = 0; j < len; j++) {
                        s[j] = in.readShort();
                    }
                } else {
                    throw new IOException("it does not match this firmware (" + path + ")");
                }
            }
            if (in.available() > 0) {
                throw new IOException(in.available() + " bytes after the last array");
            }
        } catch (IOException e) {
            throw damaged(e);
        }
    }

    private static DamagedStateException damaged(IOException e) {
        // EOFException has no message: the image ends inside a field.
        return new DamagedStateException(e.getMessage() == null ? "it ends too early" : e.getMessage());
    }

    private static DataInputStream open(byte[] image) throws IOException {
        if (image.length < 20) {
            throw new IOException("too short");
        }
        CRC32 crc = new CRC32();
        crc.update(image, 0, image.length - 8);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(image));
        in.skipNBytes(image.length - 8);
        if (in.readLong() != crc.getValue()) {
            throw new IOException("checksum mismatch");
        }
        in = new DataInputStream(new ByteArrayInputStream(image, 0, image.length - 8));
        if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
            throw new IOException("not a token state file");
        }
        return in;
    }

    private static void walk(Object obj, String path, TransientMemory memory, Map<String, Object> arrays,
                             Map<Object, Boolean> seen, boolean copy) {
        if (seen.put(obj, Boolean.TRUE) != null) {
            return;
        }
        for (Class<?> c = obj.getClass(); c != null && isAppletCode(c); c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                f.setAccessible(true);
                Object value;
                try {
                    value = f.get(obj);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                String at = path.isEmpty() ? f.getName() : path + "." + f.getName();
                if ((value instanceof byte[] || value instanceof short[]) && memory.isTransient(value) == 0) {
                    arrays.put(at, copy ? clone(value) : value);
                } else if (value != null && isAppletCode(value.getClass())) {
                    walk(value, at, memory, arrays, seen, copy);
                }
            }
        }
    }

    private static boolean isAppletCode(Class<?> c) {
        return c.getName().startsWith("io.totptoken.oath.");
    }

    private static Object clone(Object array) {
        return array instanceof byte[] b ? b.clone() : ((short[]) array).clone();
    }
}
