// The keys that go to a section (1 People … 7 Settings). The desktop window has Ctrl+1…7 (⌘ on a Mac), as apps do.
// In a browser tab (`familiar serve`) those are the browser's keys for its tabs: Chrome and Firefox take Ctrl+1…8,
// and on Linux Alt+1…8 as well. A page may still catch them, and did: the user then could not switch tabs while
// Familiar's had the focus (QA). There it is Ctrl+Shift+1…7, which no browser binds. The digit is read from the key's
// place (event.code): with Shift, event.key is "!" or "@" or whatever the keyboard's layout puts there.

/** The window Familiar runs in (FamiliarClient.mode). */
export type WindowMode = 'electron' | 'browser';

/** The keys that go to a section, as the shortcuts list shows them. */
export function sectionKeys(mode: WindowMode): string[] {
  return mode === 'browser' ? ['Ctrl', 'Shift', '1…7'] : ['Ctrl', '1…7'];
}

/** The shortcut to one section, for its tooltip: "Ctrl+3", "Ctrl+Shift+3". */
export function sectionShortcut(mode: WindowMode, digit: string): string {
  return [...sectionKeys(mode).slice(0, -1), digit].join('+');
}

/** The digit ("1"…"9") of the section a key press goes to in `mode`'s window, or null. */
export function sectionDigit(event: KeyboardEvent, mode: WindowMode): string | null {
  if (event.altKey) return null;
  if (mode === 'electron') return (event.ctrlKey || event.metaKey) && !event.shiftKey && /^[1-9]$/.test(event.key) ? event.key : null;
  if (!event.ctrlKey || event.metaKey || !event.shiftKey) return null;
  return /^(?:Digit|Numpad)([1-9])$/.exec(event.code)?.[1] ?? null;
}

/** A key press that goes to a section in either window: a field passes it on instead of keeping it. */
export function isSectionKey(event: KeyboardEvent): boolean {
  return sectionDigit(event, 'electron') !== null || sectionDigit(event, 'browser') !== null;
}
