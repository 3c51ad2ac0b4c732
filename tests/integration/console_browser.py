#!/usr/bin/python3
"""Drives headless Chromium through the console (GET /console) over the DevTools protocol.

Used by console_browser_test (console_test.cc) and to refresh the screenshots in docs/. Starts
its own Chromium (a temporary profile, an ephemeral DevTools port), and stops it on every path
out; every wait is bounded. Prints one JSON object on stdout: the rows and live figures seen,
the outcome of the buttons and of the upload, every console error and uncaught exception.

Needs python3-websocket (Debian). Exit status 0 when the run completed (the caller asserts on
the JSON), 2 on a driver failure (the reason on stderr).
"""
import argparse
import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket  # python3-websocket


class Browser:
    def __init__(self, chromium, deadline):
        self.deadline = deadline
        self.ws = None
        self.profile = tempfile.mkdtemp(prefix="inferd_console_chromium_")
        # Chromium's log goes to a file: a pipe nobody reads would fill and stall the browser.
        self.log = open(os.path.join(self.profile, "chromium.log"), "wb")
        self.proc = subprocess.Popen(
            [chromium, "--headless=new", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
             "--user-data-dir=" + self.profile, "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-extensions", "--disable-background-networking", "--disable-sync",
             "--disable-dev-shm-usage", "--window-size=1280,900", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
            start_new_session=True)  # its own process group: close() stops its helpers too
        try:
            self._connect()
        except BaseException:
            self.close()
            raise

    def _connect(self):
        # With port 0 Chromium picks a free port and writes it to <profile>/DevToolsActivePort.
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        while not (os.path.exists(port_file) and open(port_file).read().count("\n") >= 1):
            if self.proc.poll() is not None:
                raise RuntimeError("chromium exited (%d) before DevTools listened" % self.proc.returncode)
            self.check_time("chromium start")
            time.sleep(0.1)
        port = int(open(port_file).read().split("\n")[0])
        targets = json.load(urllib.request.urlopen("http://127.0.0.1:%d/json/list" % port, timeout=10))
        page = next(t for t in targets if t.get("type") == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=10,
                                              suppress_origin=True)
        self.next_id = 0
        self.events = []
        self.errors = []

    def check_time(self, what):
        if time.monotonic() > self.deadline:
            raise RuntimeError("timed out: " + what)

    def close(self):
        if self.ws is not None:
            try:
                self.ws.close()
            except Exception:  # noqa: BLE001 - closing on every path out
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=10)
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def _record(self, message):
        method = message.get("method")
        params = message.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            self.errors.append("exception: " + details.get("exception", {}).get("description", details.get("text", "")))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            self.errors.append("console.%s: %s" % (params["type"], " ".join(
                str(a.get("value", a.get("description", ""))) for a in params.get("args", []))))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            self.errors.append("log: %s (%s)" % (params["entry"].get("text"), params["entry"].get("url", "")))
        self.events.append(method)

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            self.check_time(method)
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError("%s: %s" % (method, message["error"]))
                return message.get("result", {})
            self._record(message)

    def pump(self, seconds):
        """Reads events for up to `seconds` (console errors arrive as events)."""
        end = time.monotonic() + seconds
        self.ws.settimeout(0.1)
        try:
            while time.monotonic() < end:
                try:
                    self._record(json.loads(self.ws.recv()))
                except websocket.WebSocketTimeoutException:
                    pass
        finally:
            self.ws.settimeout(10)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError("evaluate failed: %s" % result["exceptionDetails"].get("text"))
        return result["result"].get("value")

    def wait_for(self, expression, what, timeout=20):
        end = min(self.deadline, time.monotonic() + timeout)
        while time.monotonic() < end:
            value = self.evaluate(expression)
            if value:
                return value
            self.pump(0.2)
        raise RuntimeError("timed out waiting for " + what)

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
        with open(path, "wb") as out:
            out.write(base64.b64decode(data))


ROWS = """Array.from(document.querySelectorAll('#models tbody tr[data-model]')).map(tr => ({
  model: tr.dataset.model, version: tr.dataset.version,
  state: (tr.querySelector('.state') || {}).textContent,
  reason: (tr.querySelector('.reason') || {}).textContent || '',
  figures: Object.fromEntries(Array.from(tr.querySelectorAll('td[data-f]')).map(
      td => [td.dataset.f, td.textContent]))}))"""


