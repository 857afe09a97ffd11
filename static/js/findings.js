// The checks point at their sentences: every sentence a finding names is highlighted in
// the article beside it (the editor's live preview, the review page's preview), and
// "Show in the text" scrolls to it. Highlights use the CSS Custom Highlight API: the
// article's HTML is never changed. In the editor, a fix is made in the text being typed
// (undoable), which the preview and autosave then follow.
(function () {
  "use strict";

  const CODE_MARK = "\ufffc";

  function article() {
    return document.querySelector("#live-preview") || document.querySelector(".reader-preview");
  }

  // The text nodes of ``root`` as one string with runs of white space made one space, as
  // the server reads blocks, and where each character of it came from.
  function flatten(root) {
    const chars = [];
    let text = "";
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let offset = 0; offset < node.data.length; offset += 1) {
        const char = node.data[offset];
        if (/\s/.test(char)) {
          if (text.endsWith(" ")) continue;
          text += " ";
        } else {
          text += char;
        }
        chars.push([node, offset]);
      }
    }
    return { text, chars };
  }

  // The longest piece of the sentence the page shows as it is (inline code and
  // addresses are not in the server's copy of it).
  function needle(sentence) {
    return sentence.split(CODE_MARK).flatMap((part) => part.split(/\s{2,}/))
      .map((part) => part.trim()).sort((a, b) => b.length - a.length)[0] || "";
  }

  function rangeOf(flat, sentence) {
    const piece = needle(sentence);
    const at = piece ? flat.text.indexOf(piece) : -1;
    if (at < 0) return null;
    const [startNode, startOffset] = flat.chars[at];
    const [endNode, endOffset] = flat.chars[at + piece.length - 1];
    const range = document.createRange();
    range.setStart(startNode, startOffset);
    range.setEnd(endNode, endOffset + 1);
    return range;
  }

  const supported = typeof CSS !== "undefined" && CSS.highlights && typeof Highlight !== "undefined";

  function highlightAll() {
    const root = article();
    if (!root || !supported) return;
    const flat = flatten(root);
    const ranges = Array.from(document.querySelectorAll(".finding-goto"))
      .map((button) => rangeOf(flat, button.dataset.sentence)).filter(Boolean);
    CSS.highlights.set("finding", new Highlight(...ranges));
  }

  // In the editor, a sentence of the title or the excerpt is in its field, not the preview.
  function selectInField(sentence) {
    const piece = needle(sentence);
    for (const id of ["id_title", "id_excerpt"]) {
      const input = document.getElementById(id);
      const at = input && piece ? input.value.indexOf(piece) : -1;
      if (at >= 0) {
        input.focus();
        input.setSelectionRange(at, at + piece.length);
        return true;
      }
    }
    return false;
  }

  function show(sentence) {
    const root = article();
    if (!root) return false;
    const range = rangeOf(flatten(root), sentence);
    if (!range) return selectInField(sentence);
    if (supported) CSS.highlights.set("finding-current", new Highlight(range));
    const element = range.startContainer.parentElement;
    element.scrollIntoView({ block: "center", behavior: "smooth" });
    return true;
  }

  document.addEventListener("click", (event) => {
    const goto = event.target.closest(".finding-goto");
    if (goto) {
      if (!show(goto.dataset.sentence)) goto.setAttribute("aria-disabled", "true");
      return;
    }
    const fix = event.target.closest(".finding-fix-text");
    if (fix) fixText(fix.dataset.old, fix.dataset.new);
  });

  async function fixText(old, replacement) {
    const form = document.getElementById("article-form");
    if (!form) return;
    const field = (name) => form.elements.namedItem(name);
    const data = new FormData();
    ["title", "excerpt", "body"].forEach((name) => data.append(name, field(name).value));
    data.append("old", old);
    data.append("new", replacement);
    const response = await fetch(form.dataset.fixUrl, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": field("csrfmiddlewaretoken").value },
    });
    if (!response.ok) return;
    const fixed = await response.json();
    ["title", "excerpt", "body"].forEach((name) => {
      const input = field(name);
      if (input.value === fixed[name]) return;
      // Through the browser's own insertion: Ctrl+Z takes the fix back.
      input.focus();
      input.select();
      if (!document.execCommand("insertText", false, fixed[name])) {
        input.value = fixed[name];
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
  }

  // The editor's checks come again with each preview; the review page's are there at once.
  const live = document.getElementById("live-checks");
  if (live) new MutationObserver(highlightAll).observe(live, { childList: true });
  highlightAll();
})();
