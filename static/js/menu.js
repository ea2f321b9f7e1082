// The header menu is a <details>: at phone width it opens and closes with "Menu"; wider,
// the CSS shows its links whether it is open or not (::details-content). In a browser
// without ::details-content, this opens it at those widths instead. Without JavaScript
// a browser that lacks ::details-content still shows the links behind "Menu".
(function () {
  "use strict";
  var menu = document.querySelector("details.nav-menu");
  if (!menu || !window.CSS || CSS.supports("selector(::details-content)")) return;
  var wide = window.matchMedia("(min-width: 40.01rem)");
  function follow() { menu.open = wide.matches; }
  follow();
  wide.addEventListener("change", follow);
})();
