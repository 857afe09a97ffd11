// The desk's article list: one box ticks or clears every article on the page.
(function () {
  "use strict";
  const all = document.querySelector("[data-tick-all]");
  if (!all) return;
  const boxes = () => Array.from(document.querySelectorAll('input[name="articles"]'));
  all.addEventListener("change", () => boxes().forEach((box) => { box.checked = all.checked; }));
  document.addEventListener("change", (event) => {
    if (event.target.name !== "articles") return;
    const ticked = boxes().filter((box) => box.checked).length;
    all.checked = ticked === boxes().length;
    all.indeterminate = ticked > 0 && ticked < boxes().length;
  });
})();
