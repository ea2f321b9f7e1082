// Start from your certificate (Add Transcript): a certificate dropped on the drop zone is
// put into the file input and read at once. Keyboard and screen-reader users choose the
// file with the input and press "Read the certificate", which is also what works without
// JavaScript.
(function () {
  "use strict";
  var zone = document.querySelector("[data-drop-zone]");
  if (!zone) return;
  var input = zone.querySelector("input[type=file]");
  var form = input && input.form;
  if (!form) return;

  function hasFiles(event) {
    var types = event.dataTransfer && event.dataTransfer.types;
    return !!types && Array.prototype.indexOf.call(types, "Files") !== -1;
  }
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      zone.classList.add("dragging");
    });
  });
  ["dragleave", "dragend"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("dragging"); });
  });
  // A file dropped beside the zone must not open in the tab in place of the form.
  ["dragover", "drop"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      if (hasFiles(event) && !zone.contains(event.target)) event.preventDefault();
    });
  });
  zone.addEventListener("drop", function (event) {
    zone.classList.remove("dragging");
    if (!hasFiles(event) || !event.dataTransfer.files.length) return;
    event.preventDefault();
    input.files = event.dataTransfer.files;
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  });
})();
