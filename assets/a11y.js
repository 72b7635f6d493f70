/*
 * Keyboard use and accessibility repairs for every page (WCAG 2.1 AA, checked with axe-core
 * in tests/test_browser_a11y.py). Loaded by Dash from assets/ on every page; no inline script.
 *
 * - Skip link: "Bỏ qua đến nội dung chính" moves the focus to <main id="main-content"> without
 *   changing the address (Dash's location would treat a #hash as a new view).
 * - Navigation bar below 1200 px: Escape closes the open menu (unless a menu group inside it is
 *   open: Escape closes that first) and puts the focus back on the toggler.
 * - dbc.Tabs (dash-bootstrap-components 2.0.4) renders every tab with the same id, with
 *   aria-controls="...-tabpane-null" (no such element) and tabindex="-1" (no tab reachable by
 *   keyboard). Each tab is tied to its panel, the selected one is focusable, and the arrow keys,
 *   Home and End move between tabs (the ARIA tabs pattern).
 * - dcc.Dropdown (Dash 4) makes a focusable but aria-hidden input the tab stop, which forwards
 *   the focus to the drop-down's button (itself tabindex="-1"): the button becomes the tab stop
 *   and the hidden input leaves the tab order. Same keys, same order, nothing hidden focusable.
 * - dcc.DatePickerRange (Dash 4): the wrapper <div> carries aria-expanded without a role and
 *   aria-labelledby naming "undefined"; the clear control is an <a> without href (not
 *   reachable by keyboard) with an aria-label on no role. Repaired in place.
 *
 * - Printing: charts are redrawn at the width of an A4 page and grids print all their rows
 *   (assets/print.css does the rest).
 *
 * Repairs run on load and after every change of the page (a MutationObserver, batched per
 * animation frame); each only writes an attribute whose value differs, so it does not loop.
 */
