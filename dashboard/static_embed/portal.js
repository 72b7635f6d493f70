/* Included by a portal page that frames charts of the NTM monitoring dashboard:
     <script src="https://<dashboard>/nhung/static/portal.js" defer></script>
   Listens for the embeds' height messages ({type: "ntm-embed:resize", chart, height}) and sets
   the height of the iframe that sent each one. Messages from any other origin than the
   dashboard's (the origin this script was loaded from) are ignored. */
(function () {
  "use strict";

  var MAX_HEIGHT = 10000;

  function scriptOrigin() {
    var script = document.currentScript;
    if (!script) {
      var scripts = document.getElementsByTagName("script");
      for (var i = 0; i < scripts.length; i++) {
        if (/\/nhung\/static\/portal\.js(\?|$)/.test(scripts[i].src)) {
          script = scripts[i];
          break;
        }
      }
    }
    if (!script || !script.src) {
      return null;
    }
    try {
      return new URL(script.src, document.baseURI).origin;
    } catch (e) {
      return null;
    }
  }

  var origin = scriptOrigin();
  if (!origin) {
    return;
  }
  var listening = (window.__ntmEmbedOrigins = window.__ntmEmbedOrigins || {});
  if (listening[origin]) {
    return; // the script is included more than once: one listener is enough
  }
  listening[origin] = true;

  window.addEventListener("message", function (event) {
    if (event.origin !== origin) {
      return;
    }
    var data = event.data;
    if (!data || typeof data !== "object" || data.type !== "ntm-embed:resize") {
      return;
    }
    var height = Number(data.height);
    if (!isFinite(height) || height <= 0) {
      return;
    }
    height = Math.min(Math.ceil(height), MAX_HEIGHT);
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = height + "px";
        frames[i].setAttribute("height", String(height));
        return;
      }
    }
  });
})();
