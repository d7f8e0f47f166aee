"""Runs cells in a real Jupyter kernel through jupyter_client, as Jupyter does, and saves every IOPub message
each cell produced (display_data, update_display_data, execute_result, stream, error), in order.

    capture.py KERNELSPECS KERNEL_NAME CWD CELLS_JSON OUT_JSON PID_FILE [TIMEOUT_SECONDS]

KERNELSPECS is a folder of kernel specs (the only one searched), KERNEL_NAME the spec to start (for example
.net-csharp), CWD the kernel's working directory, CELLS_JSON a JSON list of cell sources. OUT_JSON receives
{"kernel": ..., "cells": [{"source", "status", "messages": [{"msg_type", "content"}]}]}. The kernel's process
id is written to PID_FILE as soon as it starts, so the caller can end it if this script dies. The kernel is
always shut down at the end (jupyter_client's shutdown, then its process group is killed if still alive).
Exit code 0 when every cell ran ("ok"), 1 when one failed (its messages say why), 2 on a usage or kernel error.
"""
import json
import os
import signal
import sys
import time

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

KEPT = {"display_data", "update_display_data", "execute_result", "stream", "error", "clear_output"}


def run_cell(client, source, timeout):
    msg_id = client.execute(source, store_history=True, allow_stdin=False)
    messages, idle, reply = [], False, None
    deadline = time.monotonic() + timeout
    while not (idle and reply is not None):
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"the cell did not finish within {timeout} s: {source[:80]!r}")
        if not idle:
            try:
                msg = client.get_iopub_msg(timeout=min(left, 1))
            except Exception:  # queue.Empty
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind == "status" and msg["content"].get("execution_state") == "idle":
                idle = True
            elif kind in KEPT:
                messages.append({"msg_type": kind, "content": msg["content"]})
        else:
            try:
                msg = client.get_shell_msg(timeout=min(left, 1))
            except Exception:
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                reply = msg["content"]
    return {"source": source, "status": reply.get("status"), "messages": messages}


def main(argv):
    if len(argv) < 7:
        print(__doc__, file=sys.stderr)
        return 2
    specs, name, cwd, cells_path, out_path, pid_path = argv[1:7]
    timeout = float(argv[7]) if len(argv) > 7 else 300
    with open(cells_path, encoding="utf-8") as f:
        cells = json.load(f)
    km = KernelManager(kernel_name=name, kernel_spec_manager=KernelSpecManager(kernel_dirs=[specs]))
    km.start_kernel(cwd=cwd)
    pid = km.provisioner.pid if km.provisioner is not None else km.kernel.pid
    with open(pid_path, "w", encoding="utf-8") as f:
        f.write(str(pid))
    client = km.client()
    result = {"kernel": {"name": name, "argv": km.kernel_spec.argv, "pid": pid}, "cells": []}
    code = 0
    try:
        client.start_channels()
        client.wait_for_ready(timeout=180)
        for source in cells:
            cell = run_cell(client, source, timeout)
            result["cells"].append(cell)
            if cell["status"] != "ok":
                code = 1
                break
    finally:
        try:
            client.stop_channels()
        finally:
            try:
                km.shutdown_kernel(now=False)
            except Exception as e:  # the kill below still runs
                print(f"shutdown_kernel: {e}", file=sys.stderr)
            try:
                # jupyter_client starts the kernel in a session of its own: end that group (the kernel and
                # anything it started), or the kernel alone if it shares ours.
                if hasattr(os, "getpgid") and os.getpgid(pid) == pid:
                    os.killpg(pid, signal.SIGKILL)
                else:
                    os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))
            except OSError:
                pass  # ended already
        with open(out_path, "w", encoding="utf-8") as f:
            json.dump(result, f, ensure_ascii=False)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
