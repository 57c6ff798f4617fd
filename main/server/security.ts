// The loopback server's gatekeeping, kept apart from routing so each rule is easy to read and to test:
// a secret token (URL once, then a cookie), the Host header (DNS rebinding), the Origin header (other sites),
// and the headers every response carries.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The page's Content-Security-Policy: only this origin's scripts, styles, images and API; nothing inline. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), payment=()',
};

export const MIN_TOKEN_LENGTH = 32;

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Constant-time comparison, whatever the lengths. */
export function tokenMatches(expected: string, given: string | undefined | null): boolean {
  if (typeof given !== 'string' || given.length === 0 || given.length > 512) return false;
  return timingSafeEqual(digest(expected), digest(given));
}

/** Cookie names are not isolated by port, so each server's cookie carries its port. */
export const cookieName = (port: number) => `familiar_session_${port}`;

export function cookieValue(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function sessionCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

/** The token a request presents: `Authorization: Bearer`, else the session cookie. (The URL's ?token= is handled by the page route.) */
export function presentedToken(req: IncomingMessage, port: number): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  return cookieValue(req, cookieName(port));
}

/** Host names this server answers to. Anything else is a DNS-rebinding attempt or a misdirected request. */
export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function allowedOrigins(port: number): Set<string> {
  return new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
}

/** Why a request must be refused before anything else looks at it, or undefined when Host and Origin are ours. */
export function refuseForeign(req: IncomingMessage, port: number): string | undefined {
  const host = req.headers.host;
  if (typeof host !== 'string' || !allowedHosts(port).has(host.toLowerCase())) return 'This server answers only to 127.0.0.1 and localhost.';
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedOrigins(port).has(String(origin).toLowerCase())) return 'Requests from other sites are refused.';
  // Another port on 127.0.0.1 is the "same site" to a browser (ports do not count), so only our own origin
  // (same-origin) and the user's own navigation (none) may reach us.
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return 'Requests from other sites are refused.';
  return undefined;
}
