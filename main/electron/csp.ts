// The desktop window's Content-Security-Policy, sent with every page the app protocol serves. 'self' is
// familiar://app; images come from familiar://files; nothing is inline, nothing is remote.
export const APP_ORIGIN = 'familiar://app';
export const FILES_ORIGIN = 'familiar://files';
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

export const ELECTRON_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  `img-src 'self' ${FILES_ORIGIN} data: blob:`,
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
