/* Quick exit: the "Leave quickly" link, Escape twice, or Shift three times blank the page at
   once and replace it in the history with a neutral site. Without JavaScript the link still
   works as a plain link. */
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  if (!link) { return; }
  var target = link.getAttribute("href");
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.documentElement.style.display = "none";
    document.title = "";
    try { document.body.innerHTML = ""; } catch (ignored) { /* keep going */ }
    window.location.replace(target);
  }
  link.addEventListener("click", leave);
  var presses = { Escape: [], Shift: [] };
  var needed = { Escape: 2, Shift: 3 };
  document.addEventListener("keydown", function (event) {
    var list = presses[event.key];
    if (!list || event.repeat) { return; }
    var now = Date.now();
    list.push(now);
    while (list.length && now - list[0] > 1500) { list.shift(); }
    if (list.length >= needed[event.key]) { leave(event); }
  });
})();
