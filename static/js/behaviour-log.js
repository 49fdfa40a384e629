// Behaviour log: the physical intervention details appear when "Physical intervention used"
// is ticked. Without JavaScript they are always shown; the server requires them either way.
document.querySelectorAll("[data-reveal-when]").forEach((target) => {
  const control = document.getElementById(target.dataset.revealWhen);
  if (!control) return;
  const sync = (focus) => {
    target.hidden = !control.checked;
    if (focus && control.checked) {
      const field = target.querySelector("textarea, input, select");
      if (field) field.focus();
    }
  };
  control.addEventListener("change", () => sync(true));
  sync(false);
});
