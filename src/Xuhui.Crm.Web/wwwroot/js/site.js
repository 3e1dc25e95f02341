// Progressive enhancement only: every form works without this file.
(function () {
  "use strict";

  // Search as you type: [data-live] forms re-fetch their own page and swap the [data-live-target] region.
  document.querySelectorAll("form[data-live]").forEach(function (form) {
    var target = document.querySelector(form.getAttribute("data-live"));
    var timer, seq = 0;
    function refresh() {
      var params = new URLSearchParams(new FormData(form));
      params.delete("p");
      var url = form.action.split("?")[0] + "?" + params.toString();
      var mine = ++seq;
      fetch(url, { headers: { "X-Requested-With": "fetch" } }).then(function (r) { return r.text(); }).then(function (html) {
        if (mine !== seq) { return; }
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector(form.getAttribute("data-live"));
        if (fresh && target) { target.innerHTML = fresh.innerHTML; }
        history.replaceState(null, "", url);
      });
    }
    form.addEventListener("input", function (e) {
      clearTimeout(timer);
      timer = setTimeout(refresh, e.target.type === "search" ? 250 : 0);
    });
    form.addEventListener("change", function (e) { if (e.target.tagName === "SELECT") { clearTimeout(timer); refresh(); } });
  });

  // In-place actions: [data-inplace] forms post with fetch; the server answers JSON {ok, message}.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.matches("form[data-inplace]")) { return; }
    e.preventDefault();
    var button = form.querySelector("button");
    if (button) { button.disabled = true; }
    fetch(form.action, { method: "POST", body: new FormData(form), headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (result) {
        var item = form.closest("[data-item]");
        var status = document.getElementById("live-status");
        if (status) { status.textContent = result.message || ""; }
        if (result.ok && item) { item.remove(); }
        else if (button) { button.disabled = false; }
      })
      .catch(function () { form.submit(); });
  });
})();
