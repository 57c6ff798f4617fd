// Remembers the main window's size, position and maximized state between runs, and never restores it off
// screen (a monitor unplugged since last time): a saved rectangle must overlap a display's work area.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { renameReplacing } from '../store/atomic.js';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1280, height: 820 };
export const MIN_SIZE = { width: 720, height: 480 };
/** How much of the window must lie on a display, in each direction, to count as visible. */
const MIN_VISIBLE = 64;

function isRect(value: unknown): value is Rect {
  if (!value || typeof value !== 'object') return false;
  const r = value as Record<string, unknown>;
  return ['x', 'y', 'width', 'height'].every((k) => typeof r[k] === 'number' && Number.isFinite(r[k] as number));
}

export function readWindowState(file: string): WindowState | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { bounds?: unknown; maximized?: unknown };
    if (!isRect(parsed.bounds)) return undefined;
    return { bounds: parsed.bounds, maximized: parsed.maximized === true };
  } catch {
    return undefined;
  }
}

export async function writeWindowState(file: string, state: WindowState): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(state));
  await renameReplacing(temp, file);
}

/**
 * The bounds to open with: the saved ones when they are visible on one of `workAreas`, clamped to a sane size,
 * else undefined (let the window centre itself at the default size).
 */
export function restorableBounds(saved: WindowState | undefined, workAreas: Rect[]): Rect | undefined {
  if (!saved) return undefined;
  const width = Math.max(MIN_SIZE.width, Math.round(saved.bounds.width));
  const height = Math.max(MIN_SIZE.height, Math.round(saved.bounds.height));
  const bounds = { x: Math.round(saved.bounds.x), y: Math.round(saved.bounds.y), width, height };
  const visible = workAreas.some((area) => {
    const overlapX = Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x);
    const overlapY = Math.min(bounds.y + bounds.height, area.y + area.height) - Math.max(bounds.y, area.y);
    return overlapX >= MIN_VISIBLE && overlapY >= MIN_VISIBLE;
  });
  return visible ? bounds : undefined;
}
