/* 【字体：大 中 小】 and 关怀版 (issue 20): a reader's choice kept in this browser (localStorage), applied as classes
   on <html> before the page is drawn. Nothing reaches the server, so every visitor gets the same cached page.
   Without JavaScript the tools stay hidden and the page keeps its standard layout (the browser's zoom still works). */
(function () {
  "use strict";
  var FONT_KEY = "portal.fontSize";
  var CARE_KEY = "portal.care";
  var FONTS = ["large", "medium", "small"];
  var root = document.documentElement;

  function read(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }

  function write(key, value) {
    try {
      if (value === null) { window.localStorage.removeItem(key); } else { window.localStorage.setItem(key, value); }
    } catch (e) { /* storage refused (private mode): the choice lasts for this page only */ }
  }

  function font() {
    var value = read(FONT_KEY);
    return FONTS.indexOf(value) >= 0 ? value : "medium";
  }

  function care() { return read(CARE_KEY) === "1"; }

  function apply() {
    root.classList.remove("font-large", "font-small");
    if (font() !== "medium") { root.classList.add("font-" + font()); }
    root.classList.toggle("care", care());
  }

  function showState(tools) {
    var buttons = tools.querySelectorAll("[data-font]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-font") === font()));
    }
    var toggle = tools.querySelector("[data-care]");
    if (toggle) { toggle.textContent = care() ? "返回标准版" : "关怀版"; }  // the label says what a click does
  }

  function wire(tools) {
    tools.hidden = false;
    tools.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button || !tools.contains(button)) { return; }
      if (button.hasAttribute("data-font")) {
        var chosen = button.getAttribute("data-font");
        write(FONT_KEY, chosen === "medium" ? null : chosen);
      } else if (button.hasAttribute("data-care")) {
        write(CARE_KEY, care() ? null : "1");
      } else {
        return;
      }
      apply();
      showState(tools);
    });
    showState(tools);
  }

  apply();
  // Another tab changed the choice: follow it here too.
  window.addEventListener("storage", function () {
    apply();
    var all = document.querySelectorAll("[data-reading-tools]");
    for (var i = 0; i < all.length; i++) { showState(all[i]); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var all = document.querySelectorAll("[data-reading-tools]");
    for (var i = 0; i < all.length; i++) { wire(all[i]); }
  });
})();
