/* Views are URLs (dashboard/components/view_url.py): filters → query string, and Back/Forward
 * within a page → filters. */
(function () {
    "use strict";
    var current = null; // the view shown: {path, params}

    // A parameter's value among the callback's inputs (param[6]), or a key of it (param[5]).
    function valueOf(param, inputs) {
        var value = inputs[param[6]];
        if (param[5]) {
            value = value ? value[param[5]] : null;
        }
        return value;
    }

    function queryFor(view, inputs) {
        var query = new URLSearchParams(window.location.search);
        view.params.forEach(function (param) {
            var value = valueOf(param, inputs);
            if (value === null || value === undefined || value === "" || value === param[3]) {
                query.delete(param[0]);
            } else {
                // Dates from the date pickers: the day alone.
                query.set(param[0], String(value).replace(/^(\d{4}-\d{2}-\d{2})T.*$/, "$1"));
            }
        });
        var text = query.toString();
        return text ? "?" + text : "";
    }

    window.dash_clientside = window.dash_clientside || {};
    window.dash_clientside.ntm_view = {
        sync: function () {
            var args = Array.prototype.slice.call(arguments);
            var view = args.pop();
            var noUpdate = window.dash_clientside.no_update;
            if (!view || window.location.pathname !== view.path) {
                return noUpdate;
            }
            current = view;
            var search = queryFor(view, args);
            if (search === window.location.search) {
                return noUpdate;
            }
            var triggered = (window.dash_clientside.callback_context || {}).triggered || [];
            var initial = triggered.length === 0 || triggered[0].prop_id === ".";
            var url = view.path + search + window.location.hash;
            if (initial) {
                window.history.replaceState(window.history.state, "", url);
            } else {
                window.history.pushState({ntmView: true}, "", view.path + search);
            }
            return noUpdate;
        }
    };

    // Dash announces its own navigations (links, callback-driven addresses): the view shown
    // is unknown until the next page's filters report in.
    window.addEventListener("_dashprivate_pushstate", function () {
        current = null;
    });

    // Registered before Dash's location component mounts, so it runs first: within the same
    // page, set the filters from the address and keep Dash from rebuilding the page.
    window.addEventListener("popstate", function (event) {
        if (!current || current.path !== window.location.pathname) {
            current = null; // another page: Dash's router rebuilds it
            return;
        }
        event.stopImmediatePropagation();
        if (current.reload) {
            window.location.reload(); // the page's own guards (unsaved edits) ask first
            return;
        }
        var query = new URLSearchParams(window.location.search);
        var updates = {}; // component id → property → value
        current.params.forEach(function (param) {
            var value = query.has(param[0]) ? query.get(param[0]) : param[3];
            if (param[4] && value !== null && /^\d+$/.test(value)) {
                value = parseInt(value, 10);
            }
            var props = (updates[param[1]] = updates[param[1]] || {});
            if (param[5]) {
                props[param[2]] = props[param[2]] || {};
                props[param[2]][param[5]] = value;
            } else {
                props[param[2]] = value;
            }
        });
        Object.keys(updates).forEach(function (id) {
            window.dash_clientside.set_props(id, updates[id]);
        });
    });
})();
