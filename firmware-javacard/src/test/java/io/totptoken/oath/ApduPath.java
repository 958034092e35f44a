package io.totptoken.oath;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The methods of the applet package that can run while an APDU is processed, told apart from
 * helpers only install reaches. Built from the calls between the package's methods; a call
 * resolves to the named method and to every override of it in the package. Constructors,
 * static initialisers and {@code install} are install time and never entry points.
 */
final class ApduPath {
    /** Methods the Java Card runtime calls on an applet after install. */
    private static final Set<String> CALLBACKS = Set.of("process", "select", "deselect",
            "getShareableInterfaceObject", "uninstall");

    private final Map<String, ClassNode> classes;
    private final Map<MethodNode, Set<MethodNode>> callees = new HashMap<>();
    private final Set<MethodNode> called = new LinkedHashSet<>();
    private final Map<MethodNode, ClassNode> owner = new HashMap<>();

    /** @param classes the package's classes by internal name */
    ApduPath(Map<String, ClassNode> classes) {
        this.classes = classes;
        for (ClassNode c : classes.values()) {
            for (MethodNode m : c.methods) {
                owner.put(m, c);
                Set<MethodNode> targets = new LinkedHashSet<>();
                for (AbstractInsnNode insn : m.instructions) {
                    if (insn instanceof MethodInsnNode) {
                        MethodInsnNode mi = (MethodInsnNode) insn;
                        if (!mi.name.equals("<init>")) {
                            targets.addAll(resolve(mi.owner, mi.name, mi.desc));
                        }
                    }
                }
                callees.put(m, targets);
                called.addAll(targets);
            }
        }
    }

    /**
     * Methods the APDU path can run, each with the call chain from an entry point: the
     * applet callbacks, Shareable methods, and methods nothing in the package calls.
     */
    Map<MethodNode, String> routes() {
        Map<MethodNode, String> route = new LinkedHashMap<>();
        Deque<MethodNode> work = new ArrayDeque<>();
        for (ClassNode c : classes.values()) {
            for (MethodNode m : c.methods) {
                boolean install = m.name.equals("install") && m.desc.equals(JavaCardSubset.INSTALL_DESC);
                boolean init = m.name.startsWith("<");
                boolean callback = isApplet(c) && CALLBACKS.contains(m.name)
                        && (m.access & Opcodes.ACC_STATIC) == 0;
                if (!init && !install && (callback || !called.contains(m) || implementsShareable(c, m))) {
                    route.put(m, simpleName(m));
                    work.add(m);
                }
            }
        }
        while (!work.isEmpty()) {
            MethodNode from = work.poll();
            for (MethodNode next : callees.getOrDefault(from, Set.of())) {
                if (!route.containsKey(next)) {
                    route.put(next, route.get(from) + " -> " + simpleName(next));
                    work.add(next);
                }
            }
        }
        return route;
    }

    private String simpleName(MethodNode m) {
        String owner = this.owner.get(m).name;
        return owner.substring(owner.lastIndexOf('/') + 1) + "." + m.name;
    }

    private List<MethodNode> resolve(String owner, String name, String desc) {
        List<MethodNode> found = new ArrayList<>();
        for (ClassNode c : classes.values()) {
            if (ancestors(c).contains(owner) || ancestorsOf(owner).contains(c.name)) {
                for (MethodNode m : c.methods) {
                    if (m.name.equals(name) && m.desc.equals(desc)) {
                        found.add(m);
                    }
                }
            }
        }
        return found;
    }

    /** c and every supertype of it the class files name (in the package or not). */
    private Set<String> ancestors(ClassNode c) {
        Set<String> all = new LinkedHashSet<>();
        Deque<String> work = new ArrayDeque<>(List.of(c.name));
        while (!work.isEmpty()) {
            String n = work.poll();
            if (all.add(n)) {
                ClassNode k = classes.get(n);
                if (k != null) {
                    if (k.superName != null) {
                        work.add(k.superName);
                    }
                    work.addAll(k.interfaces);
                }
            }
        }
        return all;
    }

    private Set<String> ancestorsOf(String name) {
        ClassNode c = classes.get(name);
        return c == null ? Set.of() : ancestors(c);
    }

    private boolean isApplet(ClassNode c) {
        return ancestors(c).contains("javacard/framework/Applet");
    }

    /** A method another applet can call through a Shareable interface c implements. */
    private boolean implementsShareable(ClassNode c, MethodNode m) {
        for (String a : ancestors(c)) {
            ClassNode i = classes.get(a);
            if (i != null && (i.access & Opcodes.ACC_INTERFACE) != 0
                    && ancestors(i).contains("javacard/framework/Shareable")) {
                for (MethodNode im : i.methods) {
                    if (im.name.equals(m.name) && im.desc.equals(m.desc)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
