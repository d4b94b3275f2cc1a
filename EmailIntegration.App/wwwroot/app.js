// Remembers the light/dark choice per browser; copies text for copy buttons.
window.emailIntegration = {
  getTheme: () => localStorage.getItem("ei-theme"),
  setTheme: (value) => localStorage.setItem("ei-theme", value),
  // Note: the Clipboard API exists only in secure contexts (https or localhost); elsewhere fall back
  // to a selected text area and the older copy command.
  copyText: async (text) => {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return;
    }
    const area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  },
};
