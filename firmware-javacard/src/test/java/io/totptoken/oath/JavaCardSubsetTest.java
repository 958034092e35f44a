package io.totptoken.oath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.objectweb.asm.Opcodes.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javacard.framework.APDU;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * The applet stays inside the Java Card 3.0.5 Classic subset, and the check is shown able to
 * fail: every rule is fed a class that breaks it, built with ASM or compiled by javac.
 */
class JavaCardSubsetTest {
    private static final String PKG = "io/totptoken/oath/";
    private static final String PROBE = PKG + "Probe";
    private static final String APPLET = "javacard/framework/Applet";
    private static final String PROCESS = "(Ljavacard/framework/APDU;)V";

    private final JavaCardSubset subset = new JavaCardSubset("io.totptoken.oath", "io.totptoken.platform");

    @Test
    void appletClassesStayInsideTheSubset() throws Exception {
        Path classes = Path.of(OathApplet.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isRegularFile(classes.resolve(PKG + "OathApplet.class")), "no applet classes in " + classes);
        assertFalse(Files.exists(classes.resolve(PKG + "JavaCardSubsetTest.class")),
                "test classes mixed in " + classes);
        List<String> found = subset.violations(classes);
        assertEquals(List.of(), found, "outside the Java Card subset:\n" + String.join("\n", found));
    }

    @Test
    void probeAppletIsInsideTheSubset(@TempDir Path dir) throws Exception {
        assertEquals(List.of(), violations(dir, probe()));
    }