def state_of(model):
    return ("(document.querySelector('#models tbody tr[data-model=\"%s\"] .state') || {}).textContent"
            % model)


def click(browser, model, label):
    browser.evaluate(
        "Array.from(document.querySelectorAll('button[data-model=\"%s\"]')).find("
        "b => b.textContent === '%s').click()" % (model, label))
    result = browser.wait_for(
        "(t => t.endsWith(': done') || t.includes(' failed: ') ? t : '')"
        "(document.getElementById('result').textContent)", label + " " + model)
    return result


def run(args):
    deadline = time.monotonic() + args.timeout
    browser = Browser(args.chromium, deadline)
    report = {}
    try:
        for domain in ("Page", "Runtime", "Log", "DOM"):
            browser.call(domain + ".enable")
        if args.key:
            header, value = args.key.split("=", 1)
            browser.call("Page.addScriptToEvaluateOnNewDocument", source=(
                "sessionStorage.setItem('inferd-key:%s', %s)" % (header, json.dumps(value))))
        browser.call("Page.navigate", url=args.url + "/console")
        browser.wait_for("document.readyState === 'complete'", "the page to load")
        # Two reads of /console/stats, 2 s apart: the second one has a rate.
        browser.wait_for("document.getElementById('live').textContent.startsWith('live, every 2 s')",
                         "the first live figures")
        browser.wait_for("Array.from(document.querySelectorAll('td[data-f=\"rps\"]')).some("
                         "td => td.textContent !== '\u2014')", "a throughput figure", timeout=10)
        report["live"] = browser.evaluate("document.getElementById('live').textContent")
        report["rows"] = browser.evaluate(ROWS)
        if args.screenshots:
            browser.screenshot(os.path.join(args.screenshots, "console.png"))
        report["actions"] = []
        if args.action_model:
            m = args.action_model
            report["actions"].append(click(browser, m, "Unload"))
            report["after_unload"] = browser.wait_for(
                "(s => s !== 'READY' ? s : '')(%s)" % state_of(m), "the model to leave READY")
            report["actions"].append(click(browser, m, "Load"))
            report["after_load"] = browser.wait_for(
                "(s => s === 'READY' ? s : '')(%s)" % state_of(m), "the model to be READY")
        if args.image_model and args.image:
            root = browser.call("DOM.getDocument")["root"]["nodeId"]
            node = browser.call("DOM.querySelector", nodeId=root,
                                selector="form.predict[data-model=\"%s\"] input[type=file]" % args.image_model)
            browser.call("DOM.setFileInputFiles", nodeId=node["nodeId"], files=[os.path.abspath(args.image)])
            browser.evaluate("document.querySelector('form.predict[data-model=\"%s\"] button').click()"
                             % args.image_model)
            report["predictions"] = browser.wait_for(
                "(o => o && o.querySelector('table') ? Array.from(o.querySelectorAll('tbody tr')).map("
                "tr => Array.from(tr.cells).map(c => c.textContent)) : (o && o.className === 'error' ? "
                "[['error', o.textContent]] : null))(document.querySelector('form.predict[data-model=\"%s\"] output'))"
                % args.image_model, "the top-k answer")
            if args.screenshots:
                browser.screenshot(os.path.join(args.screenshots, "console-upload.png"))
        browser.pump(2.5)  # one more refresh, for errors it might log
        report["errors"] = browser.errors
    finally:
        browser.close()
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="chromium")
    parser.add_argument("--url", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--timeout", type=float, default=90)
    parser.add_argument("--screenshots", help="folder for console.png and console-upload.png")
    parser.add_argument("--action-model", help="unload then load this model with the buttons")
    parser.add_argument("--image-model", help="classify --image with this model's upload form")
    parser.add_argument("--image")
    parser.add_argument("--key", help="HEADER=VALUE entered as a restricted API's key")
    args = parser.parse_args()
    # `timeout` (or a test runner) stops the driver with SIGTERM: leave through the finally
    # blocks, which stop the browser, instead of dying with it still running.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(3))
    try:
        report = run(args)
    except Exception as e:  # noqa: BLE001 - the reason goes to the caller
        print("console_browser: %s" % e, file=sys.stderr)
        return 2
    json.dump(report, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
