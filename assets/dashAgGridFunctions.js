/* Cell formatters for AG Grid (dash-ag-grid), in the page's language (`<html lang>`):
 *   valueFormatter: {"function": "viNumber(params.value, 0)"}   15085  → 15.085 (en: 15,085)
 *   valueFormatter: {"function": "viPercent(params.value, 1)"}  52.197 → 52,2%  (en: 52.2%)
 * The cell keeps its number, so sorting and number filters work on the value. Empty cells stay
 * empty. `viPercent` drops the decimals of whole numbers (100%), as dashboard.i18n.fmt_pct. */
(function () {
  "use strict";
  var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});
  var cache = {};

  function locale() {
    return document.documentElement.lang === "en" ? "en-US" : "vi-VN";
  }

  function formatter(digits) {
    var key = locale() + "|" + digits;
    if (!cache[key]) {
      cache[key] = new Intl.NumberFormat(locale(), {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
        useGrouping: true,
      });
    }
    return cache[key];
  }

  function asNumber(value) {
    if (value === null || value === undefined || value === "") {
      return null;
    }
    var number = typeof value === "number" ? value : Number(value);
    return Number.isFinite(number) ? number : null;
  }

  dagfuncs.viNumber = function (value, digits) {
    var number = asNumber(value);
    if (number === null) {
      return value === null || value === undefined ? "" : String(value);
    }
    return formatter(digits || 0).format(number);
  };

  dagfuncs.viPercent = function (value, digits) {
    var number = asNumber(value);
    if (number === null) {
      return value === null || value === undefined ? "" : String(value);
    }
    var d = digits === undefined ? 1 : digits;
    var whole = Math.round(number) === Number(number.toFixed(d));
    return formatter(whole ? 0 : d).format(number) + "%";
  };
})();
