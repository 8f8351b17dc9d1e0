package calfkit.kernel;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.LoopThread;
import org.rapaio.jupyter.kernel.channels.MessageHandler;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.core.Transform;
import org.rapaio.jupyter.kernel.message.MessageType;

/**
 * Starts rapaio-jupyter-kernel 3.0.1 without its two start-up races.
 *
 * <p>The stock kernel fails to start about one time in five on a 2-core machine (the client gives up with
 * "Kernel didn't respond in 60 seconds"). Two faults cause it:
 * <ol>
 *   <li>Each channel's {@code LoopThread.start()} starts the thread <em>before</em> it sets its
 *       {@code running} flag, so the new thread can read {@code false} and exit at once: that channel
 *       (heartbeat, shell or control) is then dead for the whole session.</li>
 *   <li>{@code Channels.connect()} binds the sockets before it creates the message-handler table, so a
 *       {@code kernel_info_request} that arrives early meets a {@code null} table; the
 *       NullPointerException kills the shell channel's thread.</li>
 * </ol>
 * This launcher does what the kernel's own {@code MainApp} does, with two changes: it fills the handler
 * table and registers the channels with the kernel <em>before</em> the sockets are bound, and once
 * {@code connect()} has returned it replaces each channel's loop thread by a fresh one whose
 * {@code running} flag is set before the thread starts. The replacement joins the old thread first, so
 * no two threads ever read one socket. Everything else (display, magics, JShell) is the stock kernel.
 * {@code environment/check-kernel-starts.sh} proves it with 100 starts in a row.
 */
public final class ReliableKernel {

    /** The channels of {@link Channels} that run a polling loop thread. */
    private static final List<String> LOOPING_CHANNELS = List.of("heartbeat", "shell", "control");

    private ReliableKernel() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1 || args[0].startsWith("-")) {
            // The installer and anything else stays the stock kernel's business.
            MainApp.main(args);
            return;
        }
        LogManager.getLogManager().readConfiguration(
                MainApp.class.getClassLoader().getResourceAsStream("logging.properties"));
        // The stock kernel logs every message at INFO to stderr; keep warnings unless CALF_KERNEL_LOG=info.
        if (!"info".equalsIgnoreCase(System.getenv("CALF_KERNEL_LOG"))) {
            Logger.getLogger("").setLevel(Level.WARNING);
        }
        Path connectionFile = Path.of(args[0]);
        if (!Files.isRegularFile(connectionFile)) {
            throw new IllegalArgumentException("Jupyter connection file '" + connectionFile
                    + "' is not a file: the kernel expects the {connection_file} path Jupyter passes.");
        }
        ConnectionProperties connection = Transform.fromJson(Files.readString(connectionFile),
                ConnectionProperties.class);

        RapaioKernel kernel = MainApp.kernel;
        Channels channels = new Channels(connection);
        // Fault 2: the table must exist before the first message can arrive.
        kernel.registerChannels(channels);
        setField(channels, "handlers", handlerTable(kernel));
        channels.connect(kernel);
        // Fault 1: restart every loop with its running flag set before it starts.
        for (String name : LOOPING_CHANNELS) {
            restartLoop(getField(channels, name));
        }
        channels.joinUntilClose();
    }

    /** The kernel's message handlers, the same table {@code Channels.connect} builds. */
    @SuppressWarnings({"rawtypes"})
    private static Map<MessageType<?>, MessageHandler> handlerTable(RapaioKernel kernel) {
        Map<MessageType<?>, MessageHandler> table = new HashMap<>();
        table.put(MessageType.SHELL_EXECUTE_REQUEST, kernel::handleExecuteRequest);
        table.put(MessageType.SHELL_INSPECT_REQUEST, kernel::handleInspectRequest);
        table.put(MessageType.SHELL_COMPLETE_REQUEST, kernel::handleCompleteRequest);
        table.put(MessageType.SHELL_HISTORY_REQUEST, kernel::handleHistoryRequest);
        table.put(MessageType.SHELL_IS_COMPLETE_REQUEST, kernel::handleIsCompleteRequest);
        table.put(MessageType.SHELL_KERNEL_INFO_REQUEST, kernel::handleKernelInfoRequest);
        table.put(MessageType.CONTROL_SHUTDOWN_REQUEST, kernel::handleShutdownRequest);
        table.put(MessageType.CONTROL_INTERRUPT_REQUEST, kernel::handleInterruptRequest);
        table.put(MessageType.CUSTOM_COMM_OPEN, kernel::handleCommOpenCommand);
        table.put(MessageType.CUSTOM_COMM_MSG, kernel::handleCommMsgCommand);
        table.put(MessageType.CUSTOM_COMM_CLOSE, kernel::handleCommCloseCommand);
        table.put(MessageType.SHELL_COMM_INFO_REQUEST, kernel::handleCommInfoRequest);
        return table;
    }

    private static void restartLoop(Object channel) throws ReflectiveOperationException, InterruptedException {
        LoopThread old = (LoopThread) getField(channel, "loopThread");
        if (old == null) {
            return;
        }
        old.shutdown();
        old.join();
        LoopThread fresh = new LoopThread(old.getName(), (long) getField(old, "sleep"),
                (Runnable) getField(old, "loopBody"));
        setField(fresh, "running", true);
        fresh.start();
        setField(channel, "loopThread", fresh);
    }

    private static Object getField(Object target, String name) throws ReflectiveOperationException {
        return field(target.getClass(), name).get(target);
    }

    private static void setField(Object target, String name, Object value) throws ReflectiveOperationException {
        field(target.getClass(), name).set(target, value);
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException ignored) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name
                + ": this launcher is written for rapaio-jupyter-kernel 3.0.1");
    }
}
