#!/usr/bin/python3
"""Sends an inference from Swagger UI (GET /docs) in headless Chromium, as a user would.

Opens /docs, expands `POST /v2/models/{model}/infer`, presses "Try it out", fills the model name
and the JSON body, presses "Execute", and prints one JSON object: the HTTP status and the response
body Swagger UI shows, the number of operations rendered, and every console error. Reuses
console_browser.Browser (its own Chromium, an ephemeral DevTools port, every wait bounded, the
browser stopped on every path out). Exit status 0 when the run completed (the caller asserts on
the JSON), 2 on a driver failure (the reason on stderr).
"""
import argparse
import json
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from console_browser import Browser  # noqa: E402

OPERATION = "#operations-default-post_v2_models_model_infer, [id$='-post_v2_models_model_infer']"

def real_click(browser, element, what):
    """A mouse click at the element's centre, as a user's (React ignores some synthetic ones)."""
    box = browser.wait_for(
        "(e => { if (!e) return null; e.scrollIntoView({block: 'center'}); const r = "
        "e.getBoundingClientRect(); return r.width > 0 ? [r.x + r.width / 2, r.y + r.height / 2] "
        ": null; })(%s)" % element, what)
    for kind in ("mousePressed", "mouseReleased"):
        browser.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left",
                     clickCount=1)


def type_into(browser, element, text, what):
    """Types `text` over the element's content, as a user would (React sees real input events)."""
    real_click(browser, element, what)
    browser.evaluate("(e => { e.focus(); e.select(); return true; })(%s)" % element)
    browser.call("Input.insertText", text=text)


def run(args):
    browser = Browser(args.chromium, time.monotonic() + args.timeout)
    report = {}
    try:
        for domain in ("Page", "Runtime", "Log"):
            browser.call(domain + ".enable")
        browser.call("Page.navigate", url=args.url + "/docs")
        browser.wait_for("document.querySelectorAll('.opblock').length > 0", "Swagger UI's operations")
        report["operations"] = browser.evaluate("document.querySelectorAll('.opblock').length")
        op = "document.querySelector(%s)" % json.dumps(OPERATION)
        browser.wait_for("!!%s" % op, "the infer operation")
        real_click(browser, "%s.querySelector('.opblock-summary-control')" % op, "the operation")
        real_click(browser, "%s.querySelector('.try-out__btn')" % op, "the Try it out button")
        browser.wait_for("!!%s.querySelector('textarea.body-param__text')" % op, "the body editor")
        type_into(browser, "%s.querySelector('tr[data-param-name=\"model\"] input')" % op, args.model,
                  "the model name field")
        type_into(browser, "%s.querySelector('textarea.body-param__text')" % op, args.body,
                  "the body editor")
        real_click(browser, "%s.querySelector('button.execute')" % op, "the Execute button")
        status = browser.wait_for(
            "(c => c ? c.textContent.trim() : '')(%s.querySelector("
            "'.live-responses-table .response .response-col_status'))" % op, "the response")
        report["status"] = status
        report["body"] = browser.evaluate(
            "(b => b ? b.textContent : '')(%s.querySelector('.live-responses-table .response-col_description pre, "
            ".live-responses-table .microlight'))" % op)
        browser.pump(1)
        report["errors"] = browser.errors
    finally:
        browser.close()
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="chromium")
    parser.add_argument("--url", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--model", required=True)
    parser.add_argument("--body", required=True, help="the v2 JSON request")
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(3))
    try:
        report = run(args)
    except Exception as e:  # noqa: BLE001 - the reason goes to the caller
        print("docs_browser: %s" % e, file=sys.stderr)
        return 2
    json.dump(report, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
