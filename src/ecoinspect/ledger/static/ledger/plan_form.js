// The special plan form: 添加时间节点 adds a milestone row from the formset's empty form.
(function () {
  "use strict";
  var button = document.getElementById("add-milestone");
  var total = document.getElementById("id_milestones-TOTAL_FORMS");
  var template = document.getElementById("milestone-template");
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    document.getElementById("milestones").insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
  });
})();
