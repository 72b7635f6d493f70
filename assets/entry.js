/*
 * The data-entry page (/nhap-lieu), browser side; see dashboard/callbacks/data_entry.py.
 *
 * - `ntm_entry.track` (a clientside callback on the grid's rows) writes the unsaved-changes
 *   line and keeps the "unsaved edits" flag.
 * - While the flag is set and the page's guard element (`#ne-guard`, whose data attributes hold
 *   the Vietnamese texts rendered by the server) is on the page: closing the tab or reloading
 *   asks the browser's "leave the site?" question (`beforeunload`), and a click on a link inside
 *   the application (Dash's page navigation fires no `beforeunload`) asks `confirm()` first.
 * - `ntm_entry.phoneEdit` copies the phone form's inputs into the grid's rows, so that the
 *   phone view and the grid share one set of edits, one save and one guard.
 * - `dashAgGridFunctions.entryNumber` shows the grid's numbers in the page's language (15.085).
 *
 * A file script, not an inline one: the Content-Security-Policy forbids inline scripts.
 */
(function () {
    "use strict";

    // changes: unsaved cells; download: a download link was just clicked (it leaves nothing,
    // but the browser asks `beforeunload` before it knows the answer is a file)
    var state = {changes: 0, download: false};

    function guard() {
        return document.getElementById("ne-guard");
    }

    function unsaved() {
        return state.changes > 0 && guard() !== null;
    }

    function norm(value) {
        return value === null || value === undefined ? "" : String(value).trim();
    }

    function noUpdate() {
        return window.dash_clientside.no_update;
    }

    /* How many unit × indicator cells differ from what was loaded, and how many are emptied
       (to be cleared): the rule of `changed_cells` in dashboard/services/data_entry.py. */
    function countChanges(rows, columns) {
        var byIndicator = {};
        (columns || []).forEach(function (col) {
            (byIndicator[col.indicator] = byIndicator[col.indicator] || []).push(col.field);
        });
        var changed = 0;
        var cleared = 0;
        (rows || []).forEach(function (row) {
            var applicable = row._app || [];
            var orig = row._orig || {};
            Object.keys(byIndicator).forEach(function (code) {
                var fields = byIndicator[code].filter(function (f) {
                    return applicable.indexOf(f) >= 0;
                });
                if (fields.length === 0) {
                    return;
                }
                var same = fields.every(function (f) {
                    return norm(row[f]) === norm(orig[f]);
                });
                if (same) {
                    return;
                }
                changed += 1;
                if (fields.every(function (f) { return norm(row[f]) === ""; })) {
                    cleared += 1;
                }
            });
        });
        return {changed: changed, cleared: cleared};
    }

    window.dash_clientside = window.dash_clientside || {};
    window.dash_clientside.ntm_entry = {
        track: function (rows, _cellChange, columns) {
            var counts = countChanges(rows, columns);
            state.changes = counts.changed;
            var element = guard();
            if (!element) {
                return noUpdate();
            }
            var data = element.dataset;
            if (counts.changed === 0) {
                return data.none;
            }
            var template = counts.cleared > 0 ? data.cleared : data.changes;
            return template
                .replace("{count}", String(counts.changed))
                .replace("{cleared}", String(counts.cleared));
        },

        /* An input left as it was loaded keeps the stored value (the form shows numbers as
           text); anything else is what was typed, checked by the server on save. */
        phoneEdit: function (values, ids, initial, rows) {
            if (!rows || !ids || !initial || initial.unit === undefined) {
                return noUpdate();
            }
            var texts = initial.texts || {};
            var changed = false;
            var out = rows.map(function (row) {
                if (String(row.row_id) !== String(initial.unit)) {
                    return row;
                }
                var copy = Object.assign({}, row);
                ids.forEach(function (id, i) {
                    var field = id.field;
                    if (!(field in texts)) {
                        return;
                    }
                    var typed = values[i] === null || values[i] === undefined ? "" : values[i];
                    var next = norm(typed) === norm(texts[field]) ? (row._orig || {})[field] : typed;
                    if (copy[field] !== next) {
                        copy[field] = next;
                        changed = true;
                    }
                });
                return copy;
            });
            return changed ? out : noUpdate();
        },

        close: function () {
            return false;
        }
    };

    /* Grid cells: numbers in the page's language (vi: 15.085 and 12,5); text as typed. */
    var formats = {};
    function numberFormat() {
        var lang = (document.documentElement.lang || "vi").slice(0, 2) === "en" ? "en-US" : "vi-VN";
        if (!formats[lang]) {
            formats[lang] = new Intl.NumberFormat(lang, {maximumFractionDigits: 6});
        }
        return formats[lang];
    }
    var gridFunctions = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});
    gridFunctions.entryNumber = function (params) {
        var value = params.value;
        if (typeof value === "number" && isFinite(value)) {
            return numberFormat().format(value);
        }
        return value === null || value === undefined ? "" : String(value);
    };

    window.addEventListener("beforeunload", function (event) {
        if (unsaved() && !state.download) {
            event.preventDefault();
            event.returnValue = "";  // older browsers need a value to ask
            return "";
        }
        return undefined;
    });

    /* A link that leaves the page within the application. Downloads, new tabs, in-page anchors
       and modified clicks do not leave it. */
    function leavingLink(event) {
        if (event.defaultPrevented || event.button !== 0) {
            return null;
        }
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
            return null;
        }
        var link = event.target && event.target.closest ? event.target.closest("a[href]") : null;
        if (!link || link.hasAttribute("download") || link.dataset.entryKeep !== undefined) {
            return null;
        }
        if (link.target && link.target !== "_self") {
            return null;
        }
        var href = link.getAttribute("href") || "";
        if (href === "" || href.charAt(0) === "#") {
            return null;
        }
        return link;
    }

    document.addEventListener(
        "click",
        function (event) {
            var keep = event.target && event.target.closest
                ? event.target.closest("a[data-entry-keep]")
                : null;
            if (keep) {
                state.download = true;
                window.setTimeout(function () {
                    state.download = false;
                }, 0);
            }
            if (!unsaved()) {
                return;
            }
            var link = leavingLink(event);
            if (!link) {
                return;
            }
            if (window.confirm(guard().dataset.message)) {
                state.changes = 0;  // leaving: the page's own question is not asked again
                return;
            }
            event.preventDefault();
            event.stopImmediatePropagation();
        },
        true
    );
})();
