package calfkit.kernel;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.AbstractChannel;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.LoopThread;
import org.rapaio.jupyter.kernel.channels.MessageHandler;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.core.Transform;
import org.rapaio.jupyter.kernel.core.java.JavaEngine;
import org.rapaio.jupyter.kernel.core.java.RapaioExecutionControl;
import org.rapaio.jupyter.kernel.core.java.RapaioExecutionControlProvider;
import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.jupyter.kernel.message.MessageType;
import org.rapaio.jupyter.kernel.message.messages.ControlInterruptReply;
import org.rapaio.org.zeromq.ZMQ;

/**
 * Starts rapaio-jupyter-kernel 3.0.1 without its two start-up races, and with an Interrupt that works.
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
 *
 * <p>Fault 3, Interrupt (Kernel › Interrupt, the ■ button). The stock control loop sets the one message id that
 * the shell loop also uses, so the running cell's output and its {@code execute_reply} go out under the
 * interrupt's id and the notebook never sees the cell end; it sends the {@code interrupt_reply} on the shell
 * socket instead of the control socket; and its {@code interrupt()} shuts the snippet executor down, after which
 * every cell runs but prints nothing. Here the control channel gets its own loop: an {@code interrupt_request} is
 * answered on the control socket with the request as parent, without touching the shared id, and the running
 * snippet's future is cancelled ({@code Future.cancel(true)}, which interrupts its thread: the cell ends at once
 * with an error, and code that checks the interrupt flag, such as the kit's training loop, stops); a snippet
 * thread that ignores the interrupt and is still running {@value #STOP_AFTER_MS} ms later is stopped
 * ({@code Thread.stop}, JDK 17), suspended first and only outside the kernel's output code. Other control messages
 * (shutdown) go to the stock handlers as before.
 * {@code environment/tests/kernel-interrupt.py} proves it against the real kernel.
 */
public final class ReliableKernel {

