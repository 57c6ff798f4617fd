// Hash routes (#/people, #/person/<id>, #/photos?people=a,b ...): they work the same from Electron's app
// protocol and from `familiar serve`, and leave the page URL (which carries the server token) alone.

export type Route =
  | { name: 'import' }
  | { name: 'people' }
  | { name: 'person'; personId: string; tab?: 'suggestions' }
  | { name: 'who' }
  | { name: 'which' }
  /** folderId: the folder the Photos screen's folder view shows (photos.folders), none for all of them. */
  | { name: 'photos'; personIds: string[]; photoId: string | null; folderId?: string | null }
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
      return `#/person/${encodeURIComponent(route.personId)}${route.tab === 'suggestions' ? '/suggestions' : ''}`;
    case 'photos': {
      const path = route.photoId ? `#/photos/${encodeURIComponent(route.photoId)}` : '#/photos';
      const query = [
        ...(route.personIds.length ? [`people=${route.personIds.map(encodeURIComponent).join(',')}`] : []),
        ...(route.folderId ? [`folder=${encodeURIComponent(route.folderId)}`] : []),
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

  go(route: Route, options: { replace?: boolean } = {}): void {
    const href = hrefFor(route);
    if (options.replace) history.replaceState(null, '', href);
    else history.pushState(null, '', href);
    this.moveTo(parseHash(href));
  }

  /** From a person's page back to People (Back, Esc, Alt+Left, the browser's back): remember whose card to focus. */
  private moveTo(next: Route): void {
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
