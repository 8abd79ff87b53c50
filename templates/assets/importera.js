// The import page's progress (handlers/import_pages.cpp): asks the server how many files are
// read and updates the <progress> and its text. When every file is read it loads the page
// again to show the proposals, unless something has been typed into a form on it; then it
// only says so. Without this script the page's own link reloads it.
(function () {
    "use strict";
    var section = document.querySelector(".inlasning[data-status-url]");
    if (!section) return;
    var url = section.getAttribute("data-status-url");
    var shown = Number(section.getAttribute("data-read"));
    var bar = document.getElementById("inlasning-forlopp");
    var label = document.getElementById("inlasning-text");
    var news = document.getElementById("inlasning-nya");
    var typed = false;
    document.addEventListener("input", function () { typed = true; });

    function update(status) {
        bar.max = status.total;
        bar.value = status.read;
        bar.textContent = status.text;
        label.textContent = status.text;
        if (status.done && !typed) {
            window.location.reload();
            return true;
        }
        if (news && status.read > shown) {
            var more = status.read - shown;
            news.textContent = (status.done ? "Alla filer är lästa. " : "") +
                (more === 1 ? "1 ny fil är läst" : more + " nya filer är lästa") +
                ": ladda om sidan för att se förslagen.";
        }
        return status.done;
    }

    function poll() {
        fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
            .then(function (response) {
                if (!response.ok) throw new Error(String(response.status));
                return response.json();
            })
            .then(function (status) {
                if (!update(status)) window.setTimeout(poll, 1500);
            })
            .catch(function () {
                // The page's link still works; polling stops rather than hammering a server
                // that said no.
            });
    }
    window.setTimeout(poll, 1000);
}());
