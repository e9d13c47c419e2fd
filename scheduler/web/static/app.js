// Small enhancements; every page works without them. No inline handlers: the CSP allows scripts from /static only.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Forms with data-confirm ask before they submit (e.g. rotating the calendar address).
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });

  // Buttons with data-print print the page (the print stylesheet fits the notice on A4).
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });

  // Buttons with data-copy="#id" copy that field's value.
  document.querySelectorAll("[data-copy]").forEach((button) => {
    button.addEventListener("click", async () => {
      const field = document.querySelector(button.dataset.copy);
      if (!field) return;
      field.select();
      try {
        await navigator.clipboard.writeText(field.value);
      } catch {
        document.execCommand("copy");
      }
    });
  });

  // A select with data-filter-by="#other" shows only the options of the lawyer chosen in #other;
  // option values are "LAWYER_ID:DUTY_ID", the empty value always stays.
  document.querySelectorAll("select[data-filter-by]").forEach((select) => {
    const owner = document.querySelector(select.dataset.filterBy);
    if (!owner) return;
    const update = () => {
      for (const option of select.options) {
        const visible = option.value === "" || option.value.split(":")[0] === owner.value;
        option.hidden = !visible;
        option.disabled = !visible;
        if (!visible && option.selected) select.value = "";
      }
    };
    owner.addEventListener("change", update);
    update();
  });
});