(function () {
    "use strict";

    var MAIN_ID = "main-content";

    function setAttr(el, name, value) {
        if (el.getAttribute(name) !== value) {
            el.setAttribute(name, value);
        }
    }

    function each(root, selector, fn) {
        Array.prototype.forEach.call(root.querySelectorAll(selector), fn);
    }

    /* --- dbc.Tabs -------------------------------------------------------------------------- */

    function tabsOf(list) {
        return Array.prototype.filter.call(
            list.querySelectorAll("[role='tab']"),
            function (tab) { return tab.closest("[role='tablist']") === list; }
        );
    }

    function panesOf(list) {
        var content = list.nextElementSibling;
        if (!content || !content.classList.contains("tab-content")) {
            return [];
        }
        return Array.prototype.filter.call(content.children, function (child) {
            return child.getAttribute("role") === "tabpanel";
        });
    }

    function onTabKey(event) {
        var list = event.currentTarget;
        var tab = event.target.closest ? event.target.closest("[role='tab']") : null;
        if (!tab) {
            return;
        }
        var tabs = tabsOf(list).filter(function (t) {
            return !t.classList.contains("disabled") && t.getAttribute("aria-disabled") !== "true";
        });
        var index = tabs.indexOf(tab);
        var next = null;
        switch (event.key) {
            case "ArrowRight":
            case "ArrowDown":
                next = tabs[(index + 1) % tabs.length];
                break;
            case "ArrowLeft":
            case "ArrowUp":
                next = tabs[(index - 1 + tabs.length) % tabs.length];
                break;
            case "Home":
                next = tabs[0];
                break;
            case "End":
                next = tabs[tabs.length - 1];
                break;
            case " ":
            case "Enter":
                next = tab;
                break;
            default:
                return;
        }
        // Ours only: react-bootstrap's own handler looks for event keys dbc never sets.
        event.preventDefault();
        event.stopPropagation();
        if (next) {
            next.focus();
            next.click();
        }
    }

    function repairTabs(root) {
        each(root, "[role='tablist']", function (list) {
            var panes = panesOf(list);
            tabsOf(list).forEach(function (tab, i) {
                var pane = panes[i];
                if (pane) {
                    var tabId = pane.getAttribute("aria-labelledby");
                    if (tabId && tab.id !== tabId) {
                        tab.id = tabId;
                    }
                    if (pane.id) {
                        setAttr(tab, "aria-controls", pane.id);
                    }
                } else if (/-null$/.test(tab.getAttribute("aria-controls") || "")) {
                    tab.removeAttribute("aria-controls");
                }
                var selected = tab.classList.contains("active");
                setAttr(tab, "aria-selected", selected ? "true" : "false");
                setAttr(tab, "tabindex", selected ? "0" : "-1");
            });
            if (!list.hasAttribute("data-a11y-keys")) {
                list.setAttribute("data-a11y-keys", "1");
                list.addEventListener("keydown", onTabKey);
            }
        });
    }

    /* --- Dash 4 dropdowns and date pickers ------------------------------------------------- */

    // The page language's names for Dash's English-only control labels (shell.control_texts).
    function controlTexts() {
        var holder = document.getElementById("control-texts");
        try {
            return holder ? JSON.parse(holder.getAttribute("data-texts") || "{}") : {};
        } catch (e) {
            return {};
        }
    }

    function repairDashControls(root) {
        each(root, ".dash-dropdown-focus-target", function (input) {
            var button = input.nextElementSibling;
            if (!button || !button.classList.contains("dash-dropdown")) {
                return;
            }
            setAttr(input, "tabindex", "-1");
            setAttr(button, "tabindex", button.disabled ? "-1" : "0");
        });
        each(root, ".dash-datepicker-input-wrapper:not([role])", function (wrapper) {
            wrapper.removeAttribute("aria-expanded");
            wrapper.removeAttribute("aria-haspopup");
            var ids = (wrapper.getAttribute("aria-labelledby") || "").split(/\s+/)
                .filter(function (id) { return id && id !== "undefined"; });
            if (ids.length) {
                setAttr(wrapper, "aria-labelledby", ids.join(" "));
            } else {
                wrapper.removeAttribute("aria-labelledby");
            }
        });
        var texts = controlTexts();
        each(root, "[class*='dash-datepicker'] [aria-label], [class*='dash-datepicker'][aria-label]",
            function (el) {
                var translated = texts[el.getAttribute("aria-label")];
                if (translated) {
                    el.setAttribute("aria-label", translated);
                    el.setAttribute("title", translated);
                }
            });
        each(root, "a.dash-datepicker-clear:not([href])", function (clear) {
            setAttr(clear, "role", "button");
            setAttr(clear, "tabindex", "0");
        });
    }

    /* --- keyboard -------------------------------------------------------------------------- */

    document.addEventListener("click", function (event) {
        var link = event.target.closest ? event.target.closest("a.skip-link") : null;
        var main = document.getElementById(MAIN_ID);
        if (!link || !main) {
            return;
        }
        event.preventDefault();
        main.focus();
        main.scrollIntoView();
    });

    document.addEventListener("keydown", function (event) {
        var clear = event.target.closest ? event.target.closest("a.dash-datepicker-clear") : null;
        if (clear && (event.key === "Enter" || event.key === " ")) {
            event.preventDefault();
            clear.click();
        }
    });

    // Capture phase: decide before any component reacts to the same Escape.
    window.addEventListener("keydown", function (event) {
        if (event.key !== "Escape") {
            return;
        }
        var collapse = document.getElementById("nav-collapse");
        var toggler = document.getElementById("nav-toggler");
        if (!collapse || !toggler || !collapse.classList.contains("show")) {
            return;
        }
        if (window.getComputedStyle(toggler).display === "none") {
            return;  // wide screen: nothing is folded
        }
        if (collapse.querySelector(".dropdown-menu.show")) {
            return;  // the open group closes first
        }
        toggler.click();
        toggler.focus();
    }, true);

    /* --- printing (assets/print.css) ------------------------------------------------------- */

    // Charts keep the width they had on screen; before printing each is redrawn as wide as an
    // A4 page less print.css's margins (about 720 px at 96 dpi), its height kept. With both
    // width and height set, Plotly's (and dcc.Graph's responsive) resizing leaves it alone
    // while the page is laid out for paper; afterwards it gets its automatic size back.
    // Browsers announce printing with `beforeprint`; emulated print media (and some browsers'
    // print preview) with a change of `matchMedia("print")`.
    var PRINT_WIDTH = 700;
    var printing = false;
    var screenLayout = new WeakMap();

    function forEachGraph(fn) {
        if (!window.Plotly) {
            return;
        }
        each(document, ".js-plotly-plot", function (gd) {
            if (gd._fullLayout && gd.layout) {
                fn(gd);
            }
        });
    }

    // Grids show the rows of their scroll box only: printed whole (AG Grid's print layout, the
    // box's fixed height released), as on screen afterwards.
    function forEachGrid(fn) {
        var grids = window.dash_ag_grid;
        if (!grids || !grids.getApi) {
            return;
        }
        each(document, "[id]:has(> [class*='ag-theme'] .ag-root-wrapper)", function (box) {
            var api = null;
            try {
                api = grids.getApi(box.id);
            } catch (ignored) {
                return;  // not ready yet: printed as shown
            }
            if (api) {
                fn(api, box);
            }
        });
    }

    function beforePrint() {
        if (printing) {
            return;
        }
        printing = true;
        forEachGrid(function (api, box) {
            box.setAttribute("data-print-height", box.style.height);
            box.style.height = "auto";
            api.setGridOption("domLayout", "print");
        });
        forEachGraph(function (gd) {
            screenLayout.set(gd, {width: gd.layout.width, height: gd.layout.height});
            window.Plotly.relayout(gd, {
                width: PRINT_WIDTH, height: gd._fullLayout.height, autosize: false
            });
        });
    }

    function afterPrint() {
        if (!printing) {
            return;
        }
        printing = false;
        forEachGrid(function (api, box) {
            if (box.hasAttribute("data-print-height")) {
                api.setGridOption("domLayout", "normal");
                box.style.height = box.getAttribute("data-print-height");
                box.removeAttribute("data-print-height");
            }
        });
        forEachGraph(function (gd) {
            var saved = screenLayout.get(gd);
            if (saved) {
                screenLayout.delete(gd);
                window.Plotly.relayout(gd, {
                    width: saved.width === undefined ? null : saved.width,
                    height: saved.height === undefined ? null : saved.height,
                    autosize: true
                });
            }
        });
    }

    window.addEventListener("beforeprint", beforePrint);
    window.addEventListener("afterprint", afterPrint);
    if (window.matchMedia) {
        var printMedia = window.matchMedia("print");
        var onPrintMedia = function (event) {
            if (event.matches) {
                beforePrint();
            } else {
                afterPrint();
            }
        };
        if (printMedia.addEventListener) {
            printMedia.addEventListener("change", onPrintMedia);
        } else if (printMedia.addListener) {
            printMedia.addListener(onPrintMedia);
        }
    }

    /* --- run on every change --------------------------------------------------------------- */

    var scheduled = false;

    function repairAll() {
        scheduled = false;
        repairTabs(document);
        repairDashControls(document);
    }

    function schedule() {
        if (!scheduled) {
            scheduled = true;
            window.requestAnimationFrame(repairAll);
        }
    }

    function start() {
        repairAll();
        new MutationObserver(schedule).observe(document.body, {
            childList: true,
            subtree: true,
            attributes: true,
            attributeFilter: ["class", "aria-controls", "aria-expanded", "tabindex", "disabled"]
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
}());
