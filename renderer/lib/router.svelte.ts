// Hash routes (#/people, #/person/<id>, #/person/<id>/photo/<photoId>, #/photos?people=a,b ...): they work the same from Electron's app
// protocol and from `familiar serve`, and leave the page URL (which carries the server token) alone.

export type Route =
  | { name: 'import' }
  | { name: 'people' }
  /**
   * photoId: the photo open in the viewer over the person's faces (#/person/<id>/photo/<photoId>): closing it goes back
   * to their faces, and ← → step through their photos, not the Photos section's (QA).
   */
  | { name: 'person'; personId: string; tab?: 'suggestions'; photoId?: string }
  | { name: 'who' }
  | { name: 'which' }
  /** folderId: the folder the Photos screen's folder view shows (photos.folders), none for all of them. */
  | { name: 'photos'; personIds: string[]; photoId: string | null; folderId?: string | null; only?: boolean }
  | { name: 'studio' }
  | { name: 'training' }
  | { name: 'settings' };

export function parseHash(hash: string): Route {
  const [pathPart, queryPart = ''] = hash.replace(/^#\/?/, '').split('?');
  const segments = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(queryPart);
  switch (segments[0]) {
    case 'import':
      return { name: 'import' };
    case 'person':
      if (!segments[1]) return { name: 'people' };
      if (segments[2] === 'photo' && segments[3]) return { name: 'person', personId: segments[1], photoId: segments[3] };
      return segments[2] === 'suggestions' ? { name: 'person', personId: segments[1], tab: 'suggestions' } : { name: 'person', personId: segments[1] };
    case 'who':
      return { name: 'who' };
    case 'which':
      return { name: 'which' };
    case 'photos':
      return {
        name: 'photos',
        personIds: (query.get('people') ?? '').split(',').filter(Boolean),
        photoId: segments[1] ?? null,
        ...(query.get('folder') ? { folderId: query.get('folder') } : {}),
        ...(query.get('only') === '1' ? { only: true } : {}),
      };
    case 'studio':
      return { name: 'studio' };
    case 'training':
      return { name: 'training' };
    case 'settings':
      return { name: 'settings' };
    default:
      return { name: 'people' };
  }
}

export function hrefFor(route: Route): string {
  switch (route.name) {
    case 'person':
      if (route.photoId) return `#/person/${encodeURIComponent(route.personId)}/photo/${encodeURIComponent(route.photoId)}`;
      return `#/person/${encodeURIComponent(route.personId)}${route.tab === 'suggestions' ? '/suggestions' : ''}`;
    case 'photos': {
      const path = route.photoId ? `#/photos/${encodeURIComponent(route.photoId)}` : '#/photos';
      const query = [
        ...(route.personIds.length ? [`people=${route.personIds.map(encodeURIComponent).join(',')}`] : []),
        ...(route.folderId ? [`folder=${encodeURIComponent(route.folderId)}`] : []),
        // "Only them" is part of what the page shows: a reload, a bookmark or Back keeps it (QA: the set grew on reload).
        ...(route.only && route.personIds.length ? ['only=1'] : []),
      ];
      return query.length ? `${path}?${query.join('&')}` : path;
    }
    default:
      return `#/${route.name}`;
  }
}

class Router {
  current = $state<Route>(parseHash(typeof location === 'undefined' ? '' : location.hash));

  constructor() {
    if (typeof window !== 'undefined') {
      window.addEventListener('hashchange', () => this.moveTo(parseHash(location.hash)));
    }
  }

  /** The person whose page was left for the People list: their card takes focus there (takeReturnFocus). */
  private returnFocus: string | null = null;

  /**
   * A new entry in the history says which address it was opened over (`below`): back() can then close it with the
   * browser's Back. A replaced entry keeps that, as the entry below it stays the same.
   */
  go(route: Route, options: { replace?: boolean } = {}): void {
    const href = hrefFor(route);
    if (options.replace) history.replaceState(history.state, '', href);
    else history.pushState({ below: hrefFor(this.current) }, '', href);
    this.moveTo(parseHash(href));
  }

  /** The address a back() is on its way to (the browser's Back answers later, with hashchange). */
  private leavingFor: string | null = null;

  /**
   * Closes what was opened over `to` (a photo over a person's faces): the browser's Back when the entry below is `to`,
   * so Back afterwards leaves the page as it would have before the photo was opened, rather than open the photo again;
   * else (opened from a link, or a reload) `to` takes the entry's place. A second call before the first has landed
   * does nothing (it would go back one entry further).
   */
  back(to: Route): void {
    const href = hrefFor(to);
    if (this.leavingFor === href) return;
    const state: unknown = history.state;
    if (state && typeof state === 'object' && 'below' in state && state.below === href) {
      this.leavingFor = href;
      history.back();
    } else this.go(to, { replace: true });
  }

  /** From a person's page back to People (Back, Esc, Alt+Left, the browser's back): remember whose card to focus. */
  private moveTo(next: Route): void {
    this.leavingFor = null;
    if (this.current.name === 'person' && next.name === 'people') this.returnFocus = this.current.personId;
    this.current = next;
  }

  /** The card to focus when the People list opens (once). */
  takeReturnFocus(): string | null {
    const personId = this.returnFocus;
    this.returnFocus = null;
    return personId;
  }
}

export const router = new Router();
