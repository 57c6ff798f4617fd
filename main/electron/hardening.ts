// Electron's security checklist, applied to every web contents and session the app creates: no new windows,
// no navigation away from the app, no <webview>, every permission request denied, no remote request at all.
import type { Session, WebContents } from 'electron';
import { APP_ORIGIN } from './csp.js';

/** Schemes a page of ours may load anything from. Everything else (http, https, ws, file, ftp...) is cancelled. */
const LOCAL_SCHEMES = new Set(['familiar:', 'devtools:', 'data:', 'blob:', 'chrome-extension:']);

export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'familiar:' && parsed.host === 'app';
  } catch {
    return false;
  }
}

export function isLocalRequest(url: string): boolean {
  try {
    return LOCAL_SCHEMES.has(new URL(url).protocol);
  } catch {
    return false;
  }
}

export function hardenWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const stayInApp = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, (details, callback) => {
    callback({ cancel: !isLocalRequest(details.url) });
  });
  session.on('will-download', (event) => event.preventDefault());
}

export { APP_ORIGIN };
