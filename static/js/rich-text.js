// A small rich-text editor for <textarea data-rich-text>: bold, italic, headings, lists and
// links. The server sanitises whatever arrives (nh3), so this only makes writing easier;
// without JavaScript the textarea takes plain text or simple HTML.
(() => {
  const commands = [
    { label: "Bold", command: "bold" },
    { label: "Italic", command: "italic" },
    { label: "Heading", command: "formatBlock", value: "h3" },
    { label: "Paragraph", command: "formatBlock", value: "p" },
    { label: "Bulleted list", command: "insertUnorderedList" },
    { label: "Numbered list", command: "insertOrderedList" },
    { label: "Link", command: "createLink" },
  ];

  function enhance(textarea) {
    const label = document.querySelector(`label[for="${textarea.id}"]`);
    const toolbar = document.createElement("div");
    toolbar.className = "btn-toolbar gap-1 mb-2";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "Formatting");
    const editor = document.createElement("div");
    editor.className = "form-control rich-text-editor";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    if (label) {
      label.id = label.id || `${textarea.id}-label`;
      editor.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", () => editor.focus());
    }
    const help = textarea.getAttribute("aria-describedby");
    if (help) editor.setAttribute("aria-describedby", help);
    editor.innerHTML = textarea.value;
    for (const item of commands) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-outline-secondary";
      button.textContent = item.label;
      button.addEventListener("click", () => {
        let value = item.value || null;
        if (item.command === "createLink") {
          value = window.prompt("Link address (https://…)");
          if (!value) return;
        }
        editor.focus();
        document.execCommand(item.command, false, value);
      });
      toolbar.appendChild(button);
    }
    textarea.hidden = true;
    textarea.before(toolbar, editor);
    textarea.form.addEventListener("submit", () => {
      textarea.value = editor.innerHTML;
    });
  }

  document.querySelectorAll("textarea[data-rich-text]").forEach(enhance);
})();
