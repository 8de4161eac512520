// On the coding page, selecting words of an answer fills them into that answer's
// "words to code" field. The page works without this script: type the words instead.
(function () {
  document.querySelectorAll(".answer-text").forEach(function (answer) {
    answer.addEventListener("mouseup", function () {
      var words = String(window.getSelection()).trim();
      var field = answer.parentNode.querySelector("form.code-words input[name='words']");
      if (words && field) field.value = words;
    });
  });
})();
