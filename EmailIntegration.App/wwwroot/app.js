// Remembers the light/dark choice per browser.
window.emailIntegration = {
  getTheme: () => localStorage.getItem("ei-theme"),
  setTheme: (value) => localStorage.setItem("ei-theme", value),
};
