// The editor's Markdown toolbar and its keyboard shortcuts (GitHub's: Ctrl/⌘+B bold,
// +I italic, +K link, +E code, +H heading, +Shift+8 list, +Shift+. quote). Each edit
// goes through the browser's own text insertion, so Ctrl+Z undoes it, and fires
// "input", so the preview, the count and the saved copies follow.
(function () {
  "use strict";

  const body = document.getElementById("id_body");
  const toolbar = document.getElementById("markdown-toolbar");
  if (!body || !toolbar) return;

  function replaceSelection(text, selectFrom, selectTo) {
    body.focus();
    const start = body.selectionStart;
    // execCommand keeps the undo history; setRangeText is the fallback where it is gone.
    if (!document.execCommand || !document.execCommand("insertText", false, text)) {
      body.setRangeText(text, body.selectionStart, body.selectionEnd, "end");
      body.dispatchEvent(new Event("input", { bubbles: true }));
    }
    if (selectFrom !== undefined) body.setSelectionRange(start + selectFrom, start + selectTo);
  }

  function wrap(before, after, placeholder) {
    const selected = body.value.slice(body.selectionStart, body.selectionEnd);
    const inner = selected || placeholder;
    replaceSelection(before + inner + after, before.length, before.length + inner.length);
  }

  // Whole lines: from the start of the first selected line to the end of the last.
  function prefixLines(prefixFor) {
    const value = body.value;
    const from = value.lastIndexOf("\n", body.selectionStart - 1) + 1;
    let to = value.indexOf("\n", body.selectionEnd);
    if (to === -1 || body.selectionEnd < body.selectionStart) to = value.length;
    body.setSelectionRange(from, to);
    const lines = value.slice(from, to).split("\n");
    const done = lines.map((line, index) => prefixFor(index) + line).join("\n");
    replaceSelection(done, done.length, done.length);
  }

  const ACTIONS = {
    heading: () => prefixLines(() => "## "),
    bold: () => wrap("**", "**", body.dataset.placeholderBold || "text"),
    italic: () => wrap("*", "*", body.dataset.placeholderBold || "text"),
    link: () => {
      const selected = body.value.slice(body.selectionStart, body.selectionEnd);
      if (/^https?:\/\/\S+$/.test(selected)) {
        replaceSelection(`[](${selected})`, 1, 1);
      } else {
        const label = selected || toolbar.dataset.placeholderLink;
        replaceSelection(`[${label}](https://)`, label.length + 3, label.length + 11);
      }
    },
    list: () => prefixLines(() => "- "),
    numbered: () => prefixLines((index) => `${index + 1}. `),
    quote: () => prefixLines(() => "> "),
    code: () => {
      const selected = body.value.slice(body.selectionStart, body.selectionEnd);
      if (selected.includes("\n")) wrap("```\n", "\n```", "");
      else wrap("`", "`", toolbar.dataset.placeholderCode);
    },
  };

  toolbar.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-markdown]");
    if (button) ACTIONS[button.dataset.markdown]();
  });

  const SHORTCUTS = { b: "bold", i: "italic", k: "link", e: "code", h: "heading", "*": "list", ">": "quote" };
  body.addEventListener("keydown", (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
    // Shift+8 and Shift+. give "*" and ">" on most layouts; the code says which key it was.
    let key = event.key.toLowerCase();
    if (event.shiftKey && event.code === "Digit8") key = "*";
    if (event.shiftKey && event.code === "Period") key = ">";
    if (event.shiftKey && key !== "*" && key !== ">") return;
    const action = SHORTCUTS[key];
    if (action) {
      event.preventDefault();
      ACTIONS[action]();
    }
  });
})();