    @Test
    void factoriesAreAllowedInHelpersOnlyInstallReaches(@TempDir Path dir) throws Exception {
        ClassNode c = probe();
        method(c, ACC_PRIVATE | ACC_STATIC, "key", "()Ljavacard/security/Key;",
                call(INVOKESTATIC, "javacard/security/KeyBuilder", "buildKey", "(BSZ)Ljavacard/security/Key;"),
                new InsnNode(ARETURN));
        c.methods.get(0).instructions.insert(call(INVOKESTATIC, PROBE, "key", "()Ljavacard/security/Key;"));
        assertEquals(List.of(), violations(dir, c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void ruleFires(String rule, Consumer<ClassNode> breakIt, String expected, @TempDir Path dir) throws Exception {
        ClassNode c = probe();
        breakIt.accept(c);
        List<String> found = violations(dir, c);
        assertTrue(found.stream().anyMatch(v -> v.contains(expected)),
                rule + ": expected a violation containing [" + expected + "], got " + found);
    }

    static Stream<Arguments> rules() {
        Handle concat = new Handle(H_INVOKESTATIC, "java/lang/invoke/StringConcatFactory", "makeConcatWithConstants",
                "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;"
                        + "Ljava/lang/String;[Ljava/lang/Object;)Ljava/lang/invoke/CallSite;", false);
        return Stream.of(
            rule("class file newer than Java 7", c -> c.version = V1_8, "class file version 52"),
            rule("long field", c -> field(c, "J"), "Probe.f: field type J is long/float/double"),
            rule("double parameter", c -> method(c, ACC_PRIVATE, "m", "(D)V", new InsnNode(RETURN)),
                    "Probe.m(D)V: parameter D is long/float/double"),
            rule("long arithmetic", c -> inProcess(c, new InsnNode(LCONST_1), new InsnNode(LCONST_1),
                    new InsnNode(LADD)), "LADD: long/float/double instruction"),
            rule("float conversion", c -> inProcess(c, new InsnNode(FCONST_1), new InsnNode(F2I)), "F2I: long/float"),
            rule("double comparison", c -> inProcess(c, new InsnNode(DCMPL)), "DCMPL: long/float"),
            rule("widening to long", c -> inProcess(c, new InsnNode(I2L)), "I2L: long/float"),
            rule("long array load", c -> inProcess(c, new InsnNode(LALOAD)), "LALOAD: long/float"),
            rule("long constant", c -> inProcess(c, new LdcInsnNode(1L << 40)), "long/float/double constant"),
            rule("float constant", c -> inProcess(c, new LdcInsnNode(1.5f)), "1.5: long/float/double constant"),
            rule("multianewarray", c -> inProcess(c, new MultiANewArrayInsnNode("[[B", 2)), "[[B: multi-dimensional"),
            rule("array of arrays", c -> inProcess(c, new TypeInsnNode(ANEWARRAY, "[B")), "[B: multi-dimensional"),
            rule("two-dimensional field", c -> field(c, "[[S"), "[[S is a multi-dimensional array"),
            rule("String constant", c -> inProcess(c, new LdcInsnNode("hi")), "\"hi\": String constant"),
            rule("StringBuilder concatenation", c -> inProcess(c, new TypeInsnNode(NEW, "java/lang/StringBuilder")),
                    "java.lang.StringBuilder is String"),
            rule("invokedynamic concatenation", c -> inProcess(c, new InvokeDynamicInsnNode("makeConcatWithConstants",
                    "(S)Ljava/lang/String;", concat, "\u0001")),
                    "invokedynamic, which Java Card lacks (string concatenation"),
            rule("java.util type", c -> field(c, "Ljava/util/Vector;"), "java.util.Vector is java.util"),
            rule("java.io catch type", JavaCardSubsetTest::catchIoException,
                    "catch type java.io.IOException is java.io"),
            rule("java.lang class Java Card lacks", c -> inProcess(c,
                    call(INVOKESTATIC, "java/lang/Math", "abs", "(S)S")), "java.lang.Math is outside"),
            rule("Throwable member Java Card lacks", c -> inProcess(c,
                    call(INVOKEVIRTUAL, "java/lang/Throwable", "getMessage", "()Ljava/lang/String;")),
                    "getMessage()Ljava/lang/String;: not a member in Java Card"),
            rule("thread superclass", c -> c.superName = "java/lang/Thread", "superclass java.lang.Thread is a thread"),
            rule("Runnable interface", c -> c.interfaces.add("java/lang/Runnable"), "interface java.lang.Runnable"),
            rule("Object.getClass", c -> inProcess(c, new VarInsnNode(ALOAD, 0),
                    call(INVOKEVIRTUAL, "java/lang/Object", "getClass", "()Ljava/lang/Class;")), "Object.getClass"),
            rule("class literal", c -> inProcess(c, new LdcInsnNode(Type.getObjectType(PROBE))), "class literal"),
            rule("reflection type", c -> field(c, "Ljava/lang/reflect/Method;"), "is reflection"),
            rule("synchronized method", c -> method(c, ACC_PRIVATE | ACC_SYNCHRONIZED, "m", "()V",
                    new InsnNode(RETURN)), "Probe.m()V: synchronized"),
            rule("synchronized block", c -> inProcess(c, new InsnNode(MONITORENTER)), "synchronized block"),
            rule("native method", c -> method(c, ACC_PRIVATE | ACC_NATIVE, "m", "()V"), "Probe.m()V: native"),
            rule("volatile field", c -> c.fields.add(new FieldNode(ACC_VOLATILE, "v", "B", null, null)), "v: volatile"),
            rule("enum", c -> { c.access |= ACC_ENUM; c.superName = "java/lang/Enum"; }, "enum (no enums"),
            rule("new in process", c -> inProcess(c, new TypeInsnNode(NEW, PROBE)), "NEW io/totptoken/oath/Probe"
                    + ": allocation outside constructors"),
            rule("array allocation in a helper", c -> method(c, ACC_PRIVATE, "m", "()V",
                    new IntInsnNode(NEWARRAY, T_BYTE), new InsnNode(RETURN)), "Probe.m()V: NEWARRAY byte: allocation"),
            rule("transient array on the APDU path", JavaCardSubsetTest::transientArrayViaHelper,
                    "makeTransientByteArray(SB)[B: allocating factory on the APDU path Probe.process -> Probe.scratch"),
            rule("buildKey in process", c -> inProcess(c, call(INVOKESTATIC, "javacard/security/KeyBuilder",
                    "buildKey", "(BSZ)Ljavacard/security/Key;")), "buildKey(BSZ)Ljavacard/security/Key;: allocating"),
            rule("getInstance in select", c -> method(c, ACC_PUBLIC, "select", "()Z", call(INVOKESTATIC,
                    "javacard/security/MessageDigest", "getInstance", "(BZ)Ljavacard/security/MessageDigest;"),
                    new InsnNode(IRETURN)), "allocating factory on the APDU path Probe.select"),
            rule("int field", c -> field(c, "I"), "Probe.f: field type I is int"),
            rule("int parameter", c -> method(c, ACC_PRIVATE, "m", "(I)S", new InsnNode(IRETURN)),
                    "parameter I is int"),
            rule("int local variable", JavaCardSubsetTest::intLocal, "local variable n I is int"),
            rule("int array allocation", c -> inProcess(c, new IntInsnNode(NEWARRAY, T_INT)),
                    "NEWARRAY int: int array"),
            rule("int array access", c -> inProcess(c, new InsnNode(IALOAD)), "IALOAD: int array access"),
            rule("int constant", c -> inProcess(c, new LdcInsnNode(100000)), "int constant beyond short range"),
            rule("char", c -> field(c, "[C"), "[C is char"),
            rule("Util.arrayFill", c -> inProcess(c, call(INVOKESTATIC, "javacard/framework/Util", "arrayFill",
                    "([BSSB)S")), "Util.arrayFill fails in jCardSim"),
            rule("SensitiveArrays", c -> inProcess(c, call(INVOKESTATIC, "javacard/security/SensitiveArrays",
                    "clearArray", "(Ljava/lang/Object;)S")), "javacard.security.SensitiveArrays fails in jCardSim"),
            rule("ArrayLogic", c -> inProcess(c, call(INVOKESTATIC, "javacardx/framework/util/ArrayLogic",
                    "arrayFillGeneric", "(Ljava/lang/Object;SSLjava/lang/Object;S)V")), "ArrayLogic fails in jCardSim"),
            rule("JCint", c -> inProcess(c, call(INVOKESTATIC, "javacardx/framework/util/intx/JCint", "makeInt",
                    "(SS)I")), "JCint fails in jCardSim"),
            rule("class outside the package", c -> c.name = "io/totptoken/other/Probe",
                    "io.totptoken.other.Probe: class outside the card packages"));
    }

    @Test
    void javacOutputOfCommonMistakesIsCaught(@TempDir Path dir) throws Exception {
        List<String> found = subset.violations(compile(dir, "Sloppy", String.join("\n",
                "package io.totptoken.oath;",
                "import javacard.framework.*;",
                "public final class Sloppy extends Applet {",
                "    private long uses;",
                "    private int total;",
                "    private short[] counters;",
                "    private Sloppy() { register(); }",
                "    public static void install(byte[] b, short o, byte l) { new Sloppy(); }",
                "    public void process(APDU apdu) {",
                "        byte[] buf = new byte[8];",
                "        counters = JCSystem.makeTransientShortArray((short) 2, JCSystem.CLEAR_ON_DESELECT);",
                "        uses += 30L;",
                "        Util.arrayFill(buf, (short) 0, (short) 8, (byte) 0);",
                "        label(\"n=\" + buf.length);",
                "        synchronized (this) { total++; }",
                "    }",
                "    private void label(String s) { }",
                "}")));
        String all = String.join("\n", found);
        for (String expected : List.of("Sloppy.uses: field type J", "Sloppy.total: field type I is int",
                "process(Ljavacard/framework/APDU;)V line 10: NEWARRAY byte: allocation",
                "line 11: INVOKESTATIC javacard/framework/JCSystem.makeTransientShortArray(SB)[S: allocating factory",
                "line 12: LADD: long/float/double", "line 13: INVOKESTATIC javacard/framework/Util.arrayFill",
                "line 14: NEW java/lang/StringBuilder", "\"n=\": String constant", "line 15: MONITORENTER",
                "label(Ljava/lang/String;)V: parameter java.lang.String is String")) {
            assertTrue(all.contains(expected), "missing [" + expected + "] in:\n" + all);
        }
    }

    @Test
    void javacOutputOfCarefulCodeIsClean(@TempDir Path dir) throws Exception {
        List<String> found = subset.violations(compile(dir, "Tidy", String.join("\n",
                "package io.totptoken.oath;",
                "import javacard.framework.*;",
                "import javacard.security.*;",
                "public final class Tidy extends Applet {",
                "    private static final byte[] LABEL = {'o', 'k'};",
                "    private final byte[] ram;",
                "    private final MessageDigest sha;",
                "    private final OwnerPIN pin = new OwnerPIN((byte) 3, (byte) 8);",
                "    private Tidy() {",
                "        ram = JCSystem.makeTransientByteArray((short) 64, JCSystem.CLEAR_ON_DESELECT);",
                "        sha = digest();",
                "        register();",
                "    }",
                "    private static MessageDigest digest() {",
                "        try { return MessageDigest.getInstance(MessageDigest.ALG_SHA_256, false); }",
                "        catch (CryptoException e) { return null; }",
                "    }",
                "    public static void install(byte[] b, short o, byte l) { new Tidy(); }",
                "    public void process(APDU apdu) {",
                "        if (selectingApplet()) { return; }",
                "        byte[] buf = apdu.getBuffer();",
                "        switch (buf[ISO7816.OFFSET_INS]) {",
                "            case 0x01:",
                "                short len = apdu.setIncomingAndReceive();",
                "                try {",
                "                    sha.doFinal(buf, ISO7816.OFFSET_CDATA, len, ram, (short) 0);",
                "                    for (short i = 0; i < 32; i++) {",
                "                        buf[i] = (byte) (ram[i] ^ LABEL[(short) (i & 1)]);",
                "                    }",
                "                } finally {",
                "                    Util.arrayFillNonAtomic(ram, (short) 0, (short) ram.length, (byte) 0);",
                "                }",
                "                apdu.setOutgoingAndSend((short) 0, (short) 32);",
                "                break;",
                "            default:",
                "                if (!pin.isValidated() || !this.equals(ram)) {",
                "                    ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED);",
                "                }",
                "        }",
                "    }",
                "}")));
        assertEquals(List.of(), found, String.join("\n", found));
    }

    private static Arguments rule(String name, Consumer<ClassNode> breakIt, String expected) {
        return Arguments.of(name, breakIt, expected);
    }

    /** An applet inside the subset: constructor, install, an empty process. */
    private static ClassNode probe() {
        ClassNode c = new ClassNode();
        c.visit(V1_7, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, PROBE, null, APPLET, null);
        method(c, ACC_PRIVATE, "<init>", "()V", new VarInsnNode(ALOAD, 0),
                call(INVOKESPECIAL, APPLET, "<init>", "()V"), new InsnNode(RETURN));
        method(c, ACC_PUBLIC | ACC_STATIC, "install", "([BSB)V", new TypeInsnNode(NEW, PROBE), new InsnNode(DUP),
                call(INVOKESPECIAL, PROBE, "<init>", "()V"), call(INVOKEVIRTUAL, APPLET, "register", "()V"),
                new InsnNode(RETURN));
        method(c, ACC_PUBLIC, "process", PROCESS, new InsnNode(RETURN));
        return c;
    }

    private static MethodNode method(ClassNode c, int access, String name, String desc, AbstractInsnNode... code) {
        MethodNode m = new MethodNode(access, name, desc, null, null);
        for (AbstractInsnNode insn : code) {
            m.instructions.add(insn);
        }
        c.methods.add(m);
        return m;
    }

    private static MethodInsnNode call(int opcode, String owner, String name, String desc) {
        return new MethodInsnNode(opcode, owner, name, desc, false);
    }

    private static void field(ClassNode c, String desc) {
        c.fields.add(new FieldNode(ACC_PRIVATE, "f", desc, null, null));
    }

    private static MethodNode process(ClassNode c) {
        return c.methods.stream().filter(m -> m.name.equals("process")).findFirst().orElseThrow();
    }

    /** Puts the instructions at the start of process (stack shapes do not matter: nothing loads these). */
    private static void inProcess(ClassNode c, AbstractInsnNode... code) {
        InsnList list = new InsnList();
        for (AbstractInsnNode insn : code) {
            list.add(insn);
        }
        process(c).instructions.insert(list);
    }

    private static void catchIoException(ClassNode c) {
        LabelNode start = new LabelNode();
        LabelNode end = new LabelNode();
        inProcess(c, start, new InsnNode(NOP), end);
        process(c).tryCatchBlocks.add(new TryCatchBlockNode(start, end, end, "java/io/IOException"));
    }

    private static void intLocal(ClassNode c) {
        LabelNode start = new LabelNode();
        LabelNode end = new LabelNode();
        inProcess(c, start, new InsnNode(ICONST_0), new VarInsnNode(ISTORE, 2), end);
        process(c).localVariables = List.of(new LocalVariableNode("n", "I", null, start, end, 2));
    }

    private static void transientArrayViaHelper(ClassNode c) {
        method(c, ACC_PRIVATE, "scratch", "()[B", new InsnNode(ICONST_1), new InsnNode(ICONST_2),
                call(INVOKESTATIC, "javacard/framework/JCSystem", "makeTransientByteArray", "(SB)[B"),
                new InsnNode(ARETURN));
        inProcess(c, new VarInsnNode(ALOAD, 0), call(INVOKESPECIAL, PROBE, "scratch", "()[B"));
    }

    private List<String> violations(Path dir, ClassNode c) throws Exception {
        ClassWriter w = new ClassWriter(0);
        c.accept(w);
        Path file = dir.resolve(c.name + ".class");
        Files.createDirectories(file.getParent());
        Files.write(file, w.toByteArray());
        return subset.violations(dir);
    }

    /** Compiles one source file the way the applet is compiled: --release 7 against jCardSim's API. */
    private static Path compile(Path dir, String name, String source) throws Exception {
        Path src = dir.resolve("src/" + PKG + name + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Path out = dir.resolve("classes");
        String api = Path.of(APDU.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(err, true, StandardCharsets.UTF_8);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, log,
                "--release", "7", "-Xlint:-options", "-g", "-cp", api, "-d", out.toString(), src.toString());
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        return out;
    }
}
