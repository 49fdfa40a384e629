// SendHub: small progressive enhancements. No inline scripts anywhere (CSP).
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("meta[name=csrf-token]");
  if (token) event.detail.headers["X-CSRFToken"] = token.content;
});

// Confirmation before destructive actions: <form data-confirm="Remove this?">.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset ? event.target.dataset.confirm : null;
  if (message && !window.confirm(message)) event.preventDefault();
});

// Formsets: "Add another" clones the empty form template and bumps TOTAL_FORMS.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-formset-add]");
  if (!button) return;
  const prefix = button.dataset.formsetAdd;
  const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  const template = document.getElementById(`${prefix}-empty`);
  const container = document.getElementById(`${prefix}-forms`);
  if (!total || !template || !container) return;
  const index = parseInt(total.value, 10);
  const max = document.getElementById(`id_${prefix}-MAX_NUM_FORMS`);
  if (max && index >= parseInt(max.value, 10)) {
    button.disabled = true;
    button.textContent = "No more can be added";
    return;
  }
  const html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
  container.insertAdjacentHTML("beforeend", html);
  total.value = String(index + 1);
  const first = container.lastElementChild && container.lastElementChild.querySelector("select, textarea, input:not([type=hidden])");
  if (first) first.focus();
});
