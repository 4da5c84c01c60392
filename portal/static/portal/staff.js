/* The staff portal's one script: copy a citation to the clipboard. Without it the citation stays
   selectable text; nothing else depends on JavaScript. */
(function () {
  "use strict";

  function announce(button, text) {
    var status = document.getElementById(button.getAttribute("data-status")) || button.nextElementSibling;
    if (status) { status.textContent = text; }
  }

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function fallbackCopy(button, source) {
    selectText(source);
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    announce(button, copied ? "已复制" : "已选中，请按 Ctrl+C 复制");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) { return; }
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) { return; }
    var text = source.textContent.trim();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { announce(button, "已复制"); },
        function () { fallbackCopy(button, source); }
      );
    } else {
      fallbackCopy(button, source);
    }
  });
})();
