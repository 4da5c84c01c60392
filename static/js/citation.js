/* Copy the citation of an article (《标题》第X条) to the clipboard.
 *
 * The buttons are rendered hidden and shown only here, so a browser without
 * scripts shows no button that does nothing. With the Clipboard API the text
 * is copied at once; without it (an old browser, a page not served over HTTPS)
 * or when the browser refuses, the text is put in a selected field in the
 * status box at the foot of the window, copied with the legacy copy command
 * where that still works, and otherwise left selected for Ctrl+C. Either way
 * the status region says what happened, for screen readers too.
 */
(function () {
  "use strict";

  var status = document.getElementById("cite-status");
  var buttons = document.querySelectorAll(".cite-button[data-citation]");
  if (!status || !buttons.length) {
    return;
  }

  function report(message, text) {
    status.textContent = "";
    var line = document.createElement("span");
    line.className = "cite-message";
    line.textContent = message;
    status.appendChild(line);
    var field = null;
    if (text) {
      field = document.createElement("input");
      field.type = "text";
      field.readOnly = true;
      field.value = text;
      field.className = "cite-field";
      field.setAttribute("aria-label", "引用文字");
      field.size = Math.min(Math.max(text.length * 2, 12), 60);
      status.appendChild(field);
    }
    var close = document.createElement("button");
    close.type = "button";
    close.className = "cite-close";
    close.textContent = "关闭";
    close.addEventListener("click", function () { status.hidden = true; });
    status.appendChild(close);
    status.hidden = false;
    return field;
  }

  function copyByHand(text) {
    var field = report("请按 Ctrl+C（Mac 上为 ⌘C）复制引用：", text);
    field.focus();
    field.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (err) {
      copied = false;
    }
    if (copied) {
      status.querySelector(".cite-message").textContent = "已复制引用：";
    }
  }

  function copy(text) {
    var clipboard = navigator.clipboard;
    if (clipboard && typeof clipboard.writeText === "function") {
      clipboard.writeText(text).then(
        function () { report("已复制引用：" + text); },
        function () { copyByHand(text); }
      );
    } else {
      copyByHand(text);
    }
  }

  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function (event) {
      copy(event.currentTarget.getAttribute("data-citation"));
    });
  }
})();
