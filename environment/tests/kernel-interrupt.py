#!/usr/bin/env python3
"""Interrupt against the real kernel (issue 15): Kernel > Interrupt must end the running cell within seconds,
answer the interrupt request, and leave the session working.

Starts the registered "calf-java" kernel with jupyter_client (Debian's python3-jupyter-client), as the notebook
server does, and for ROUNDS rounds (default 20), each with one kind of running cell in turn (a sleeping loop, a
CPU loop that never checks the interrupt flag, a kit training at smoke size), sends interrupt_request on the
control channel after 2 s, then checks: the interrupt_reply arrives, the cell's execute_reply arrives (status
error) within 5 s, a next cell prints, and the one after displays an image. Before the rounds, the kernel's
hints for a cell run before the setup cell and for an unfinished statement. Prints one line per check and exits 1
on any failure.
    environment/tests/kernel-interrupt.py [ROUNDS]
"""
import queue
import subprocess
import sys
import time

from jupyter_client.manager import start_new_kernel

CASES = [
    ("sleeping loop", "for (int i = 0; i < 600; i++) Thread.sleep(100);"),
    ("CPU loop that ignores the interrupt", "long n = 0; while (n >= 0) { n++; }"),
    ("kit training (smoke U-Net, 200 epochs)",
     "calfkit.train.TrainingRun.train(calfkit.train.TrainConfig.forScale(calfkit.config.Scale.SMOKE, \"unet\", \"bce\")"
     ".toBuilder().epochs(200).build(),"
     " calfkit.data.source.Datasets.open(calfkit.config.Settings.from(java.util.Map.of(\"CALF_SCALE\", \"smoke\"))),"
     " java.nio.file.Files.createTempDirectory(\"interrupt\").resolve(\"run\"), false, System.out);"),
]


ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 20
PRINT = 'System.out.println("still here " + (6 * 7));'
DISPLAY = 'display(new java.awt.image.BufferedImage(16, 16, java.awt.image.BufferedImage.TYPE_INT_RGB));'


def collect(msg, msg_id, text):
    """Adds what a message of cell msg_id shows to text: its printed text, and 'image/png' for a displayed image."""
    if msg["parent_header"].get("msg_id") != msg_id:
        return
    if msg["msg_type"] == "stream":
        text.append(msg["content"]["text"])
    elif msg["msg_type"] in ("display_data", "execute_result") and "image/png" in msg["content"].get("data", {}):
        text.append("image/png")


def wait_reply(kc, msg_id, timeout):
    """The shell reply to msg_id, and what its cell showed, or (None, text) on timeout."""
    deadline = time.time() + timeout
    text = []
    reply = None
    while time.time() < deadline:
        try:
            collect(kc.get_iopub_msg(timeout=0.2), msg_id, text)
        except queue.Empty:
            pass
        if reply is None:
            try:
                m = kc.get_shell_msg(timeout=0.05)
                if m["parent_header"].get("msg_id") == msg_id:
                    reply = m
            except queue.Empty:
                pass
        if reply is not None:
            # drain what the cell printed just before its reply
            time.sleep(0.3)
            while True:
                try:
                    collect(kc.get_iopub_msg(timeout=0.1), msg_id, text)
                except queue.Empty:
                    break
            return reply, "".join(text)
    return None, "".join(text)


def main():
    km, kc = start_new_kernel(kernel_name="calf-java", startup_timeout=120, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    failures = 0
    try:
        reply, text = wait_reply(kc, kc.execute('System.out.println("ready");'), 60)
        if reply is None or "ready" not in text:
            print("kernel-interrupt: FAILED: the kernel did not run a first cell")
            return 1
        # Plain-words hints (calfkit.kernel.CellHints): a cell run before the setup cell, an unfinished statement.
        for code, want in (('System.out.println(PLAN);', 'hint: this cell uses PLAN'),
                           ('int a = 1;\nSystem.out.println((a + 2);', 'starts on line 2 of this cell does not end')):
            reply, text = wait_reply(kc, kc.execute(code), 30)
            ok = reply is not None and want in text
            failures += 0 if ok else 1
            print("kernel-interrupt: %s hint for %r: %s" % ("ok    " if ok else "FAILED", code,
                                                             text.strip().splitlines()[0] if text.strip() else "none"))
        took_all = []
        for round_ in range(ROUNDS):
            name, code = CASES[round_ % len(CASES)]
            msg_id = kc.execute(code)
            time.sleep(2)
            t0 = time.time()
            # What the notebook server does for interrupt_mode "message": interrupt_request on the control channel.
            req = km.session.msg("interrupt_request", {})
            km.session.send(kc.control_channel.socket, req)
            control = None
            try:
                control = kc.get_control_msg(timeout=5)
            except queue.Empty:
                pass
            reply, text = wait_reply(kc, msg_id, 5)
            took = time.time() - t0
            after, after_text = wait_reply(kc, kc.execute(PRINT), 30)
            shown, shown_text = wait_reply(kc, kc.execute(DISPLAY), 30)
            ok = (control is not None and control["msg_type"] == "interrupt_reply"
                  and control["parent_header"].get("msg_id") == req["header"]["msg_id"]
                  and reply is not None and reply["content"]["status"] == "error"
                  and after is not None and "still here 42" in after_text
                  and shown is not None and "image/png" in shown_text)
            failures += 0 if ok else 1
            if reply is not None:
                took_all.append(took)
            print("kernel-interrupt: %s round %2d, %s: interrupt_reply %s, cell ended in %s, next cells %s, %s" % (
                "ok    " if ok else "FAILED", round_ + 1, name,
                "received" if control is not None else "MISSING",
                ("%.1f s (%s)" % (took, reply["content"]["status"])) if reply is not None else "NEVER (5 s)",
                "printed" if after is not None and "still here 42" in after_text else "printed NOTHING",
                "displayed an image" if shown is not None and "image/png" in shown_text else "displayed NOTHING"),
                flush=True)
        print("kernel-interrupt: %d rounds, %d failures; cells ended %.1f–%.1f s after the interrupt" % (
            ROUNDS, failures, min(took_all or [0]), max(took_all or [0])))
        # Nothing interrupted is still running behind the session's back: the CPU loop was stopped, the training
        # ended at its next step. Count the snippet threads other than this cell's own.
        time.sleep(3)
        probe = ('long others = Thread.getAllStackTraces().entrySet().stream().filter(e -> e.getKey() != '
                 'Thread.currentThread() && java.util.Arrays.stream(e.getValue()).anyMatch(f -> '
                 'f.getClassName().endsWith("RapaioExecutionControl") && f.getMethodName().startsWith("lambda$execute")))'
                 '.count(); System.out.println("others " + others);')
        reply, text = wait_reply(kc, kc.execute(probe), 30)
        ok = reply is not None and "others 0" in text
        failures += 0 if ok else 1
        print("kernel-interrupt: %s no interrupted cell still running 3 s later (%s)" % (
            "ok    " if ok else "FAILED", text.strip() or "no output"))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
