// A form sent back with errors: move the focus to its "There is a problem" summary, so a
// screen reader reads it first and a keyboard user follows its links to the fields.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
})();
