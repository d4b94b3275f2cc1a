// Remembers the light/dark choice per browser; copies text for copy buttons; keeps the unread count
// in front of the tab's title whatever title the page sets.
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
  scrollToLast: (selector) => {
    const all = document.querySelectorAll(selector);
    if (all.length > 0) {
      all[all.length - 1].scrollIntoView({ block: "nearest" });
    }
  },
  setUnread: (count) => {
    const state = window.emailIntegration.unread ??= { count: 0, observer: null };
    state.count = count;
    const apply = () => {
      const bare = document.title.replace(/^\(\d+\) /, "");
      const wanted = state.count > 0 ? `(${state.count}) ${bare}` : bare;
      if (document.title !== wanted) {
        document.title = wanted;
      }
    };
    if (!state.observer) {
      // Pages set their own title as they render; the count goes back in front each time.
      state.observer = new MutationObserver(apply);
      state.observer.observe(document.head, { subtree: true, childList: true, characterData: true });
    }
    apply();
  },
};
