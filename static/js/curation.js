// Split page: a click in the measure's text puts the character offset of the click into
// the "or at character" field (the form works without this script: type the words).
(function () {
  "use strict";
  var source = document.getElementById("split-source");
  var at = document.getElementById("id_at");
  if (!source || !at) return;

  function caretAt(event) {
    if (document.caretPositionFromPoint) {
      var pos = document.caretPositionFromPoint(event.clientX, event.clientY);
      if (pos) return { node: pos.offsetNode, offset: pos.offset };
    }
    if (document.caretRangeFromPoint) {
      var range = document.caretRangeFromPoint(event.clientX, event.clientY);
      if (range) return { node: range.startContainer, offset: range.startOffset };
    }
    var selection = window.getSelection();
    if (selection && selection.rangeCount) {
      var r = selection.getRangeAt(0);
      return { node: r.startContainer, offset: r.startOffset };
    }
    return null;
  }

  source.addEventListener("click", function (event) {
    var caret = caretAt(event);
    if (!caret || !source.contains(caret.node)) return;
    var before = document.createRange();
    before.selectNodeContents(source);
    before.setEnd(caret.node, caret.offset);
    var offset = before.toString().length;
    if (offset > 0 && offset < source.textContent.length) {
      at.value = offset;
      document.getElementById("id_marker").value = "";
    }
  });
})();
