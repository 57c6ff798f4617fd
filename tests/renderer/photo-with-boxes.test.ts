// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { fireEvent, screen } from '@testing-library/svelte';
import PhotoWithBoxes from '../../renderer/components/PhotoWithBoxes.svelte';
import type { FaceSummary } from '../../renderer/lib/types.js';
import { renderScreen } from './render.js';

const face = (id: string, box: [number, number, number, number], personName: string | null = null): FaceSummary =>
  ({ id, photoId: 'p', box, score: 0.9, personId: personName ? `person-${personName}` : null, personName, assignedBy: null, faceness: null, unrecognisable: null, thumb: `thumb/${id}` }) as unknown as FaceSummary;

describe('PhotoWithBoxes', () => {
  it('zooms to a small face in a group photo, shows the whole photo on request, and labels only that face among many', async () => {
    const faces = [face('a', [100, 100, 60, 60]), face('b', [300, 100, 60, 60], 'Bo'), face('c', [500, 100, 60, 60]), face('d', [700, 100, 60, 60]), face('e', [900, 100, 60, 60])];
    renderScreen(PhotoWithBoxes, { image: 'photo/p', width: 2000, height: 1000, faces, highlight: 'c', zoom: true, alt: 'A group' });
    const canvas = document.querySelector<HTMLElement>('.canvas')!;
    expect(canvas.style.transform).toMatch(/^translate\(.*\) scale\(4\)$/);
    expect([...document.querySelectorAll('.tag')].map((t) => t.textContent)).toEqual(['In no group']);
    await fireEvent.click(screen.getByRole('button', { name: 'Whole photo' }));
    expect(canvas.style.transform).toBe('none');
    expect(screen.getByRole('button', { name: 'Zoom to the face' })).toBeTruthy();
  });

  it('keeps a zoomed view inside the photo for a face near its edge, instead of showing black past it', () => {
    // A face at the top-left corner, zoomed 4x: centred it would leave the left and top of the view empty.
    renderScreen(PhotoWithBoxes, { image: 'photo/p', width: 2000, height: 1000, faces: [face('a', [20, 10, 60, 60]), face('b', [900, 100, 60, 60])], highlight: 'a', zoom: true, alt: 'Edge' });
    const canvas = document.querySelector<HTMLElement>('.canvas')!;
    // At 4x the view spans 25 % of the photo: its centre no nearer the edge than 12.5 %.
    expect(canvas.style.transformOrigin).toBe('12.5% 12.5%');
    expect(canvas.style.transform).toBe('translate(37.5%, 37.5%) scale(4)');
  });

  it('leaves a large face unzoomed, with no button', () => {
    renderScreen(PhotoWithBoxes, { image: 'photo/p', width: 400, height: 400, faces: [face('a', [100, 100, 200, 200])], highlight: 'a', zoom: true, alt: 'One face' });
    expect(document.querySelector<HTMLElement>('.canvas')!.style.transform).toBe('none');
    expect(screen.queryByRole('button', { name: 'Whole photo' })).toBeNull();
  });
});
