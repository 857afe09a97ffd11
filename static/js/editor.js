// The desk's editor: live preview rendered by the server, an unsaved copy kept in this
// browser until the server has the text, slug and tag suggestions. No build step.
(function () {
  "use strict";

  const form = document.getElementById("article-form");
  if (!form) return;

  const field = (name) => form.elements.namedItem(name);
  const CONTENT_FIELDS = ["title", "slug", "byline", "category", "companies", "topics", "excerpt", "body", "cover"];
  let storageKey = "editorial:draft:" + form.dataset.draftKey;
  const csrfToken = field("csrfmiddlewaretoken").value;

  function debounce(fn, wait) {
    let timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, wait);
    };
  }

  function currentValues() {
    const values = {};
    CONTENT_FIELDS.forEach((name) => { values[name] = field(name).value; });
    return values;
  }

  // ---- Live preview -------------------------------------------------------------
  const pane = document.getElementById("live-preview");
  const previewState = document.getElementById("preview-state");
  const readingTime = document.getElementById("preview-reading-time");
  let previewRequest = 0;
  // While a picture is being made the preview asks again now and then (a minute or two
  // at most: after that the writer's next keystroke does).
  const PENDING_RETRY = 2500;
  let pendingRetries = 0;
  let pendingTimer = null;

  const checks = document.getElementById("live-checks");
  const previewError = document.getElementById("preview-error");
  const coverPane = document.getElementById("live-cover");
  const stats = document.getElementById("body-stats");
  // The address the title suggests, shown in the empty slug field: the server's own
  // (articles/text.py suggested_slug(), cut after a whole word), from each preview; the
  // server makes it (adding -2 when taken) when the field is left empty.
  const slug = field("slug");

  function markStale() {
    pane.classList.add("stale");
    pane.dataset.staleLabel = pane.dataset.staleText;
    const note = document.createElement("p");
    note.className = "stale-note";
    note.textContent = checks.dataset.staleText;
    checks.replaceChildren(note);
    readingTime.textContent = "";
    stats.textContent = stats.dataset.unknown;
  }

  async function refreshPreview(retry) {
    const ticket = ++previewRequest;
    clearTimeout(pendingTimer);
    if (retry !== true) pendingRetries = 0;
    const data = new FormData();
    CONTENT_FIELDS.forEach((name) => data.append(name, field(name).value));
    previewState.textContent = "…";
    try {
      const response = await fetch(form.dataset.renderUrl, {
        method: "POST",
        body: data,
        headers: { "X-CSRFToken": csrfToken },
        credentials: "same-origin",
      });
      const result = await response.json().catch(() => ({}));
      if (ticket !== previewRequest) return; // a newer request is on its way
      if (!response.ok) {
        // Refused (too long, too slow, too often): say why. The last good preview stays,
        // marked as older than the text; its findings and figures were of another text,
        // so they go (a finding shown must be about the text shown).
        previewError.textContent = result.error || previewError.dataset.fallback;
        previewError.hidden = false;
        previewState.textContent = "⚠";
        markStale();
        return;
      }
      previewError.hidden = true;
      pane.classList.remove("stale");
      pane.removeAttribute("data-stale-label");
      coverPane.innerHTML = result.cover_html; // built on the server from the stored image
      pane.innerHTML = result.html; // sanitised on the server by render_markdown()
      checks.innerHTML = result.checks_html; // rendered by the server's template, escaped
      slug.placeholder = result.suggested_slug;
      readingTime.textContent = pane.dataset.readingTimeLabel.replace("%(minutes)s", result.reading_time);
      stats.textContent = stats.dataset.label
        .replace("%(characters)s", result.characters.toLocaleString())
        .replace("%(minutes)s", result.reading_time);
      previewState.textContent = "";
      if (result.pictures_pending && pendingRetries < 48) {
        pendingRetries += 1;
        pendingTimer = setTimeout(() => refreshPreview(true), PENDING_RETRY);
      }
    } catch (error) {
      if (ticket === previewRequest) previewState.textContent = "⚠";
    }
  }
  const schedulePreview = debounce(refreshPreview, 350);
  ["title", "excerpt", "companies", "topics", "body", "cover"].forEach((name) => {
    field(name).addEventListener("input", schedulePreview);
  });

  // ---- Unsaved copy in this browser ---------------------------------------------
  function readStored(key) {
    try {
      return JSON.parse(window.localStorage.getItem(key) || "null");
    } catch (error) {
      return null;
    }
  }

  function storeCopy() {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify({
        values: currentValues(),
        version: field("version").value,
        savedAt: new Date().toISOString(),
      }));
    } catch (error) {
      // Storage full or disabled: the server copy is still the safety net.
    }
  }
  const scheduleStore = debounce(storeCopy, 400);

  // The server says which copies it now has (the page after a successful save).
  JSON.parse(form.dataset.savedDrafts || "[]").forEach((key) => {
    window.localStorage.removeItem("editorial:draft:" + key);
  });

  const stored = readStored(storageKey);
  const differs = stored && CONTENT_FIELDS.some((name) => (stored.values[name] || "") !== field(name).value);
  // A page that only reads (someone else is editing) offers it once it may edit again.
  const readOnly = document.getElementById("editor-lockable")?.disabled;
  if (differs && !readOnly) {
    const banner = document.getElementById("restore-banner");
    const time = document.getElementById("restore-time");
    time.textContent = new Date(stored.savedAt).toLocaleString();
    banner.hidden = false;
    document.getElementById("restore-yes").addEventListener("click", () => {
      CONTENT_FIELDS.forEach((name) => { field(name).value = stored.values[name] || ""; });
      // Saving the restored text against the version it was written on lets the server
      // show a conflict if someone saved since, instead of overwriting their work.
      field("version").value = stored.version;
      banner.hidden = true;
      refreshPreview();
      field("body").focus();
    });
    document.getElementById("restore-no").addEventListener("click", () => {
      window.localStorage.removeItem(storageKey);
      banner.hidden = true;
      field("title").focus();
    });
    banner.querySelector("button").focus();
  }

  let dirty = false;
  form.addEventListener("input", () => { dirty = true; edits += 1; scheduleStore(); scheduleAutosave(); });
  form.addEventListener("change", () => { dirty = true; edits += 1; scheduleStore(); scheduleAutosave(); });

  // ---- Saved to the server on its own ---------------------------------------------
  // A few seconds after the typing stops (and every AUTOSAVE_MAX ms while it goes on),
  // the form goes to the server as a new working copy. The version it answers becomes
  // the form's, and the server never counts this person's own autosaves as a conflict,
  // so their own save never collides with them. If someone else saved meanwhile,
  // autosave stops and says so; the browser copy stays either way.
  const saveState = document.getElementById("save-state");
  const AUTOSAVE_IDLE = 3000;
  const AUTOSAVE_MAX = 20000;
  let edits = 0;
  let savedEdits = 0;
  let autosaving = false;
  let autosaveStopped = false;
  let idleTimer = null;
  let firstUnsaved = null;

  function scheduleAutosave() {
    if (autosaveStopped) return;
    clearTimeout(idleTimer);
    firstUnsaved = firstUnsaved || Date.now();
    const wait = Math.max(0, Math.min(AUTOSAVE_IDLE, firstUnsaved + AUTOSAVE_MAX - Date.now()));
    idleTimer = setTimeout(autosave, wait);
  }

  function adopt(result) {
    // A new article exists from its first autosave: the page becomes its editor.
    if (form.dataset.draftKey === result.draft_key) return;
    window.localStorage.removeItem(storageKey);
    storageKey = "editorial:draft:" + result.draft_key;
    form.dataset.draftKey = result.draft_key;
    form.action = result.edit_url;
    form.dataset.autosaveUrl = result.autosave_url;
    form.dataset.presenceUrl = result.presence_url;
    window.history.replaceState(null, "", result.edit_url);
    document.dispatchEvent(new CustomEvent("editorial:article-created"));
  }

  async function autosave() {
    if (autosaving || autosaveStopped || edits === savedEdits) return;
    autosaving = true;
    const upTo = edits;
    try {
      const response = await fetch(form.dataset.autosaveUrl, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-CSRFToken": csrfToken },
        credentials: "same-origin",
      });
      const result = await response.json().catch(() => ({}));
      if (response.ok) {
        field("version").value = result.version;
        if (!field("slug").value) field("slug").value = result.slug;
        adopt(result);
        storeCopy(); // the browser copy now names the server's version
        saveState.removeAttribute("role");
        saveState.textContent = saveState.dataset.autosaved.replace("%(time)s", result.saved_at);
        if (edits === upTo) dirty = false;
      } else if (response.status === 409 || response.status === 423) {
        autosaveStopped = true;
        saveState.setAttribute("role", "alert");
        saveState.textContent = result.error;
        if (result.lock) document.dispatchEvent(new CustomEvent("editorial:locked", { detail: result.lock }));
      } else {
        saveState.textContent = saveState.dataset.autosaveFailed.replace("%(reason)s", result.error || response.status);
      }
    } catch (error) {
      saveState.textContent = saveState.dataset.offline;
    } finally {
      // What failed is tried again with the next keystroke, not in a loop.
      savedEdits = upTo;
      firstUnsaved = null;
      autosaving = false;
      if (edits !== upTo) scheduleAutosave();
    }
  }
  document.addEventListener("editorial:lock-lost", () => {
    // Someone else types now: nothing more goes to the server from this page, and
    // leaving it loses nothing (the browser keeps the text for when it is taken back).
    autosaveStopped = true;
    clearTimeout(idleTimer);
    if (dirty) storeCopy();
    dirty = false;
  });
  form.addEventListener("submit", () => {
    // The page is leaving with this text: an autosave now would race the save (and be
    // refused once the article is in review).
    autosaveStopped = true;
    clearTimeout(idleTimer);
    dirty = false;
    storeCopy(); // kept until the server confirms the save
    document.getElementById("save-state").textContent = "…";
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Ctrl+S / Cmd+S saves the draft.
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      form.querySelector('button[name="then"][value=""]').click();
    }
  });

  // ---- Tag suggestions from the existing vocabularies -----------------------------
  const vocabulary = JSON.parse(document.getElementById("tag-vocabulary").textContent);
  const companyNames = Object.keys(vocabulary.companies);
  const companyAliases = [];
  companyNames.forEach((name) => vocabulary.companies[name].forEach((alias) => companyAliases.push([alias, name])));

  function attachSuggestions(input, candidates) {
    const box = document.createElement("div");
    box.className = "suggestions";
    box.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", box);

    function tokens() {
      return input.value.split(",").map((part) => part.trim());
    }

    function update() {
      const parts = tokens();
      const typed = parts[parts.length - 1].normalize("NFKC").toLowerCase();
      const chosen = new Set(parts.slice(0, -1).map((part) => part.toLowerCase()));
      box.replaceChildren();
      if (!typed) return;
      const matches = candidates(typed).filter((name) => !chosen.has(name.toLowerCase())).slice(0, 8);
      matches.forEach((name) => {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "suggestion";
        button.textContent = name;
        button.addEventListener("click", () => {
          const kept = tokens().slice(0, -1).filter(Boolean);
          kept.push(name.includes(",") || name.includes(" ") ? '"' + name + '"' : name);
          input.value = kept.join(", ") + ", ";
          box.replaceChildren();
          input.dispatchEvent(new Event("input", { bubbles: true }));
          input.focus();
        });
        box.appendChild(button);
      });
    }
    input.addEventListener("input", update);
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" && box.firstChild) {
        event.preventDefault();
        box.firstChild.focus();
      }
    });
  }

  attachSuggestions(field("companies"), (typed) => {
    const names = companyNames.filter((name) => name.toLowerCase().includes(typed));
    companyAliases.forEach(([alias, name]) => {
      if (alias.normalize("NFKC").toLowerCase().includes(typed) && !names.includes(name)) names.push(name);
    });
    return names;
  });
  attachSuggestions(field("topics"), (typed) =>
    vocabulary.topics.filter((name) => name.normalize("NFKC").toLowerCase().includes(typed)));

  refreshPreview();
})();
