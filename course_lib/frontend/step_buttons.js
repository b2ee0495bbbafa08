// Back / Step / Reset for a stepper, run by the browser alone (anywidget ESM, no build step).
// The step lives in the stepper's step box (a core BoundedIntText, jslink-ed to the Stack of frames
// that Python drew): a click sets the box's value, the jslink shows that frame.  Nothing here computes
// anything about the frames.  When an input of the stepper is edited, the status line says so until
// the kernel has drawn the new frames (the model's `answered` counter goes up).

function button(spec) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = "jupyter-widgets jupyter-button widget-button" + (spec.primary ? " mod-primary" : "");
  element.textContent = spec.label;
  element.title = spec.tooltip;
  return element;
}

async function render({ model, el, host }) {
  const box = await host.getModel(model.get("box"));
  const texts = model.get("texts");
  const go = (action) => {
    const now = box.get("value");
    const wanted = action === "step" ? now + 1 : action === "back" ? now - 1 : box.get("min");
    const step = Math.max(box.get("min"), Math.min(box.get("max"), wanted));
    if (step !== now) {
      box.set("value", step);   // the jslink moves the Stack now; the kernel hears of it when it can
      box.save_changes();
    }
  };
  const bar = document.createElement("div");
  bar.className = "course-step-buttons";
  for (const spec of model.get("buttons")) {
    const element = button(spec);
    element.addEventListener("click", () => go(spec.action));
    bar.appendChild(element);
  }
  const status = document.createElement("div");   // its own line, kept while empty: nothing jumps
  status.className = "course-step-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  el.append(bar, status);

  // An edit: "computing…" until the kernel answers; with no kernel (an exported page) say what works.
  const kernelThere = () => Boolean(model.widget_manager && model.widget_manager.kernel);
  const edited = () => {
    status.textContent = kernelThere() ? texts.computing : texts.no_kernel;
  };
  let watched = [];
  const watchInputs = async () => {
    for (const input of watched) input.off("change:value", edited);
    watched = await Promise.all(model.get("inputs").map((ref) => host.getModel(ref)));
    for (const input of watched) input.on("change:value", edited);
  };
  await watchInputs();
  model.on("change:inputs", watchInputs);
  model.on("change:answered", () => { status.textContent = ""; });
  return () => { for (const input of watched) input.off("change:value", edited); };
}

export default { render };
