"""Starts a kernel as Jupyter starts it (jupyter_client, from a kernelspec folder) and runs cells in it.

Driven by tests over stdin/stdout, one JSON object per line:
  started:  {"event": "ready", "pid": <the process the kernelspec's argv started>, "ports": [<its five ZMQ ports>]}
  in:  {"execute": "<code>"}   out: {"event": "executed", "status": "ok"|"error", "messages": [<iopub messages>]}
  in:  {"stop": true}          out: {"event": "stopped"}    (also on end of input)

usage: /usr/bin/python3 jupyter_kernel.py <kernels folder> <kernel name> <working folder>
"""
import json
import sys

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager


def say(obj):
    sys.stdout.write(json.dumps(obj, default=str) + "\n")
    sys.stdout.flush()


def execute(client, code, timeout=300):
    msg_id = client.execute(code)
    messages = []
    status = "ok"
    while True:
        msg = client.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "error":
            status = "error"
        if kind in ("stream", "display_data", "update_display_data", "execute_result", "error"):
            messages.append({"msg_type": kind, "content": msg["content"]})
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            break
    reply = client.get_shell_msg(timeout=timeout)
    if reply["content"].get("status") != "ok":
        status = "error"
    return status, messages


def main():
    kernels, name, cwd = sys.argv[1:4]
    manager = KernelManager(kernel_name=name, kernel_spec_manager=KernelSpecManager(kernel_dirs=[kernels]))
    manager.start_kernel(cwd=cwd)
    client = manager.client()
    try:
        client.start_channels()
        client.wait_for_ready(timeout=300)
        info = manager.get_connection_info()
        ports = [info[k] for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")]
        say({"event": "ready", "pid": manager.provisioner.process.pid, "ports": ports})
        for line in sys.stdin:
            request = json.loads(line)
            if "execute" in request:
                status, messages = execute(client, request["execute"])
                say({"event": "executed", "status": status, "messages": messages})
            elif request.get("stop"):
                break
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
        say({"event": "stopped"})


if __name__ == "__main__":
    main()
