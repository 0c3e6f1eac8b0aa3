// Small behaviours shared by every page. No network access beyond this server.
(function () {
  "use strict";
  // HTMX sends Django's CSRF token with every write.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) { event.detail.headers["X-CSRFToken"] = meta.content; }
  });
  // Buttons with data-confirm ask before submitting.
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
  });
  // Selects with data-autosubmit (the page size) submit their form when changed.
  document.addEventListener("change", function (event) {
    var el = event.target.closest("[data-autosubmit]");
    if (el && el.form) { el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit(); }
  });
  // Forms with data-progress show a spinner and disable their submit button while the server works.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-progress")) { return; }
    form.querySelectorAll('button[type="submit"]').forEach(function (b) {
      b.disabled = true;
      b.insertAdjacentHTML("afterbegin", '<span class="spinner-border spinner-border-sm me-1" aria-hidden="true"></span>');
    });
  });
})();
