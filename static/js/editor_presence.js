// Who else has this article open in the editor: the page says it is open every 20 s,
// hears who else is, and says goodbye when it goes.
(function () {
  "use strict";

  const form = document.getElementById("article-form");
  const banner = document.getElementById("presence");
  if (!form || !banner) return;
  const csrfToken = form.elements.namedItem("csrfmiddlewaretoken").value;
  const HEARTBEAT = 20000;
  let timer = null;

  function show(names) {
    banner.hidden = names.length === 0;
    banner.querySelector("[data-names]").textContent = names.join(banner.dataset.separator);
  }

  async function beat() {
    if (!form.dataset.presenceUrl) return;
    const data = new FormData();
    data.append("csrfmiddlewaretoken", csrfToken);
    try {
      const response = await fetch(form.dataset.presenceUrl, { method: "POST", body: data, credentials: "same-origin" });
      if (response.ok) show((await response.json()).others);
    } catch (error) {
      // Offline for a moment: the next beat tells.
    }
  }

  function start() {
    clearInterval(timer);
    timer = setInterval(beat, HEARTBEAT);
  }

  document.addEventListener("editorial:article-created", () => { beat(); start(); });
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") beat(); });
  window.addEventListener("pagehide", () => {
    if (!form.dataset.presenceUrl) return;
    const data = new FormData();
    data.append("csrfmiddlewaretoken", csrfToken);
    data.append("leaving", "1");
    navigator.sendBeacon(form.dataset.presenceUrl, data);
  });
  if (form.dataset.presenceUrl) start();
})();
