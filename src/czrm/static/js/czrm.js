// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("czrm-js");
  function start() {
    document.body.classList.add("js-enabled", "govuk-frontend-supported");
    if (window.GOVUKFrontend && window.GOVUKFrontend.initAll) {
      window.GOVUKFrontend.initAll();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
