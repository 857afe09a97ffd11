// Links into an article by a heading's or footnote's id (#はじめに, #fn:1) as the old
// site and other sites wrote them: the body's ids carry the prefix "md-", so that a body
// cannot take the page's own. Follow such a link to the place it meant.
(function () {
  "use strict";
  function follow() {
    var name;
    try {
      name = decodeURIComponent(window.location.hash.slice(1));
    } catch (error) {
      return;
    }
    if (!name || document.getElementById(name)) {
      return;
    }
    var target = document.getElementById("md-" + name);
    if (target) {
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", follow);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", follow);
  } else {
    follow();
  }
})();
