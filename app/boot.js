// Boots the wasm app and registers the service worker.
// The build (scripts/package-app.mjs) fills in the content-hashed names.
import init from '/__GLUE__';

init({ module_or_path: '/__WASM__' });

// A new version never takes over by itself: queued data must not meet a
// different app version mid-session. When one is waiting we tell the app
// (which shows 新版本可用) and apply it only when the user taps.
if ('serviceWorker' in navigator) {
  const announce = (worker) => {
    window.xfUpdateReady = true;
    window.xfApplyUpdate = () => worker.postMessage({ type: 'SKIP_WAITING' });
    window.dispatchEvent(new Event('xf-update-ready'));
  };
  // A browser that refuses workers (a policy, some in-app browsers) still
  // runs the app online: no registration, nothing to announce.
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).then((reg) => {
    if (!reg) return;
    if (reg.waiting && navigator.serviceWorker.controller) announce(reg.waiting);
    reg.addEventListener('updatefound', () => {
      const worker = reg.installing;
      worker?.addEventListener('statechange', () => {
        if (worker.state === 'installed' && navigator.serviceWorker.controller) announce(worker);
      });
    });
  }).catch((error) => console.warn('service worker not registered:', error));
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // Only reload when the user asked for the update (not on first install).
    if (window.xfUpdateReady && !reloading) {
      reloading = true;
      window.location.reload();
    }
  });
}

// 安装到主屏幕: Chromium fires `beforeinstallprompt` early, often before
// the wasm app runs. Keep the event for the app's install button
// (src/install.rs), and tell it when it arrives or the app is installed.
window.addEventListener('beforeinstallprompt', (event) => {
  event.preventDefault();
  window.xfInstallPrompt = event;
  window.dispatchEvent(new Event('xf-install-ready'));
});
window.addEventListener('appinstalled', () => {
  window.xfInstallPrompt = null;
  window.xfInstalled = true;
  window.dispatchEvent(new Event('xf-install-ready'));
});
