// A <select data-autosubmit> submits its form as soon as the choice changes (the year
// filter of the transcript). Without JavaScript the form's own button does the same.
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) select.form.submit();
    });
  });
})();
