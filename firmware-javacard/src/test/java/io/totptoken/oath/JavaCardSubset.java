package io.totptoken.oath;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;

/**
 * The Java Card 3.0.5 Classic subset, checked on compiled classes. javac compiles long
 * arithmetic, strings or an allocation in {@code process()} without a word; Oracle's converter
 * (not available in CI) or the card would refuse or suffer them much later. Each violation
 * names the class, the method with its descriptor, the source line and the instruction.
 *
 * <p>Allocation and the factories that allocate ({@code makeTransient*Array}, {@code buildKey*},
 * {@code get*Instance}) belong to install time. {@code new} is allowed only in constructors,
 * static initialisers and the static {@code install}; factory calls are allowed in any method
 * the APDU path cannot reach (the entry points are the applet callbacks, Shareable methods and
 * every method nothing in the package calls).
 */
final class JavaCardSubset {
    /** Java 7 class files: the newest the 3.0.5 converter reads. */
    static final int MAX_MAJOR = 51;

    /** java.lang as the 3.0.5 Classic export file lists it; members: {@code <init>()V} and equals. */
    private static final Set<String> JAVA_LANG = Set.of("java/lang/Object", "java/lang/Throwable",
            "java/lang/Exception", "java/lang/RuntimeException", "java/lang/ArithmeticException",
            "java/lang/ArrayIndexOutOfBoundsException", "java/lang/ArrayStoreException",
            "java/lang/ClassCastException", "java/lang/IndexOutOfBoundsException",
            "java/lang/NegativeArraySizeException", "java/lang/NullPointerException",
            "java/lang/SecurityException");

    /** Part of the 3.0.5 API, but stubs in jCardSim that answer 6F00 (REFERENCE section 7). */
    private static final Set<String> SIMULATOR_STUBS = Set.of("javacard/security/SensitiveArrays",
            "javacardx/framework/util/ArrayLogic", "javacardx/framework/util/intx/JCint");

    static final String INSTALL_DESC = "([BSB)V";
    /** NEWARRAY operands from T_BOOLEAN (4) to T_LONG (11). */
    private static final String[] ARRAY_TYPES = {"boolean", "char", "float", "double", "byte", "short", "int", "long"};
    private static final String[] OPCODE = opcodeNames();

    private final List<String> packages = new ArrayList<>();

    /**
     * @param cardPackages the packages that become CAP files, e.g. {@code io.totptoken.oath} and
     *                     the platform-service interfaces in {@code io.totptoken.platform}
     */
    JavaCardSubset(String... cardPackages) {
        for (String p : cardPackages) {
            packages.add(p.replace('.', '/') + '/');
        }
    }

