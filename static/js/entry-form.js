// Add Transcript: show the fields of the chosen activity type and preview the credit as
// the member types. The credit is computed on the server by the same rule that stores it.
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form) return;
  var typeSelect = form.querySelector("[name=activity_type]");
  var preview = document.getElementById("credit-preview");
  var url = form.getAttribute("data-preview-url");
  document.querySelectorAll(".js-hide").forEach(function (el) { el.hidden = true; });

  function showFields() {
    var type = typeSelect.value;
    form.querySelectorAll("[data-types]").forEach(function (wrapper) {
      var types = wrapper.getAttribute("data-types").split(" ");
      wrapper.hidden = types.indexOf(type) === -1;
    });
    form.querySelectorAll("[data-required-types]").forEach(function (mark) {
      mark.hidden = mark.getAttribute("data-required-types").split(" ").indexOf(type) === -1;
    });
  }

  var timer = null;
  var seq = 0;
  function refresh() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var body = new FormData(form);
      body.delete("evidence");
      var mine = ++seq;
      fetch(url, { method: "POST", body: body, credentials: "same-origin",
                   headers: { "X-Requested-With": "fetch" } })
        .then(function (r) { return r.text(); })
        .then(function (html) { if (mine === seq) preview.innerHTML = html; })
        .catch(function () {});
    }, 250);
  }

  // On a phone the preview docks at the bottom of the screen while the form scrolls
  // (portal.css), showing only the hours; its button shows or hides the reasons.
  var aside = preview.closest(".preview");
  var toggle = aside.querySelector(".preview-toggle");
  function setExpanded(open) {
    aside.classList.toggle("collapsed", !open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    toggle.textContent = toggle.getAttribute(open ? "data-hide" : "data-show");
  }
  aside.classList.add("docked");
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    setExpanded(aside.classList.contains("collapsed"));
  });
  setExpanded(false);

  typeSelect.addEventListener("change", showFields);
  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);
  showFields();
  refresh();
})();
