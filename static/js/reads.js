// Says once that this article was read (articles/reading/readership.py): a beacon, sent
// when the page is first in view, so that a page opened in a background tab or only
// prerendered is not counted. Nothing about the reader goes with it.
(function () {
  "use strict";

  const article = document.querySelector("article[data-read-url]");
  if (!article || !navigator.sendBeacon) return;

  function send() {
    navigator.sendBeacon(article.dataset.readUrl, new URLSearchParams({ article: article.dataset.article }));
  }

  if (document.visibilityState === "visible") {
    send();
  } else {
    document.addEventListener("visibilitychange", function shown() {
      if (document.visibilityState !== "visible") return;
      document.removeEventListener("visibilitychange", shown);
      send();
    });
  }
})();
