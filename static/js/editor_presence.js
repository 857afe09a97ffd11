// Who else has this article open in the editor: the page says it is open as it opens,
// at the first keystroke and every few seconds while it is in view, hears who else is,
// and says goodbye when it goes.
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

  async function beat() {
    if (!form.dataset.presenceUrl) return;
    lastBeat = Date.now();
    const data = new FormData();
    data.append("csrfmiddlewaretoken", csrfToken);
    try {
      const response = await fetch(form.dataset.presenceUrl, { method: "POST", body: data, credentials: "same-origin" });
      if (response.ok) show((await response.json()).others);
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
