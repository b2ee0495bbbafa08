// Predict, then reveal, run by the browser alone (anywidget ESM, no build step).
// For the step shown in the step box, one labelled box per gradient the node sends back, a Check
// button, the verdicts and the score.  The questions come from Python (course_lib.predicting): for
// every step, each target's accepted range [low, high], its right value as text and its rule.  This
// file only compares a typed number with that range; it never computes a gradient.
// First tries are kept in the model's `first_tries` ({step: {target: typed text}}), which the kernel,
// when there is one, judges too (PredictSteps.answer), so Python's score follows the page's.

function parseNumber(text) {
  const cleaned = String(text).trim().replace(/\u2212/g, "-").replace(/ /g, "");
  const number = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
  const parts = cleaned.split("/");
  if (parts.length === 2 && number.test(parts[0]) && number.test(parts[1]) && Number(parts[1]) !== 0) {
    return Number(parts[0]) / Number(parts[1]);
  }
  return parts.length === 1 && number.test(cleaned) ? Number(cleaned) : null;
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));
}

function lines(element, texts) {
  element.replaceChildren(...texts.map((text) => {
    const line = document.createElement("div");
    line.textContent = text;
    return line;
  }));
}

async function render({ model, el, host }) {
  const box = await host.getModel(model.get("box"));
  const texts = model.get("texts");
  const questions = () => model.get("questions");
  const row = document.createElement("div");
  row.className = "course-predict-row";
  const guesses = document.createElement("div");
  guesses.className = "course-predict-guesses";
  const check = document.createElement("button");
  check.type = "button";
  check.className = "jupyter-widgets jupyter-button widget-button mod-success";
  check.textContent = texts.check;
  check.title = texts.check_tooltip;
  row.append(guesses, check);
  const feedback = document.createElement("div");
  feedback.className = "course-predict-feedback";
  feedback.setAttribute("role", "status");
  feedback.setAttribute("aria-live", "polite");
  const score = document.createElement("div");
  score.className = "course-predict-score";
  score.setAttribute("role", "status");
  score.setAttribute("aria-live", "polite");
  el.append(row, feedback, score);

  const judge = (question, typed) => {
    const guess = parseNumber(typed);
    return guess !== null && guess >= question.low && guess <= question.high;
  };
  const showScore = () => {
    const tries = model.get("first_tries");
    let right = 0, asked = 0;
    for (const [step, typed] of Object.entries(tries)) {
      for (const question of questions()[Number(step)] || []) {
        asked += 1;
        if (judge(question, typed[question.target])) right += 1;
      }
    }
    const total = questions().reduce((sum, step) => sum + step.length, 0);
    const template = asked < total ? texts.partial : texts.done;
    lines(score, [fill(template, {right, asked, total, left: total - asked})]);
  };
  let boxes = {};
  const ask = () => {
    boxes = {};
    const step = box.get("value");
    guesses.replaceChildren(...(questions()[step] || []).map((question) => {
      const label = document.createElement("label");
      label.className = "course-predict-guess";
      const input = document.createElement("input");
      input.type = "text";
      input.placeholder = texts.placeholder;
      input.addEventListener("keydown", (event) => { if (event.key === "Enter") check.click(); });
      label.append(fill(texts.guess_label, {target: question.target}) + " ", input);
      boxes[question.target] = input;
      return label;
    }));
    check.disabled = Object.keys(boxes).length === 0;
    feedback.replaceChildren();
  };
  check.addEventListener("click", () => {
    const step = box.get("value");
    const asked = questions()[step] || [];
    const typed = Object.fromEntries(asked.map((q) => [q.target, boxes[q.target].value.trim()]));
    const empty = asked.filter((q) => typed[q.target] === "").map((q) => q.target);
    if (empty.length) { lines(feedback, [fill(texts.empty, {names: empty.join(", ")})]); return; }
    const bad = asked.filter((q) => parseNumber(typed[q.target]) === null);
    if (bad.length) { lines(feedback, [fill(texts.not_a_number, {typed: typed[bad[0].target]})]); return; }
    lines(feedback, asked.map((q) => fill(judge(q, typed[q.target]) ? texts.right : texts.wrong,
      {target: q.target, guess: typed[q.target], right: q.right, rule: q.rule})));
    const tries = model.get("first_tries");
    if (!(String(step) in tries)) {
      model.set("first_tries", {...tries, [String(step)]: typed});
      model.save_changes();
    }
  });
  box.on("change:value", ask);
  model.on("change:first_tries", showScore);
  model.on("change:questions", () => { ask(); showScore(); });
  model.on("change:feedback_lines", () => lines(feedback, model.get("feedback_lines")));
  ask();
  showScore();
  return () => box.off("change:value", ask);
}

export default { render };
