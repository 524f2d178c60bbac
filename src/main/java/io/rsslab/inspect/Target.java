package io.rsslab.inspect;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.rsslab.data.Text;

/**
 * The process to inspect, through /proc/PID, read only: its status, command
 * line, environment at start, memory map, and its own C library (through
 * /proc/PID/root, so a process in a container is read with its own files).
 * Every refusal is an InspectException in one line.
 */
public final class Target {

    /** PF_KTHREAD in /proc/PID/stat's flags. */
    private static final long PF_KTHREAD = 0x00200000;
    private static final int EM_X86_64 = 62;

    private final long pid;
    private final Path proc;

    private Target(long pid) {
        this.pid = pid;
        this.proc = Path.of("/proc", Long.toString(pid));
    }

    /** A process that can be inspected, or an InspectException saying why not. */
    public static Target open(long pid) throws InspectException {
        if (pid < 1) {
            throw new InspectException("PID " + pid + " is not a process id");
        }
        Target t = new Target(pid);
        String status = t.text("status");
        String state = field(status, "State:");
        if (state.startsWith("Z")) {
            throw new InspectException("process " + pid + " is a zombie: it has exited and has no memory left");
        }
        if (t.kernelThread()) {
            throw new InspectException("process " + pid + " (" + field(status, "Name:") + ") is a kernel thread: "
                    + "it has no user memory and no malloc");
        }
        t.requireX86_64();
        return t;
    }

    /** The process's memory, read through /proc/PID/mem and pagemap; the caller closes it. */
    public ProcMemory openMemory() throws InspectException {
        try {
            return new ProcMemory(pid);
        } catch (AccessDeniedException e) {
            throw notReadable("mem");
        } catch (IOException e) {
            throw new InspectException("cannot open process " + pid + "'s memory: " + e.getMessage());
        }
    }

    public long pid() {
        return pid;
    }

    /** A file of /proc/PID as text; gone or unreadable is an InspectException. */
    String text(String name) throws InspectException {
        try {
            return Files.readString(proc.resolve(name), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new InspectException("no process " + pid + " (it has exited, or never was)");
        } catch (AccessDeniedException e) {
            throw notReadable(name);
        } catch (IOException e) {
            if (!Files.exists(proc)) {
                throw new InspectException("no process " + pid + " (it has exited, or never was)");
            }
            throw new InspectException("cannot read /proc/" + pid + "/" + name + ": " + e.getMessage());
        }
    }

    /** Why /proc/PID/mem (or another file) is closed to us, and the way out. */
    InspectException notReadable(String name) {
        String scope = "";
        try {
            scope = Files.readString(Path.of("/proc/sys/kernel/yama/ptrace_scope")).strip();
        } catch (IOException e) {
            // No Yama: only the ownership rule applies.
        }
        return new InspectException("cannot read /proc/" + pid + "/" + name + ": reading another process's memory "
                + "needs ptrace access (PTRACE_MODE_ATTACH: the same user"
                + (scope.isEmpty() ? "" : ", and kernel.yama.ptrace_scope=" + scope
                        + (scope.equals("1") ? " allows it only for its ancestors" : ""))
                + "); run inspect as root or with CAP_SYS_PTRACE (e.g. sudo rsslab inspect " + pid + ")");
    }

    String status() throws InspectException {
        return text("status");
    }

    /** VmRSS in kB, now. */
    public long vmRssKb() throws InspectException {
        String v = field(status(), "VmRSS:");
        return v.isEmpty() ? 0 : Long.parseLong(v.split("\\s+")[0]);
    }

    /** The command line, arguments separated by spaces, control characters escaped. */
    String command() throws InspectException {
        String cmd = text("cmdline").replace('\0', ' ').strip();
        return Text.printable(cmd.isEmpty() ? "[" + field(status(), "Name:") + "]" : cmd);
    }

    /** The environment the process started with (/proc/PID/environ: later setenv is not seen). */
    Map<String, String> environment() throws InspectException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : text("environ").split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), new String(entry.substring(eq + 1).getBytes(StandardCharsets.ISO_8859_1),
                        StandardCharsets.UTF_8));
            }
        }
        return env;
    }

    public List<Mapping> smaps() throws InspectException {
        return Smaps.parse(text("smaps"));
    }

    /** The process's /proc/PID/stat state letter (R, S, T, ...). */
    char state() throws InspectException {
        String stat = text("stat");
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    private boolean kernelThread() throws InspectException {
        String stat = text("stat");
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long flags = Long.parseLong(f[6]);
        return (flags & PF_KTHREAD) != 0;
    }

    /** The executable's ELF header: a 64-bit x86-64 process, or an InspectException. */
    private void requireX86_64() throws InspectException {
        byte[] h;
        try (var in = Files.newInputStream(proc.resolve("exe"))) {
            h = in.readNBytes(20);
        } catch (AccessDeniedException e) {
            throw notReadable("exe");
        } catch (IOException e) {
            throw new InspectException("cannot read process " + pid + "'s executable: " + e.getMessage());
        }
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        if (h.length < 20 || b.getInt(0) != 0x464c457f) {
            throw new InspectException("process " + pid + "'s executable is not ELF");
        }
        int machine = Short.toUnsignedInt(b.getShort(18));
        if (h[4] != 2 || machine != EM_X86_64) {
            throw new InspectException("process " + pid + " is not a 64-bit x86-64 process (ELF class " + h[4]
                    + ", machine " + machine + "): inspect reads x86-64 glibc heaps only");
        }
    }

    /**
     * The version of the glibc mapped at libcPath in the process, read from
     * that file as the process sees it (/proc/PID/root): its banner says
     * "release version X.Y".
     */
    String glibcVersion(String libcPath) throws InspectException {
        Path file = proc.resolve("root").resolve(libcPath.substring(1));
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InspectException("cannot read process " + pid + "'s C library " + libcPath + ": "
                    + e.getMessage());
        }
        String marker = "release version ";
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("GNU C Library");
        int v = at < 0 ? -1 : text.indexOf(marker, at);
        if (v < 0 || v - at > 200) {
            throw new InspectException(libcPath + " in process " + pid + " does not say which glibc it is");
        }
        StringBuilder version = new StringBuilder();
        for (int i = v + marker.length(); i < text.length() && (Character.isDigit(text.charAt(i))
                || text.charAt(i) == '.'); i++) {
            version.append(text.charAt(i));
        }
        String s = version.toString().replaceAll("\\.$", "");
        if (!s.matches("\\d+\\.\\d+(\\.\\d+)?")) {
            throw new InspectException(libcPath + " in process " + pid + " does not say which glibc it is");
        }
        return s;
    }

    /** The value after "Name:" in a /proc status text, or "". */
    static String field(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name)) {
                return line.substring(name.length()).strip();
            }
        }
        return "";
    }

    /** The names of the files mapped, in order, each once. */
    static List<String> mappedFiles(List<Mapping> maps) {
        List<String> files = new ArrayList<>();
        for (Mapping m : maps) {
            if (m.name().startsWith("/") && !files.contains(m.name())) {
                files.add(m.name());
            }
        }
        return files;
    }
}