    /** The channels of {@link Channels} whose polling loop thread is restarted (control's is replaced). */
    private static final List<String> LOOPING_CHANNELS = List.of("heartbeat", "shell");

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
        // connect() builds a table of its own (after binding): put the hinting execute handler in it too, before
        // the first cell can arrive (a client sends kernel_info first and waits for the reply).
        @SuppressWarnings("unchecked")
        Map<MessageType<?>, MessageHandler> connected = (Map<MessageType<?>, MessageHandler>) getField(channels, "handlers");
        connected.put(MessageType.SHELL_EXECUTE_REQUEST, executeHandler(kernel));
        // Fault 1: restart the loops with their running flag set before they start (control's below, too).
        for (String name : LOOPING_CHANNELS) {
            restartLoop(getField(channels, name));
        }
        // Fault 3: the control channel's loop becomes one that answers interrupts itself.
        replaceControlLoop(kernel, channels);
        channels.joinUntilClose();
    }

    /** How long an interrupted snippet may ignore the interrupt before its thread is stopped. */
    static final long STOP_AFTER_MS = 2000;

    private static void replaceControlLoop(RapaioKernel kernel, Channels channels) throws Exception {
        AbstractChannel control = (AbstractChannel) getField(channels, "control");
        LoopThread old = (LoopThread) getField(control, "loopThread");
        if (old == null) {
            return;
        }
        old.shutdown();
        old.join();
        ZMQ.Context ctx = (ZMQ.Context) getField(control, "ctx");
        ZMQ.Poller poller = ctx.poller(1);
        poller.register((ZMQ.Socket) getField(control, "socket"), ZMQ.Poller.POLLIN);
        Logger log = Logger.getLogger(ReliableKernel.class.getName());
        Runnable body = () -> {
            if (poller.poll(0) <= 0) {
                return;
            }
            Message<?> msg = control.readMessage();
            MessageType<?> type = msg.header().type();
            if (type == MessageType.CONTROL_INTERRUPT_REQUEST) {
                interrupt(kernel, control, msg);
                return;
            }
            @SuppressWarnings("unchecked")
            MessageHandler<Object> handler = (MessageHandler<Object>) channels.getHandler(type);
            if (handler == null) {
                log.warning("no handler for control message " + type.name());
                return;
            }
            channels.setMsgId(msg.getId());
            try {
                handler.handle((Message<Object>) msg);
            } catch (Exception e) {
                log.severe("control message " + type.name() + " failed: " + e);
            } finally {
                channels.runAfterActions();
            }
            if (channels.isMarkedForShutdown()) {
                channels.close();
            }
        };
        LoopThread fresh = new LoopThread(old.getName(), (long) getField(old, "sleep"), body);
        setField(fresh, "running", true);
        fresh.start();
        setField(control, "loopThread", fresh);
    }

    /** Answers an interrupt on the control socket and cancels the running snippet (class comment, fault 3). */
    private static void interrupt(RapaioKernel kernel, AbstractChannel control, Message<?> request) {
        control.sendMessage(new Message<>(request.getId(), MessageType.CONTROL_INTERRUPT_REPLY,
                new ControlInterruptReply()));
        try {
            JavaEngine engine = kernel.javaEngine();
            RapaioExecutionControlProvider provider = (RapaioExecutionControlProvider) getField(engine, "controlProvider");
            RapaioExecutionControl execution = provider.getRegisteredControl((String) getField(engine, "executionId"));
            List<Thread> running = snippetThreads();
            execution.interrupt();
            if (running.isEmpty()) {
                return;
            }
            Thread reaper = new Thread(() -> stopIfStillRunning(running), "calf-interrupt-reaper");
            reaper.setDaemon(true);
            reaper.start();
        } catch (ReflectiveOperationException e) {
            Logger.getLogger(ReliableKernel.class.getName()).severe("interrupt failed: " + e);
        }
    }

    /** The threads that run a notebook snippet now (JShell's direct execution, on the kernel's executor). */
    private static List<Thread> snippetThreads() {
        List<Thread> threads = new ArrayList<>();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            for (StackTraceElement e : stack) {
                if (e.getClassName().equals(RapaioExecutionControl.class.getName())
                        && e.getMethodName().startsWith("lambda$execute")) {
                    threads.add(t);
                    return;
                }
            }
        });
        return threads;
    }

    /**
     * After {@link #STOP_AFTER_MS}, stops the interrupted snippet threads that still run their snippet with the
     * interrupt flag set (a pool thread that went back to the executor has its flag cleared, and is left alone).
     */
    @SuppressWarnings({"deprecation", "removal"})
    private static void stopIfStillRunning(List<Thread> threads) {
        try {
            Thread.sleep(STOP_AFTER_MS);
            for (Thread t : threads) {
                // Suspended, the thread cannot enter the kernel's output while we look: stopping it inside a
                // ZeroMQ send would leave the output socket mid-message and silence every later cell.
                for (int attempt = 0; attempt < 50 && snippetThreads().contains(t) && t.isInterrupted(); attempt++) {
                    t.suspend();
                    boolean inOutput = inKernelOutput(t.getStackTrace());
                    if (!inOutput) {
                        t.stop();
                    }
                    t.resume();
                    if (!inOutput) {
                        break;
                    }
                    Thread.sleep(20);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a stack is inside the kernel's messaging or console code (where a stop would corrupt a socket). */
    private static boolean inKernelOutput(StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            String c = e.getClassName();
            if (c.startsWith("org.rapaio.org.zeromq") || c.startsWith("org.rapaio.jupyter.kernel.channels")
                    || c.startsWith("org.rapaio.jupyter.kernel.core.java.io") || c.startsWith("org.rapaio.jupyter.kernel.message")
                    || c.startsWith("java.io.PrintStream")) {
                return true;
            }
        }
        return false;
    }

    /** Execution, with a plain-words hint for a cell run before the setup cell or left unfinished (CellHints). */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static MessageHandler executeHandler(RapaioKernel kernel) {
        return m -> kernel.handleExecuteRequest(CellHints.withHint(kernel.javaEngine(), (Message) m));
    }

    /** The kernel's message handlers, the same table {@code Channels.connect} builds. */
    @SuppressWarnings({"rawtypes"})
    private static Map<MessageType<?>, MessageHandler> handlerTable(RapaioKernel kernel) {
        Map<MessageType<?>, MessageHandler> table = new HashMap<>();
        table.put(MessageType.SHELL_EXECUTE_REQUEST, executeHandler(kernel));
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
