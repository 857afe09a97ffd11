// Who else has this article open in the editor: the page says it is open as it opens,
// at the first keystroke and every few seconds while it is in view, hears who else is
// and who may type (the lock), and says goodbye when it goes.
(function () {
  "use strict";

  const form = document.getElementById("article-form");
  const banner = document.getElementById("presence");
  if (!form || !banner) return;
  const csrfToken = form.elements.namedItem("csrfmiddlewaretoken").value;
  // Often enough that two people meet within seconds; a hidden tab stays quiet (the
  // server forgets a page after 60 s without a sign).
  const HEARTBEAT = 5000;
  const HIDDEN_HEARTBEAT = 30000;
  let lastBeat = 0;
  let timer = null;

  function show(names) {
    banner.hidden = names.length === 0;
    banner.querySelector("[data-names]").textContent = names.join(banner.dataset.separator);
  }

  // ---- The lock: one person types at a time ----------------------------------------
  // The page that holds it says "editing"; a page opened while someone else held it,
  // or whose lock was taken over, only reads, and says who has it (or that nobody does).
  const lockBanner = document.getElementById("lock");
  const fields = document.getElementById("editor-lockable");

  function editing() {
    return fields && !fields.disabled;
  }

  function fill(template, lock) {
    return template.replace("%(name)s", lock.name).replace("%(since)s", lock.since);
  }

  function showLock(lock) {
    if (!lockBanner || lock === undefined) return;
    const text = lockBanner.querySelector("[data-lock-text]");
    const button = lockBanner.querySelector("[data-lock-button]");
    if (lock && lock.mine) {
      lockBanner.hidden = true;
      return;
    }
    if (editing()) {
      if (!lock) return; // nobody holds it yet: the next beat takes it
      // Taken over: this page stops saving; its text stays in the browser.
      fields.disabled = true;
      document.dispatchEvent(new CustomEvent("editorial:lock-lost"));
      text.textContent = fill(lockBanner.dataset.lost, lock);
      lockBanner.setAttribute("role", "alert");
    } else if (lock) {
      text.textContent = fill(lockBanner.dataset.held, lock);
    } else {
      text.textContent = lockBanner.dataset.free;
    }
    button.textContent = lock ? lockBanner.dataset.takeLabel : lockBanner.dataset.openLabel;
    lockBanner.hidden = false;
  }
  document.addEventListener("editorial:locked", (event) => showLock(event.detail));

  async function beat() {
    if (!form.dataset.presenceUrl) return;
    lastBeat = Date.now();
    const data = new FormData();
    data.append("csrfmiddlewaretoken", csrfToken);
    if (editing()) data.append("editing", "1");
    try {
      const response = await fetch(form.dataset.presenceUrl, { method: "POST", body: data, credentials: "same-origin" });
      if (response.ok) {
        const answer = await response.json();
        show(answer.others);
        showLock(answer.lock);
      }
    } catch (error) {
      // Offline for a moment: the next beat tells.
    }
  }

  function tick() {
    const quiet = document.visibilityState === "hidden" ? HIDDEN_HEARTBEAT : HEARTBEAT;
    if (Date.now() - lastBeat >= quiet - 100) beat();
  }

  function start() {
    clearInterval(timer);
    timer = setInterval(tick, HEARTBEAT);
  }

  document.addEventListener("editorial:article-created", () => { beat(); start(); });
  form.addEventListener("input", () => { if (form.dataset.presenceUrl) beat(); }, { once: true });
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") beat(); });
  window.addEventListener("pagehide", () => {
    if (!form.dataset.presenceUrl) return;
    const data = new FormData();
    data.append("csrfmiddlewaretoken", csrfToken);
    data.append("leaving", "1");
    navigator.sendBeacon(form.dataset.presenceUrl, data);
  });
  if (form.dataset.presenceUrl) {
    beat();
    start();
  }
})();
