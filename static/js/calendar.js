// Drag a scheduled article to another day of the calendar: it is rescheduled there at
// the same time, through the article's own "change the time" action (the server checks
// who may and whether the time is still ahead); the page then shows the new plan.
(function () {
  "use strict";

  const form = document.getElementById("reschedule-form");
  const status = document.getElementById("calendar-status");
  if (!form || !status) return;
  const csrfToken = form.elements.namedItem("csrfmiddlewaretoken").value;
  let dragged = null;

  document.querySelectorAll(".calendar-item[data-reschedule-url]").forEach((item) => {
    item.addEventListener("dragstart", (event) => {
      dragged = item;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", item.dataset.rescheduleUrl);
    });
    item.addEventListener("dragend", () => { dragged = null; });
  });

  document.querySelectorAll("td[data-day]").forEach((cell) => {
    cell.addEventListener("dragover", (event) => {
      if (!dragged) return;
      event.preventDefault();
      cell.classList.add("drop-target");
    });
    cell.addEventListener("dragleave", () => cell.classList.remove("drop-target"));
    cell.addEventListener("drop", async (event) => {
      event.preventDefault();
      cell.classList.remove("drop-target");
      if (!dragged) return;
      const data = new FormData();
      data.append("csrfmiddlewaretoken", csrfToken);
      data.append("publish_at", cell.dataset.day + "T" + dragged.dataset.time);
      status.textContent = status.dataset.moving || "…";
      try {
        const response = await fetch(dragged.dataset.rescheduleUrl, { method: "POST", body: data, credentials: "same-origin" });
        if (!response.ok) throw new Error(String(response.status));
        window.location.reload();
      } catch (error) {
        status.textContent = status.dataset.failed;
      }
    });
  });
})();
