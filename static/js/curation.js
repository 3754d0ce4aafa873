// Split page: a click in the measure's text puts the character offset of the click into
// the "or at character" field (the form works without this script: type the words).
(function () {
  "use strict";
  var source = document.getElementById("split-source");
  var at = document.getElementById("id_at");
  if (!source || !at) return;
  source.addEventListener("click", function () {
    var selection = window.getSelection();
    if (!selection || !selection.rangeCount) return;
    var range = selection.getRangeAt(0);
    var before = document.createRange();
    before.selectNodeContents(source);
    before.setEnd(range.startContainer, range.startOffset);
    var offset = before.toString().length;
    if (offset > 0) {
      at.value = offset;
      document.getElementById("id_marker").value = "";
    }
  });
})();
