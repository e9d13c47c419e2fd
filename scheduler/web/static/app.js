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

// A solve job's page ([data-job-url]) asks the server for the job's progress every second and shows it;
// when the job has finished, the page reloads to show the result (the draft's link, or the error).
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-job-url]");
  if (!box || ["succeeded", "failed"].includes(box.dataset.state)) return;
  const show = (name, value) => {
    const element = box.querySelector(`[data-field="${name}"]`);
    if (!element) return;
    if (element.tagName === "PROGRESS") element.value = value;
    else element.textContent = value === null || value === undefined ? "—" : String(value);
  };
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.jobUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      const job = await response.json();
      if (job.finished) {
        window.location.reload();
        return;
      }
      show("state", box.dataset[`label${job.state.charAt(0).toUpperCase()}${job.state.slice(1)}`] || job.state);
      show("percent", job.percent);
      show("objective", job.objective);
      show("bound", job.bound);
      show("elapsed_s", Math.round(job.elapsed_s));
      show("time_left_s", Math.round(job.time_left_s));
      const stalled = box.querySelector('[data-field="stalled"]');
      if (stalled) stalled.hidden = !job.stalled;
    } catch {
      // A dropped connection is retried at the next tick; the job itself keeps running on the server.
    }
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 1000);
});
