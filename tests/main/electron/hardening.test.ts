// Session-wide rules: every permission denied, every remote request cancelled, downloads refused.
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./electron-mock.js')).electronMock());

const { hardenSession, isAppUrl, isLocalRequest } = await import('../../../main/electron/hardening.js');
const { FakeSession } = await import('./electron-mock.js');

describe('session hardening', () => {
  const session = new FakeSession();
  hardenSession(session as never);

  it('denies every permission request and check', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'serial']) {
      const callback = vi.fn();
      session.permissionRequestHandler!({}, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
      expect(session.permissionCheckHandler!({}, permission, 'familiar://app', {})).toBe(false);
    }
    expect(session.devicePermissionHandler!({ deviceType: 'usb' })).toBe(false);
  });

  it('cancels every request that is not to the app itself', () => {
    const decide = (url: string) => {
      let answer: { cancel: boolean } | undefined;
      session.beforeRequest!.listener({ url }, (a: { cancel: boolean }) => (answer = a));
      return answer!.cancel;
    };
    for (const url of ['https://example.com/tracker.js', 'http://127.0.0.1:7000/', 'ws://localhost:1/', 'file:///etc/passwd', 'ftp://x/y', 'not a url']) {
      expect(decide(url), url).toBe(true);
    }
    for (const url of ['familiar://app/index.html', 'familiar://files/thumb/a-0', 'data:image/png;base64,AA==', 'blob:familiar://app/123', 'devtools://devtools/x']) {
      expect(decide(url), url).toBe(false);
    }
    expect(session.beforeRequest!.filter).toEqual({ urls: ['<all_urls>'] });
  });

  it('refuses downloads', () => {
    const event = { preventDefault: vi.fn() };
    session.emit('will-download', event);
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('recognises only the app origin as the app', () => {
    expect(isAppUrl('familiar://app/index.html')).toBe(true);
    for (const url of ['familiar://files/x', 'familiar://app.evil/x', 'https://app/x', 'familiar:app', '']) expect(isAppUrl(url), url).toBe(false);
    expect(isLocalRequest('https://x')).toBe(false);
  });
});
