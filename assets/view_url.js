/* Views are URLs (dashboard/components/view_url.py): filters → query string, and Back/Forward
 * within a page → filters. */
(function () {
    "use strict";
    var current = null; // the view shown: {path, params}

    function queryFor(view, values) {
        var query = new URLSearchParams(window.location.search);
        view.params.forEach(function (param, i) {
            var value = values[i];
            if (value === null || value === undefined || value === "" || value === param[3]) {
                query.delete(param[0]);
            } else {
                query.set(param[0], String(value));
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
        var query = new URLSearchParams(window.location.search);
        current.params.forEach(function (param) {
            var props = {};
            props[param[2]] = query.has(param[0]) ? query.get(param[0]) : param[3];
            window.dash_clientside.set_props(param[1], props);
        });
    });
})();
