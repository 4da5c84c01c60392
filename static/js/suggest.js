/* Suggestions under every search box (input[data-suggest-url]): the WAI-ARIA combobox pattern.
 *
 * Without JavaScript each box is a plain GET form to /search/. With it, typing asks
 * /api/search/suggest/?detail=1 for {text, kind, url, hint} and lists them beneath the box:
 * ↓/↑ move through the list, Enter opens the chosen one (a title opens its page, anything else
 * searches for it), Escape closes the list (a second Escape clears the box), a click chooses too.
 * Nothing inline: the CSP of the public pages forbids inline scripts.
 */
(function () {
  "use strict";
  var KIND_LABELS = { title: "文件", pinyin: "拼音", lexicon: "俗称", term: "词语" };
  var DELAY_MS = 150;
  var counter = 0;

  function setup(input) {
    counter += 1;
    var listId = (input.id || "search-box-" + counter) + "-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "检索建议");
    list.hidden = true;
    var wrap = document.createElement("div");
    wrap.className = "suggest-wrap";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var items = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var asked = "";

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.children;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        if (options[index].scrollIntoView) { options[index].scrollIntoView({ block: "nearest" }); }
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var item = items[index];
      if (!item) { return; }
      input.value = item.text;
      close();
      window.location.assign(item.url);
    }

    function render(found) {
      items = found;
      while (list.firstChild) { list.removeChild(list.firstChild); }
      if (!found.length) { close(); return; }
      found.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "suggestion suggestion-" + item.kind;
        var text = document.createElement("span");
        text.className = "suggestion-text";
        text.textContent = item.text;
        option.appendChild(text);
        var kind = document.createElement("span");
        kind.className = "suggestion-kind";
        kind.textContent = (item.hint ? item.hint : KIND_LABELS[item.kind] || "");
        option.appendChild(kind);
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { choose(i); });
        list.appendChild(option);
      });
      active = -1;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function ask() {
      var text = input.value.trim();
      if (text === asked) { return; }
      asked = text;
      if (!text) { render([]); return; }
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      var url = input.getAttribute("data-suggest-url") + "?detail=1&q=" + encodeURIComponent(text);
      fetch(url, { credentials: "same-origin", signal: controller ? controller.signal : undefined,
                   headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (found) {
          if (input.value.trim() === text && Array.isArray(found)) { render(found); }
        })
        .catch(function () { /* aborted or offline: the form still submits */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length > 0;
      if (event.key === "ArrowDown") {
        if (!open) { asked = ""; ask(); return; }
        event.preventDefault();
        highlight(active + 1 >= items.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp") {
        if (!open) { return; }
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          choose(active);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          asked = "";
        }
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 100); });
  }

  var boxes = document.querySelectorAll("input[data-suggest-url]");
  for (var i = 0; i < boxes.length; i++) { setup(boxes[i]); }
})();
