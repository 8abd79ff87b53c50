// The import pages' script (handlers/import_pages.cpp); both pages work without it.
//
// On the upload form: says how many files are chosen and how large they are together, and
// stops a choice the server would refuse (too many files, or more bytes than one request may
// hold) before it is sent, in the same words.
//
// On a batch's page: asks the server how many files are read and updates the <progress> and
// its text. When every file is read it loads the page again to show the proposals, unless
// something has been typed into a form on it; then it only says so.
(function () {
    "use strict";

    function megabytes(bytes) {
        return Math.max(1, Math.round(bytes / 1048576)) + " MB";
    }

    var form = document.querySelector("form.importformular[data-max-bytes]");
    if (form) {
        var input = document.getElementById("falt-filer");
        var note = document.getElementById("falt-filer-urval");
        var maxFiles = Number(form.getAttribute("data-max-files"));
        var maxBytes = Number(form.getAttribute("data-max-bytes"));
        var problem = function () {
            var files = input.files || [];
            var total = 0;
            for (var i = 0; i < files.length; i++) total += files[i].size;
            if (files.length > maxFiles) {
                return "Du valde " + files.length + " filer. Högst " + maxFiles +
                    " filer kan läsas in på en gång: dela upp dem på flera inläsningar.";
            }
            // The request carries the form's other fields and each part's head as well.
            if (total + 1024 * (files.length + 1) > maxBytes) {
                return "De valda filerna är sammanlagt " + megabytes(total) + ". Högst " +
                    megabytes(maxBytes) + " kan läsas in på en gång: dela upp dem på flera " +
                    "inläsningar.";
            }
            note.textContent = files.length === 0 ? "" :
                (files.length === 1 ? "1 fil vald" : files.length + " filer valda") +
                ", sammanlagt " + megabytes(total) + ".";
            return "";
        };
        var show = function () {
            var message = problem();
            // Shown as the server shows an error at a field: red, bold, a border, and "Fel:".
            note.className = message ? "falt-felmeddelande" : "falt-tips";
            input.closest(".falt").classList.toggle("falt--fel", Boolean(message));
            if (message) {
                note.textContent = "Fel: " + message;
                input.setAttribute("aria-invalid", "true");
            } else {
                input.removeAttribute("aria-invalid");
            }
            return message;
        };
        input.addEventListener("change", show);
        form.addEventListener("submit", function (event) {
            if (show()) {
                event.preventDefault();
                input.focus();
            }
        });
    }

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
