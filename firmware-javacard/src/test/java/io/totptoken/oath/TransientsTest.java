package io.totptoken.oath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javacard.framework.JCSystem;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The scratch table of {@link Transients}, read from its class file in declaration order: every
 * view a run of fields laid end to end from 0 (so no two fields of one view overlap), ending at
 * its {@code <VIEW>_SIZE}, within {@code SCRATCH_SIZE}, which is what install allocates. Each
 * rule of the check is shown to fire on a table that breaks it. And no other class allocates RAM.
 */
class TransientsTest {
    /** One {@code static final short} of the table. */
    record Entry(String name, int value) {
    }

    @Test
    void scratchViewsAreDisjointRunsWithinTheBuffer() throws IOException {
        List<Entry> table = table();
        assertEquals(List.of(), problems(table), "the scratch table in Transients");
        assertEquals(List.of("PUT", "KEY", "CODE", "RESET"), List.copyOf(views(table).keySet()));
    }

    @Test
    void installAllocatesTheScratchTheTableNeeds() throws IOException {
        Transients ram = new Transients((short) 1);
        assertEquals(Transients.SCRATCH_SIZE, ram.scratch.length);
        assertEquals(JCSystem.CLEAR_ON_DESELECT, JCSystem.isTransient(ram.scratch));
        for (Map.Entry<String, Integer> view : viewSizes(table()).entrySet()) {
            assertTrue(view.getValue() <= ram.scratch.length,
                    view.getKey() + "_ needs " + view.getValue() + " bytes, " + ram.scratch.length + " allocated");
        }
    }

