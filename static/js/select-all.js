/* Progressive enhancement for staff lists: a "select all on this page" checkbox for the rows' checkboxes that
   belong to the form named in its data-select-all attribute. Without JavaScript the box stays hidden. */
(function () {
  "use strict";

  document.querySelectorAll("[data-select-all]").forEach(function (wrapper) {
    var box = wrapper.querySelector("input[type=checkbox]");
    var rows = function () {
      return document.querySelectorAll("input[type=checkbox][form='" + wrapper.dataset.selectAll + "']");
    };
    wrapper.hidden = false;
    box.addEventListener("change", function () {
      rows().forEach(function (row) { row.checked = box.checked; });
    });
  });
})();
