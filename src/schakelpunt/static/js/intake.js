/* The intake screen, made quicker with the keyboard. Everything here is an extra: without
   JavaScript the search submits as a page, "Nog een vraag" asks the server for another block
   and the new-resident fields are always shown.

   - Ctrl+Enter (Cmd+Enter on a Mac) and Alt+S save the contact, wherever the cursor is.
   - Arrow down in the search field goes to the residents found; arrow up and down move
     between them, Escape goes back to the search field, Enter picks one.
   - After picking, the cursor goes to the chosen resident.
   - "Nog een vraag" copies an empty question block on the page.
   - The new-resident fields are shown (and sent) only when "Nieuwe inwoner" is chosen. */
(function () {
  "use strict";

  function init() {
    var form = document.getElementById("intake-form");
    if (!form) {
      return;
    }
    var saveButton = form.querySelector("[data-save]");
    var searchInput = document.getElementById("id_q");
    var results = document.getElementById("search-results");

    /* Saving with the keyboard. */
    var submitting = false;
    form.addEventListener("submit", function () {
      submitting = true;
    });
    document.addEventListener("keydown", function (event) {
      var ctrlEnter = (event.ctrlKey || event.metaKey) && event.key === "Enter";
      var altS = event.altKey && !event.ctrlKey && !event.metaKey && event.code === "KeyS";
      if (!ctrlEnter && !altS) {
        return;
      }
      event.preventDefault();
      if (!submitting) {
        form.requestSubmit(saveButton);
      }
    });

    /* "Voor wie": the new-resident fields only for a new resident. A hidden fieldset is
       disabled too, so that what was typed there is not sent. */
    var newResident = form.querySelector("[data-new-resident]");
    function syncWho() {
      var checked = form.querySelector("input[name='who']:checked");
      var isNew = Boolean(checked) && checked.value === "new";
      newResident.hidden = !isNew;
      newResident.querySelector("fieldset").disabled = !isNew;
    }
    if (newResident) {
      var hint = newResident.querySelector("[data-no-js-hint]");
      if (hint) {
        hint.hidden = true;
      }
      form.addEventListener("change", function (event) {
        if (event.target.name === "who") {
          syncWho();
        }
      });
      syncWho();
    }

    /* Moving through the residents found with the arrow keys. */
    function resultLinks() {
      return Array.prototype.slice.call(results.querySelectorAll("[data-search-result]"));
    }
    if (searchInput && results) {
      searchInput.addEventListener("keydown", function (event) {
        var links = resultLinks();
        if (event.key === "ArrowDown" && links.length) {
          event.preventDefault();
          links[0].focus();
        }
      });
      results.addEventListener("keydown", function (event) {
        var links = resultLinks();
        var index = links.indexOf(event.target);
        if (index < 0) {
          return;
        }
        if (event.key === "ArrowDown" && index < links.length - 1) {
          event.preventDefault();
          links[index + 1].focus();
        } else if (event.key === "ArrowUp") {
          event.preventDefault();
          (index > 0 ? links[index - 1] : searchInput).focus();
        } else if (event.key === "Escape") {
          event.preventDefault();
          searchInput.focus();
        } else if (event.key === "Enter" && window.htmx) {
          /* Enter can come before htmx has wired a result that just arrived; the browser
             would then follow the plain link and reload the page. Wire it now, then click. */
          event.preventDefault();
          window.htmx.process(event.target);
          event.target.click();
        }
      });
    }

    /* A picked resident replaces the "Voor wie" block: put the cursor on the choice. */
    if (window.htmx) {
      window.htmx.onLoad(function (element) {
        if (element.id !== "resident-choice") {
          return;
        }
        var chosen = element.querySelector("input[name='who'][value='known']");
        if (chosen) {
          chosen.focus();
        }
        if (newResident) {
          syncWho();
        }
      });
    }

    /* Another question block, copied from the empty one in the <template>. */
    var addButton = form.querySelector("[data-add-question]");
    var template = document.getElementById("question-template");
    var questions = form.querySelector("[data-questions]");
    var total = form.querySelector("input[name$='-TOTAL_FORMS']");
    var max = form.querySelector("input[name$='-MAX_NUM_FORMS']");
    if (addButton && template && questions && total && max) {
      addButton.type = "button";
      addButton.hidden = Number(total.value) >= Number(max.value);
      addButton.addEventListener("click", function () {
        var index = Number(total.value);
        if (index >= Number(max.value)) {
          return;
        }
        var html = template.innerHTML
          .split("__prefix__").join(String(index))
          .split("__number__").join(String(index + 1));
        questions.insertAdjacentHTML("beforeend", html);
        total.value = String(index + 1);
        var blocks = questions.querySelectorAll("[data-question]");
        blocks[blocks.length - 1].querySelector("textarea").focus();
        addButton.hidden = index + 1 >= Number(max.value);
      });
    }

    /* After a refused save: start at the message that says what is wrong. */
    var summary = form.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
