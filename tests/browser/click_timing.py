"""How long a stepper's click takes to change what the page shows, timed inside the page.

``time_click(page, root, button, expected)`` clicks the button named ``button`` in the element ``root``
and returns the milliseconds (``performance.now()``) until the visible frame of ``root`` shows
``expected`` and the page has painted it, or None if that did not happen within ``timeout_ms``.
A MutationObserver watches the page, so nothing polls.  Used by the browser tests of stepping and by
benchmarks/browser_redraw.py.
"""
import statistics

TIMED_CLICK = """async ([root, name, expected, timeoutMs]) => {
    const button = [...root.querySelectorAll('button')].find(b => b.textContent.trim() === name);
    if (!button) throw new Error('no button ' + name);
    const visibleHas = () => [...root.querySelectorAll('.widget-html')]
        .some(html => html.offsetParent !== null && html.textContent.includes(expected));
    const start = performance.now();
    button.click();
    const shown = await new Promise(resolve => {
        if (visibleHas()) { resolve(true); return; }
        const observer = new MutationObserver(() => {
            if (visibleHas()) { observer.disconnect(); resolve(true); }
        });
        observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
        setTimeout(() => { observer.disconnect(); resolve(false); }, timeoutMs);
    });
    if (!shown) return null;
    await new Promise(requestAnimationFrame);   // until it is painted
    return performance.now() - start;
}"""


def time_click(page, root, button, expected, timeout_ms=5_000):
    """Milliseconds from a click on ``button`` in ``root`` (an element handle) until ``expected`` shows; None if never."""
    return page.evaluate(TIMED_CLICK, [root, button, expected, timeout_ms])


def time_steps(page, root, clicks, steps=4):
    """``clicks`` timed Step ▶ clicks, Reset (untimed) before each run through the ``steps`` backward steps.

    Stops at the first click that changed nothing (its time is None, last in the list).
    """
    times = []
    while len(times) < clicks:
        time_click(page, root, "Reset", "Step 0: the forward pass")
        for k in range(1, steps + 1):
            if len(times) < clicks:
                times.append(time_click(page, root, "Step ▶", f"Step {k}: backward through node"))
                if times[-1] is None:
                    return times
    return times


def summary(times):
    """{median_ms, p95_ms, max_ms, n} of the times (ms); every time must be a number."""
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": round(statistics.median(ordered), 1), "p95_ms": round(p95, 1),
            "max_ms": round(ordered[-1], 1), "n": len(ordered)}
