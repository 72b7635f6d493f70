/*
 * The Excel upload of /nhap-lieu refuses a file above the size limit before sending it.
 *
 * dcc.Upload's `max_size` drops such a file silently; this script, listening to the file input
 * and to drops on the upload area, opens the alert `ne-upload-too-large` with the page's
 * Vietnamese message instead (limit and message come from `#ne-upload-limit`, rendered by the
 * server), clears an earlier result, and closes the alert again when an acceptable file is
 * picked. A file script, not an inline one: the Content-Security-Policy forbids inline scripts.
 */
(function () {
    "use strict";

    function settings() {
        var element = document.getElementById("ne-upload-limit");
        if (!element) {
            return null;
        }
        return {max: Number(element.dataset.maxBytes), message: element.dataset.message || ""};
    }

    function megabytes(size) {
        return (size / (1024 * 1024)).toFixed(1).replace(".", ",");
    }

    function show(props) {
        var clientside = window.dash_clientside;
        if (clientside && typeof clientside.set_props === "function") {
            clientside.set_props("ne-upload-too-large", props);
            if (props.is_open) {
                clientside.set_props("ne-upload-msg", {children: null});
            }
            return;
        }
        var alert = document.getElementById("ne-upload-too-large");  // before Dash is ready
        if (alert) {
            alert.textContent = props.children;
        }
    }

    function check(files) {
        var limit = settings();
        if (!limit || !files || !files.length || !(limit.max > 0)) {
            return;
        }
        var file = files[0];
        if (file.size > limit.max) {
            var text = limit.message
                .replace("{name}", file.name)
                .replace("{size}", megabytes(file.size));
            show({is_open: true, children: text});
        } else {
            show({is_open: false, children: ""});
        }
    }

    document.addEventListener("change", function (event) {
        var target = event.target;
        if (target && target.matches && target.matches("#ne-upload input[type=file]")) {
            check(target.files);
        }
    }, true);

    document.addEventListener("drop", function (event) {
        var target = event.target;
        if (target && target.closest && target.closest("#ne-upload") && event.dataTransfer) {
            check(event.dataTransfer.files);
        }
    }, true);
})();
