package io.totptoken.host.cli;

import io.totptoken.host.provisioning.DesktopPrograms;
import io.totptoken.host.provisioning.DesktopUnavailableException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The desktop's clipboard, through its own tool: wl-copy under Wayland, xclip or xsel under X11,
 * pbcopy on macOS; the first one present that fits the session. The text goes on the tool's
 * stdin, never its command line, which every user can read in the process list.
 */
final class Clipboard {
    private record Tool(String program, List<String> args) {
    }

    private Clipboard() {
    }

    /**
     * Puts {@code text} on the clipboard; returns the name of the tool that did.
     *
     * @throws DesktopUnavailableException when there is no clipboard, no tool for it, or the tool fails
     */
    static String copy(CliEnvironment env, String text) {
        List<Tool> tools = tools(env);
        if (tools.isEmpty()) {
            throw new DesktopUnavailableException("no clipboard to copy to: neither WAYLAND_DISPLAY nor DISPLAY is set"
                    + " (run tokenctl in the desktop session)");
        }
        for (Tool tool : tools) {
            Path program = DesktopPrograms.find(env.env(), tool.program());
            if (program == null) {
                continue;
            }
            List<String> command = new ArrayList<>(List.of(program.toString()));
            command.addAll(tool.args());
            DesktopPrograms.Exit exit = DesktopPrograms.run(env.env(), command, text.getBytes(StandardCharsets.UTF_8));
            if (!exit.ok()) {
                throw new DesktopUnavailableException(tool.program() + " could not copy to the clipboard (exit "
                        + exit.code() + (exit.error().isEmpty() ? "" : ": " + exit.error()) + ")");
            }
            return tool.program();
        }
        throw new DesktopUnavailableException("no clipboard tool found; install " + installHint(env));
    }

    private static boolean mac() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("mac");
    }

    private static List<Tool> tools(CliEnvironment env) {
        List<Tool> tools = new ArrayList<>();
        if (mac()) {
            tools.add(new Tool("pbcopy", List.of()));
        }
        if (env.getenv("WAYLAND_DISPLAY") != null) {
            tools.add(new Tool("wl-copy", List.of()));
        }
        if (env.getenv("DISPLAY") != null) {
            tools.add(new Tool("xclip", List.of("-selection", "clipboard")));
            tools.add(new Tool("xsel", List.of("--clipboard", "--input")));
        }
        return tools;
    }

    private static String installHint(CliEnvironment env) {
        List<String> names = new ArrayList<>();
        if (env.getenv("WAYLAND_DISPLAY") != null) {
            names.add("wl-clipboard (wl-copy) for Wayland");
        }
        if (env.getenv("DISPLAY") != null) {
            names.add("xclip or xsel for X11");
        }
        return names.isEmpty() ? "pbcopy" : String.join(", or ", names);
    }
}
