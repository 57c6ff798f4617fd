// @vitest-environment jsdom
// The keys on a person's faces, as the shortcuts dialog lists them: Space selects a face, Enter opens its photo (QA: Enter
// selected too, so from the keyboard no face's photo could be opened; only a double-click did).
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/svelte';
import PersonScreen from '../../renderer/screens/PersonScreen.svelte';
import { router } from '../../renderer/lib/router.svelte.js';
import { renderScreen } from './render.js';

describe("keys on a person's faces", () => {
  it('selects a face with Space and opens its photo with Enter, over the person’s page', async () => {
    router.go({ name: 'person', personId: 'person-ada' });
    const { engine } = renderScreen(PersonScreen, { personId: 'person-ada' });
    const faces = within(await screen.findByRole('listbox', { name: 'Faces of Ada' })).getAllByRole('option');
    faces[1].focus();
    await fireEvent.keyDown(faces[1], { key: ' ' });
    expect(faces[1].getAttribute('aria-selected')).toBe('true');
    expect(screen.getByText('1 face selected')).toBeTruthy();
    expect(router.current).toEqual({ name: 'person', personId: 'person-ada' });

    await fireEvent.keyDown(faces[1], { key: 'Enter' });
    const { faces: shown } = await engine.dispatcher.call('faces.ofPerson', { personId: 'person-ada', offset: 0, limit: 10, order: 'confirmed-first' }).then((a) => a.result as { faces: Array<{ photoId: string }> });
    // Over the person's page, not in Photos (tests/renderer/person-photo-viewer.test.ts).
    expect(router.current).toEqual({ name: 'person', personId: 'person-ada', photoId: shown[1].photoId });
    // The page says so where it says what a click does.
    expect(screen.getByText(/double-click or/).textContent).toMatch(/Enter\s*opens the photo/);
  });
});