    @Test
    void noOtherClassAllocatesRam() throws Exception {
        Path classes = Path.of(Transients.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes.resolve("io/totptoken/oath"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                ClassNode c = new ClassNode();
                new ClassReader(Files.readAllBytes(file)).accept(c, 0);
                for (MethodNode m : c.methods) {
                    for (AbstractInsnNode insn : m.instructions) {
                        if (insn instanceof MethodInsnNode call && call.owner.equals("javacard/framework/JCSystem")
                                && call.name.startsWith("makeTransient") && !c.name.endsWith("/Transients")) {
                            found.add(c.name + "." + m.name + " calls " + call.name);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), found, "RAM allocated outside Transients");
    }

    @Test
    void overlappingFieldsAreCaught() {
        List<Entry> t = goodTable();
        t.set(2, new Entry("A_Y", 3)); // A_X is 0..4
        assertProblem(t, "A_Y at 3 overlaps A_X (0..4)");
    }

    @Test
    void aGapIsCaught() {
        List<Entry> t = goodTable();
        t.set(2, new Entry("A_Y", 5));
        assertProblem(t, "A_Y at 5 leaves a gap after A_X (0..4)");
    }

    @Test
    void aViewBeyondTheBufferIsCaught() {
        List<Entry> t = goodTable();
        t.set(t.size() - 1, new Entry("SCRATCH_SIZE", 5));
        assertProblem(t, "view A_ ends at 6, beyond SCRATCH_SIZE 5");
    }

    @Test
    void aViewSizeOtherThanItsEndIsCaught() {
        List<Entry> t = goodTable();
        t.set(4, new Entry("A_SIZE", 5));
        assertProblem(t, "A_SIZE is 5, but its last field ends at 6");
    }

    @Test
    void aViewNotStartingAtZeroIsCaught() {
        List<Entry> t = goodTable();
        t.set(5, new Entry("B_Z", 1));
        assertProblem(t, "view B_ starts at 1, not 0");
    }

    @Test
    void aFieldWithoutSizeIsCaught() {
        List<Entry> t = goodTable();
        t.remove(3);
        assertProblem(t, "A_Y has no A_Y_SIZE");
    }

    @Test
    void aMissingScratchSizeIsCaught() {
        List<Entry> t = goodTable();
        t.remove(t.size() - 1);
        assertProblem(t, "no SCRATCH_SIZE");
    }

    /** Two views: A_X 0..4, A_Y 4..6; B_Z 0..3; a 6-byte buffer. */
    private static List<Entry> goodTable() {
        List<Entry> t = new ArrayList<>(List.of(new Entry("A_X", 0), new Entry("A_X_SIZE", 4), new Entry("A_Y", 4),
                new Entry("A_Y_SIZE", 2), new Entry("A_SIZE", 6), new Entry("B_Z", 0), new Entry("B_Z_SIZE", 3),
                new Entry("B_SIZE", 3), new Entry("SCRATCH_SIZE", 6)));
        assertEquals(List.of(), problems(t), "the good table");
        return t;
    }

    private static void assertProblem(List<Entry> table, String expected) {
        List<String> found = problems(table);
        assertTrue(found.contains(expected), "expected [" + expected + "], got " + found);
    }

    /** The static final shorts of Transients, in the order the source declares them. */
    private static List<Entry> table() throws IOException {
        ClassNode node = new ClassNode();
        try (InputStream in = Transients.class.getResourceAsStream("Transients.class")) {
            new ClassReader(in).accept(node, 0);
        }
        List<Entry> table = new ArrayList<>();
        for (FieldNode f : node.fields) {
            int constant = Opcodes.ACC_STATIC | Opcodes.ACC_FINAL;
            if ((f.access & constant) == constant && f.desc.equals("S")) {
                table.add(new Entry(f.name, (Integer) f.value));
            }
        }
        return table;
    }

    /** Offsets by view, in declaration order: every entry but sizes and SCRATCH_SIZE. */
    private static Map<String, List<Entry>> views(List<Entry> table) {
        Map<String, List<Entry>> views = new LinkedHashMap<>();
        for (Entry e : table) {
            if (!e.name().endsWith("_SIZE")) {
                views.computeIfAbsent(view(e.name()), v -> new ArrayList<>()).add(e);
            }
        }
        return views;
    }

    private static Map<String, Integer> viewSizes(List<Entry> table) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (Entry e : table) {
            if (e.name().equals(view(e.name()) + "_SIZE") && !e.name().equals("SCRATCH_SIZE")) {
                sizes.put(view(e.name()), e.value());
            }
        }
        return sizes;
    }

    private static String view(String name) {
        return name.substring(0, Math.max(name.indexOf('_'), 0));
    }

    /** What is wrong with a scratch table; empty when nothing is. */
    static List<String> problems(List<Entry> table) {
        Map<String, Integer> values = new LinkedHashMap<>();
        table.forEach(e -> values.put(e.name(), e.value()));
        List<String> problems = new ArrayList<>();
        Integer scratch = values.get("SCRATCH_SIZE");
        if (scratch == null) {
            problems.add("no SCRATCH_SIZE");
        }
        Map<String, Integer> viewSizes = viewSizes(table);
        for (Map.Entry<String, List<Entry>> view : views(table).entrySet()) {
            String name = view.getKey();
            int end = 0;
            Entry previous = null;
            for (Entry field : view.getValue()) {
                Integer size = values.get(field.name() + "_SIZE");
                if (size == null || size <= 0) {
                    problems.add(field.name() + " has no " + field.name() + "_SIZE");
                    size = 0;
                }
                if (previous == null && field.value() != 0) {
                    problems.add("view " + name + "_ starts at " + field.value() + ", not 0");
                } else if (previous != null && field.value() < end) {
                    problems.add(field.name() + " at " + field.value() + " overlaps " + span(previous, end));
                } else if (previous != null && field.value() > end) {
                    problems.add(field.name() + " at " + field.value() + " leaves a gap after " + span(previous, end));
                }
                end = field.value() + size;
                previous = field;
            }
            Integer declared = viewSizes.get(name);
            if (declared == null || declared != end) {
                problems.add(name + "_SIZE is " + declared + ", but its last field ends at " + end);
            }
            if (scratch != null && end > scratch) {
                problems.add("view " + name + "_ ends at " + end + ", beyond SCRATCH_SIZE " + scratch);
            }
        }
        return problems;
    }

    private static String span(Entry field, int end) {
        return field.name() + " (" + field.value() + ".." + end + ")";
    }
}
