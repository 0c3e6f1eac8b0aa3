// Small behaviours shared by every page. No network access beyond this server. The Content-Security-Policy
// allows no inline script and no on…= attribute: a page's behaviour lives here, bound by data- attributes.
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
  // Buttons with data-remove-form take their form off the page (取消 on a form HTMX swapped in).
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-remove-form]");
    var form = el && el.closest("form");
    if (form) { form.remove(); }
  });
  // A page opened for printing (?print=1, the 打印 links) opens the browser's print dialogue.
  window.addEventListener("load", function () {
    if (document.body.hasAttribute("data-print-auto")) { window.print(); }
  });
  // Selects with data-autosubmit (the page size) submit their form when changed.
  document.addEventListener("change", function (event) {
    var el = event.target.closest("[data-autosubmit]");
    if (el && el.form) { el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit(); }
  });
  // Multi-selects marked data-multiselect (every <select multiple> a form draws) become searchable
  // (Tom Select, vendored); started on load and on whatever HTMX swaps in.
  function startMultiselects(root) {
    if (!window.TomSelect || !root || !root.querySelectorAll) { return; }
    var found = root.matches && root.matches("select[data-multiselect]") ? [root] : [];
    root.querySelectorAll("select[data-multiselect]").forEach(function (el) { found.push(el); });
    found.forEach(function (el) {
      if (el.tomselect) { return; }
      var noResults = el.getAttribute("data-no-results") || "";
      new window.TomSelect(el, {
        plugins: ["remove_button"],
        maxOptions: null,
        hidePlaceholder: true,
        placeholder: el.getAttribute("data-placeholder") || "",
        onItemAdd: function () { this.setTextboxValue(""); this.refreshOptions(false); },
        render: {
          no_results: function () { return '<div class="no-results">' + noResults + "</div>"; }
        }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { startMultiselects(document); });
  document.addEventListener("htmx:load", function (event) { startMultiselects(event.detail.elt); });
  // Bars whose width is computed (data-bar-width="42.5", in per cent): set through the style object, which the
  // Content-Security-Policy allows, where a style="width:…" attribute would be refused.
  function sizeBars(root) {
    if (!root || !root.querySelectorAll) { return; }
    var found = root.matches && root.matches("[data-bar-width]") ? [root] : [];
    root.querySelectorAll("[data-bar-width]").forEach(function (el) { found.push(el); });
    found.forEach(function (el) {
      var value = parseFloat(el.getAttribute("data-bar-width"));
      if (!isNaN(value)) { el.style.width = Math.max(0, Math.min(100, value)) + "%"; }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { sizeBars(document); });
  document.addEventListener("htmx:load", function (event) { sizeBars(event.detail.elt); });
  // Forms with data-progress show a spinner and disable their submit button while the server works.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-progress")) { return; }
    // A disabled button is not submitted: keep the pressed one's name and value (保存 / 保存并反馈).
    var pressed = event.submitter;
    if (pressed && pressed.name) {
      var keep = document.createElement("input");
      keep.type = "hidden";
      keep.name = pressed.name;
      keep.value = pressed.value;
      form.appendChild(keep);
    }
    form.querySelectorAll('button[type="submit"]').forEach(function (b) {
      b.disabled = true;
      b.insertAdjacentHTML("afterbegin", '<span class="spinner-border spinner-border-sm me-1" aria-hidden="true"></span>');
    });
  });
})();
