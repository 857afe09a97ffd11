// Pictures in the editor: upload by button, drag-and-drop or paste (always with alt text),
// or pick one from the library; into the body as ![alt](image:42), or as the cover.
// The server checks, re-encodes and stores every file; nothing here is trusted.
(function () {
  "use strict";

  const form = document.getElementById("article-form");
  const dialog = document.getElementById("image-dialog");
  if (!form || !dialog) return;

  const body = form.elements.namedItem("body");
  const coverInput = form.elements.namedItem("cover");
  const coverPreview = document.getElementById("cover-preview");
  const coverRemove = document.getElementById("cover-remove");
  const csrfToken = form.elements.namedItem("csrfmiddlewaretoken").value;

  const fileInput = document.getElementById("upload-file");
  const altInput = document.getElementById("upload-alt");
  const captionInput = document.getElementById("upload-caption");
  const creditInput = document.getElementById("upload-credit");
  const uploadError = document.getElementById("upload-error");
  const uploadButton = document.getElementById("upload-submit");
  let preview = null; // made when a file is chosen: an <img> may not wait without a src
  const pickerQuery = document.getElementById("picker-q");
  const pickerResults = document.getElementById("picker-results");

  let mode = "body"; // where the chosen picture goes: "body" or "cover"
  let insertAt = 0; // the caret in the body when the dialog opened

  // ---- The dialog ----------------------------------------------------------------
  function showTab(name) {
    ["upload", "library"].forEach((tab) => {
      document.getElementById("tab-" + tab).setAttribute("aria-selected", String(tab === name));
      document.getElementById("panel-" + tab).hidden = tab !== name;
    });
    if (name === "library") loadPicker(); else altInput.focus();
  }
  document.getElementById("tab-upload").addEventListener("click", () => showTab("upload"));
  document.getElementById("tab-library").addEventListener("click", () => showTab("library"));

  function setPreview(file) {
    if (preview) {
      URL.revokeObjectURL(preview.src);
      preview.remove();
      preview = null;
    }
    if (!file) return;
    preview = document.createElement("img");
    preview.className = "upload-preview";
    preview.id = "upload-preview";
    preview.alt = "";
    preview.src = URL.createObjectURL(file);
    document.getElementById("panel-upload").prepend(preview);
  }

  function open(where, file) {
    mode = where;
    insertAt = body.selectionStart ?? body.value.length;
    uploadError.hidden = true;
    altInput.value = captionInput.value = creditInput.value = "";
    if (file) {
      const files = new DataTransfer();
      files.items.add(file);
      fileInput.files = files.files;
    } else {
      fileInput.value = "";
    }
    setPreview(file || null);
    dialog.showModal();
    showTab("upload");
    if (!file) fileInput.focus();
  }

  function close() {
    setPreview(null);
    dialog.close();
  }
  document.getElementById("image-dialog-close").addEventListener("click", close);
  fileInput.addEventListener("change", () => setPreview(fileInput.files[0] || null));
  document.querySelectorAll("[data-image-dialog]").forEach((button) => {
    button.addEventListener("click", () => open(button.dataset.imageDialog, null));
  });

  // ---- Using a picture ------------------------------------------------------------
  // A picture is a block of its own: it goes between paragraphs, after the one holding
  // the caret (before it with the caret at its start), never into the middle of a
  // sentence or a word (「AIチッ」, the picture, 「プの性能が…」), nor inside fenced code.
  function blockBoundary(text, caret) {
    const boundaries = [0, text.length];
    let fence = null;
    let offset = 0;
    for (const line of text.split("\n")) {
      const end = offset + line.length;
      const marker = line.match(/^ {0,3}(`{3,}|~{3,})(.*)$/);
      if (fence) {
        const closes = marker && marker[1][0] === fence[0] && marker[1].length >= fence.length && !marker[2].trim();
        if (closes) {
          fence = null;
          boundaries.push(end);
        }
      } else if (marker) {
        fence = marker[1];
        boundaries.push(offset);
      } else if (!line.trim()) {
        boundaries.push(offset, end + 1); // the blank line, and the start of what follows it
      }
      offset = end + 1;
    }
    if (boundaries.includes(caret)) return caret;
    return Math.min(...boundaries.filter((boundary) => boundary > caret));
  }

  function use(picture) {
    if (mode === "cover") {
      coverInput.value = picture.id;
      if (picture.thumbnail) {
        const img = document.createElement("img");
        img.src = picture.thumbnail;
        img.alt = picture.alt;
        coverPreview.replaceChildren(img);
      } else {
        // Still being made: the live preview shows it once it is ready.
        const note = document.createElement("span");
        note.className = "image-pending";
        note.textContent = picture.label || picture.alt;
        coverPreview.replaceChildren(note);
      }
      coverRemove.hidden = false;
      coverInput.dispatchEvent(new Event("input", { bubbles: true }));
    } else {
      const at = blockBoundary(body.value, insertAt);
      const before = body.value.slice(0, at).replace(/\n*$/, "");
      const after = body.value.slice(at).replace(/^\n*/, "");
      const block = (before ? "\n\n" : "") + picture.markdown + (after ? "\n\n" : "\n");
      body.value = before + block + after;
      const caret = before.length + block.length;
      body.setSelectionRange(caret, caret);
      body.dispatchEvent(new Event("input", { bubbles: true }));
    }
    close();
    (mode === "cover" ? coverRemove : body).focus();
  }

  coverRemove.addEventListener("click", () => {
    coverInput.value = "";
    coverPreview.replaceChildren();
    coverRemove.hidden = true;
    coverInput.dispatchEvent(new Event("input", { bubbles: true }));
  });

  async function upload() {
    const file = fileInput.files[0];
    if (!file) { fail(uploadError.dataset.noFile); fileInput.focus(); return; }
    if (!altInput.value.trim()) { fail(uploadError.dataset.noAlt); altInput.focus(); return; }
    const data = new FormData();
    data.append("file", file);
    data.append("alt_text", altInput.value);
    data.append("caption", captionInput.value);
    data.append("credit", creditInput.value);
    uploadButton.disabled = true;
    try {
      const response = await fetch(dialog.dataset.uploadUrl, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken, "Accept": "application/json" },
      });
      const result = await response.json().catch(() => ({}));
      if (!response.ok) { fail(result.error || String(response.status)); return; }
      use(result);
    } catch (error) {
      fail(String(error));
    } finally {
      uploadButton.disabled = false;
    }
  }

  function fail(message) {
    uploadError.textContent = message;
    uploadError.hidden = false;
  }
  uploadButton.addEventListener("click", upload);
  [altInput, creditInput].forEach((input) => input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); upload(); }
  }));

  // ---- The library ---------------------------------------------------------------
  let pickerRequest = 0;
  async function loadPicker(url) {
    const ticket = ++pickerRequest;
    const address = url || dialog.dataset.libraryUrl + "?picker=1&q=" + encodeURIComponent(pickerQuery.value);
    const response = await fetch(address, { credentials: "same-origin" });
    if (ticket !== pickerRequest || !response.ok) return;
    pickerResults.innerHTML = await response.text(); // the desk's own template, escaped by the server
  }
  let pickerTimer = null;
  pickerQuery.addEventListener("input", () => { clearTimeout(pickerTimer); pickerTimer = setTimeout(loadPicker, 250); });
  pickerResults.addEventListener("click", (event) => {
    const page = event.target.closest("a[data-page]");
    if (page) { event.preventDefault(); loadPicker(page.href); return; }
    const choice = event.target.closest(".image-choice");
    if (choice) {
      use({ id: choice.dataset.imageId, markdown: choice.dataset.markdown,
            thumbnail: choice.dataset.thumbnail, alt: choice.dataset.alt, label: choice.dataset.label });
    }
  });

  // ---- Drop and paste into the body -------------------------------------------------
  function pictureIn(items) {
    return Array.from(items || []).find((file) => file.type && file.type.startsWith("image/"));
  }
  body.addEventListener("dragover", (event) => {
    if (Array.from(event.dataTransfer.types).includes("Files")) {
      event.preventDefault();
      body.classList.add("drop-target");
    }
  });
  body.addEventListener("dragleave", () => body.classList.remove("drop-target"));
  body.addEventListener("drop", (event) => {
    body.classList.remove("drop-target");
    const file = pictureIn(event.dataTransfer.files);
    if (!file) return;
    event.preventDefault();
    open("body", file);
  });
  body.addEventListener("paste", (event) => {
    const file = pictureIn(event.clipboardData && event.clipboardData.files);
    if (!file) return;
    event.preventDefault();
    open("body", file);
  });
})();