    /** Every violation in the class files under classesDir; empty when the whole tree is in the subset. */
    List<String> violations(Path classesDir) throws IOException {
        Map<String, ClassNode> classes = new TreeMap<>();
        List<String> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classesDir)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).sorted().collect(Collectors.toList());
        }
        for (Path file : files) {
            ClassNode c = new ClassNode();
            try (InputStream in = Files.newInputStream(file)) {
                new ClassReader(in).accept(c, 0);
            }
            classes.put(c.name, c);
        }
        Map<MethodNode, String> apduPath = new ApduPath(classes).routes();
        for (ClassNode c : classes.values()) {
            new ClassCheck(c, apduPath, out).run();
        }
        return out;
    }

    /** One class's checks; violations are appended to out. */
    private final class ClassCheck {
        private final ClassNode c;
        /** Methods the APDU path runs, each with a call chain that reaches it. */
        private final Map<MethodNode, String> apduPath;
        private final List<String> out;

        ClassCheck(ClassNode c, Map<MethodNode, String> apduPath, List<String> out) {
            this.c = c;
            this.apduPath = apduPath;
            this.out = out;
        }

        void run() {
            String where = dotted(c.name);
            int major = c.version & 0xFFFF;
            if (major > MAX_MAJOR) {
                out.add(where + ": class file version " + major + " (the 3.0.5 converter reads at most "
                        + MAX_MAJOR + ", compile with --release 7)");
            }
            if (!inPackage(c.name)) {
                out.add(where + ": class outside the card packages " + packages.stream()
                        .map(p -> dotted(p.substring(0, p.length() - 1))).collect(Collectors.joining(", ")));
            }
            if ((c.access & Opcodes.ACC_ENUM) != 0) {
                out.add(where + ": enum (no enums in Java Card)");
            }
            if (c.superName != null) {
                reference(where, "superclass", c.superName);
            }
            for (String i : c.interfaces) {
                reference(where, "interface", i);
            }
            for (FieldNode f : c.fields) {
                String fw = where + "." + f.name;
                modifiers(fw, f.access, Opcodes.ACC_VOLATILE, "volatile");
                modifiers(fw, f.access, Opcodes.ACC_TRANSIENT, "transient");
                declared(fw, "field type", Type.getType(f.desc));
            }
            for (MethodNode m : c.methods) {
                method(where + "." + m.name + m.desc, m);
            }
        }

        private void method(String mw, MethodNode m) {
            modifiers(mw, m.access, Opcodes.ACC_SYNCHRONIZED, "synchronized");
            modifiers(mw, m.access, Opcodes.ACC_NATIVE, "native");
            modifiers(mw, m.access, Opcodes.ACC_STRICT, "strictfp");
            for (Type t : Type.getArgumentTypes(m.desc)) {
                declared(mw, "parameter", t);
            }
            declared(mw, "return type", Type.getReturnType(m.desc));
            for (String e : m.exceptions) {
                reference(mw, "throws clause", e);
            }
            if (m.localVariables != null) {
                for (LocalVariableNode v : m.localVariables) {
                    declared(mw, "local variable " + v.name, Type.getType(v.desc));
                }
            }
            for (TryCatchBlockNode t : m.tryCatchBlocks) {
                if (t.type != null) {
                    reference(mw, "catch type", t.type);
                }
            }
            boolean installTime = m.name.equals("<init>") || m.name.equals("<clinit>")
                    || (m.name.equals("install") && m.desc.equals(INSTALL_DESC)
                        && (m.access & Opcodes.ACC_STATIC) != 0);
            int line = -1;
            for (AbstractInsnNode insn : m.instructions) {
                if (insn instanceof LineNumberNode) {
                    line = ((LineNumberNode) insn).line;
                } else if (insn.getOpcode() >= 0) {
                    String at = mw + (line >= 0 ? " line " + line : "") + ": " + OPCODE[insn.getOpcode()]
                            + operand(insn);
                    instruction(at, insn, installTime, apduPath.get(m));
                }
            }
        }

        /** at: where the instruction is, with its opcode and operand, as violations name it. */
        private void instruction(String at, AbstractInsnNode insn, boolean installTime, String route) {
            int op = insn.getOpcode();
            if (OPCODE[op].matches("[LFD](CONST_\\d|LOAD|ALOAD|STORE|ASTORE|ADD|SUB|MUL|DIV|REM|NEG|SHL|SHR|USHR"
                    + "|AND|OR|XOR|CMP[LG]?|RETURN)|[IFLD]2[FLD]|[FLD]2I")) {
                out.add(at + ": long/float/double instruction");
            } else if (op == Opcodes.IALOAD || op == Opcodes.IASTORE) {
                out.add(at + ": int array access (int arrays need the optional int support)");
            } else if (op == Opcodes.CALOAD || op == Opcodes.CASTORE || op == Opcodes.I2C) {
                out.add(at + ": char (no char in Java Card)");
            } else if (op == Opcodes.MONITORENTER || op == Opcodes.MONITOREXIT) {
                out.add(at + ": synchronized block (no threads in Java Card)");
            } else if (op == Opcodes.INVOKEDYNAMIC) {
                String bsm = ((InvokeDynamicInsnNode) insn).bsm.getOwner();
                out.add(at + ": invokedynamic, which Java Card lacks ("
                        + (bsm.endsWith("StringConcatFactory") ? "string concatenation"
                            : bsm.endsWith("LambdaMetafactory") ? "lambda or method reference" : bsm) + ")");
            }
            if (op == Opcodes.NEW || op == Opcodes.NEWARRAY || op == Opcodes.ANEWARRAY
                    || op == Opcodes.MULTIANEWARRAY) {
                if (!installTime) {
                    out.add(at + ": allocation outside constructors, <clinit> and install"
                            + " (allocate once at install, reuse afterwards)");
                }
            }
            if (op == Opcodes.NEWARRAY) {
                int t = ((IntInsnNode) insn).operand;
                if (t == Opcodes.T_INT) {
                    out.add(at + ": int array (int arrays need the optional int support)");
                } else if (t == Opcodes.T_LONG || t == Opcodes.T_FLOAT || t == Opcodes.T_DOUBLE) {
                    out.add(at + ": long/float/double array");
                } else if (t == Opcodes.T_CHAR) {
                    out.add(at + ": char array (no char in Java Card)");
                }
            } else if (insn instanceof MultiANewArrayInsnNode) {
                out.add(at + ": multi-dimensional array (Java Card arrays have one dimension)");
            } else if (insn instanceof TypeInsnNode) {
                String desc = ((TypeInsnNode) insn).desc;
                if (op == Opcodes.ANEWARRAY && desc.startsWith("[")) {
                    out.add(at + ": multi-dimensional array (Java Card arrays have one dimension)");
                }
                reference(at, "type", desc);
            } else if (insn instanceof FieldInsnNode) {
                FieldInsnNode f = (FieldInsnNode) insn;
                reference(at, "field owner", f.owner);
                declared(at, "field type", Type.getType(f.desc));
            } else if (insn instanceof MethodInsnNode) {
                call(at, (MethodInsnNode) insn, installTime, route);
            } else if (insn instanceof LdcInsnNode) {
                constant(at, ((LdcInsnNode) insn).cst);
            }
        }

        private void call(String at, MethodInsnNode mi, boolean installTime, String route) {
            String owner = mi.owner.startsWith("[") ? "java/lang/Object" : mi.owner;
            reference(at, "method owner", mi.owner);
            for (Type t : Type.getArgumentTypes(mi.desc)) {
                declared(at, "parameter", t);
            }
            declared(at, "return type", Type.getReturnType(mi.desc));
            if (JAVA_LANG.contains(owner) && !(mi.name.equals("<init>") && mi.desc.equals("()V"))
                    && !(mi.name.equals("equals") && mi.desc.equals("(Ljava/lang/Object;)Z"))) {
                out.add(at + ": " + (mi.name.equals("getClass") ? "Object.getClass (reflection)"
                        : "not a member in Java Card (its java.lang has only <init>() and equals)"));
            }
            if (mi.owner.equals("javacard/framework/Util") && mi.name.equals("arrayFill")) {
                out.add(at + ": Util.arrayFill fails in jCardSim, use Util.arrayFillNonAtomic");
            }
            boolean factory = (mi.owner.startsWith("javacard/") || mi.owner.startsWith("javacardx/"))
                    && (mi.name.startsWith("makeTransient") || mi.name.equals("makeGlobalArray")
                        || mi.name.startsWith("buildKey") || mi.name.matches("get\\w*Instance"));
            if (factory && !installTime && route != null) {
                out.add(at + ": allocating factory on the APDU path " + route + " (call it at install)");
            }
        }

        private void constant(String at, Object cst) {
            if (cst instanceof Long || cst instanceof Float || cst instanceof Double) {
                out.add(at + ": long/float/double constant");
            } else if (cst instanceof Integer) {
                out.add(at + ": int constant beyond short range (needs the optional int support)");
            } else if (cst instanceof String) {
                out.add(at + ": String constant (no String in Java Card)");
            } else if (cst instanceof Type) {
                out.add(at + ": class literal (reflection, no java.lang.Class)");
            } else {
                out.add(at + ": dynamic constant or method handle");
            }
        }

        private void modifiers(String where, int access, int flag, String keyword) {
            if ((access & flag) != 0) {
                out.add(where + ": " + keyword + " (not in Java Card)");
            }
        }

        /** A type the applet itself declares (field, parameter, local): no int, besides the rest. */
        private void declared(String where, String role, Type t) {
            Type e = t.getSort() == Type.ARRAY ? t.getElementType() : t;
            if (t.getSort() == Type.ARRAY && t.getDimensions() > 1) {
                out.add(where + ": " + role + " " + t.getDescriptor()
                        + " is a multi-dimensional array (Java Card arrays have one dimension)");
            }
            switch (e.getSort()) {
                case Type.LONG:
                case Type.FLOAT:
                case Type.DOUBLE:
                    out.add(where + ": " + role + " " + t.getDescriptor() + " is long/float/double");
                    break;
                case Type.CHAR:
                    out.add(where + ": " + role + " " + t.getDescriptor() + " is char (no char in Java Card)");
                    break;
                case Type.INT:
                    out.add(where + ": " + role + " " + t.getDescriptor()
                            + " is int (keep the applet free of the optional int support; use short)");
                    break;
                case Type.OBJECT:
                    reference(where, role, e.getInternalName());
                    break;
                default:
                    break;
            }
        }

        /** A class the applet names: Java Card API, its own package, or Java Card's java.lang. */
        private void reference(String where, String role, String name) {
            if (name.startsWith("[")) {
                declared(where, role, Type.getType(name));
                return;
            }
            String why = refusal(name);
            if (why != null) {
                out.add(where + ": " + role + " " + dotted(name) + " " + why);
            }
        }
    }

    /** Why a class may not be named, or null when it may. */
    private String refusal(String name) {
        if (SIMULATOR_STUBS.contains(name)) {
            return "fails in jCardSim (a stub answering 6F00)";
        }
        if (name.startsWith("javacard/") || name.startsWith("javacardx/") || inPackage(name)
                || JAVA_LANG.contains(name)) {
            return null;
        }
        if (name.equals("java/lang/String") || name.startsWith("java/lang/StringBu")) {
            return "is String (no String in Java Card)";
        }
        if (name.startsWith("java/util/")) {
            return "is java.util (not in Java Card)";
        }
        if (name.startsWith("java/io/")) {
            return "is java.io (not in Java Card)";
        }
        if (name.equals("java/lang/Thread") || name.equals("java/lang/Runnable")
                || name.equals("java/lang/ThreadLocal")) {
            return "is a thread class (no threads in Java Card)";
        }
        if (name.equals("java/lang/Class") || name.startsWith("java/lang/reflect/")
                || name.startsWith("java/lang/invoke/")) {
            return "is reflection (not in Java Card)";
        }
        if (name.equals("java/lang/Enum")) {
            return "is an enum (no enums in Java Card)";
        }
        return "is outside the Java Card 3.0.5 Classic API";
    }

    private boolean inPackage(String name) {
        for (String pkg : packages) {
            if (name.startsWith(pkg) && name.indexOf('/', pkg.length()) < 0) {
                return true;
            }
        }
        return false;
    }

    /** The operand of an instruction as javap would show it, after a space; empty when none matters. */
    private static String operand(AbstractInsnNode insn) {
        if (insn instanceof TypeInsnNode) {
            return " " + ((TypeInsnNode) insn).desc;
        } else if (insn instanceof MultiANewArrayInsnNode) {
            return " " + ((MultiANewArrayInsnNode) insn).desc;
        } else if (insn instanceof IntInsnNode && insn.getOpcode() == Opcodes.NEWARRAY) {
            int t = ((IntInsnNode) insn).operand;
            return " " + ARRAY_TYPES[t - Opcodes.T_BOOLEAN];
        } else if (insn instanceof FieldInsnNode) {
            FieldInsnNode f = (FieldInsnNode) insn;
            return " " + f.owner + "." + f.name + ":" + f.desc;
        } else if (insn instanceof MethodInsnNode) {
            MethodInsnNode mi = (MethodInsnNode) insn;
            return " " + mi.owner + "." + mi.name + mi.desc;
        } else if (insn instanceof InvokeDynamicInsnNode) {
            return " " + ((InvokeDynamicInsnNode) insn).name + ((InvokeDynamicInsnNode) insn).desc;
        } else if (insn instanceof LdcInsnNode) {
            Object cst = ((LdcInsnNode) insn).cst;
            return cst instanceof String ? " \"" + cst + "\"" : " " + cst;
        }
        return "";
    }

    private static String dotted(String internal) {
        return internal.replace('/', '.');
    }

    private static String[] opcodeNames() {
        String[] names = new String[256];
        for (Field f : Opcodes.class.getFields()) {
            String n = f.getName();
            if (f.getType() == int.class && Modifier.isStatic(f.getModifiers())
                    && !n.matches("(ACC|T|H|F|V|V1|ASM|SOURCE)_.*|ASM\\d+|V\\d+.*")) {
                try {
                    int v = f.getInt(null);
                    if (v >= 0 && v < 256 && names[v] == null) {
                        names[v] = n;
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return names;
    }
}
