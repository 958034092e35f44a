package io.totptoken.sim;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Loads the applet's classes with every persistent write routed through {@link PowerCut}:
 * array stores, field stores and the Util copy, fill and setShort calls. Everything else
 * (the Java Card API, jCardSim, the platform package's interfaces) comes from the parent.
 */
final class TearingClassLoader extends ClassLoader {
    private static final String APPLET_PACKAGE = "io.totptoken.oath.";
    private static final Set<String> UTIL_WRITES = Set.of("arrayCopy", "arrayCopyNonAtomic", "arrayFillNonAtomic", "setShort");
    private static final String PROBE = Type.getInternalName(PowerCut.class);

    TearingClassLoader() {
        super(TearingClassLoader.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(APPLET_PACKAGE)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                byte[] bytes = instrument(read(name));
                c = defineClass(name, bytes, 0, bytes.length);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    private byte[] read(String name) throws ClassNotFoundException {
        try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
            if (in == null) {
                throw new ClassNotFoundException(name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }

    private static byte[] instrument(byte[] original) {
        ClassNode node = new ClassNode();
        new ClassReader(original).accept(node, 0);
        for (MethodNode m : node.methods) {
            for (AbstractInsnNode insn : m.instructions.toArray()) {
                switch (insn.getOpcode()) {
                    case Opcodes.BASTORE -> m.instructions.set(insn, probe("bastore", "(Ljava/lang/Object;II)V"));
                    case Opcodes.SASTORE -> m.instructions.set(insn, probe("sastore", "([SII)V"));
                    case Opcodes.AASTORE -> m.instructions.set(insn,
                            probe("aastore", "([Ljava/lang/Object;ILjava/lang/Object;)V"));
                    case Opcodes.PUTFIELD, Opcodes.PUTSTATIC -> m.instructions.insertBefore(insn, probe("field", "()V"));
                    case Opcodes.INVOKESTATIC -> {
                        MethodInsnNode call = (MethodInsnNode) insn;
                        if (call.owner.equals("javacard/framework/Util") && UTIL_WRITES.contains(call.name)) {
                            call.owner = PROBE;
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        node.accept(writer);
        return writer.toByteArray();
    }

    private static MethodInsnNode probe(String name, String descriptor) {
        return new MethodInsnNode(Opcodes.INVOKESTATIC, PROBE, name, descriptor, false);
    }

    @SuppressWarnings("unchecked")
    static Class<? extends javacard.framework.Applet> appletClass() {
        try {
            return (Class<? extends javacard.framework.Applet>)
                    new TearingClassLoader().loadClass("io.totptoken.oath.OathApplet");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
