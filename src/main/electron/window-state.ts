import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const stateSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(400).max(20_000),
  height: z.number().int().min(300).max(20_000),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof stateSchema>;

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const WINDOW_STATE_FILE = 'window-state.json';

/**
 * The window's last size and place, if it is still sensible: a saved file that does not parse,
 * or a place on no display any more (a monitor unplugged), gives nothing, and the default is used.
 */
export function loadWindowState(dir: string, displays: Rect[]): WindowState | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path.join(dir, WINDOW_STATE_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  const parsed = stateSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const s = parsed.data;
  const visible = displays.some((d) => s.x + 100 <= d.x + d.width && s.x + s.width - 100 >= d.x && s.y >= d.y && s.y + 50 <= d.y + d.height);
  return visible ? s : undefined;
}

export function saveWindowState(dir: string, state: WindowState): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, WINDOW_STATE_FILE), JSON.stringify(state));
}

/** Save the window's bounds when it moves, resizes or closes (moves gathered for half a second). */
export function trackWindowState(
  win: { getNormalBounds(): Rect; isMaximized(): boolean; on(event: 'resize' | 'move' | 'close', fn: () => void): unknown },
  dir: string,
): void {
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    clearTimeout(timer);
    const b = win.getNormalBounds();
    saveWindowState(dir, { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height), maximized: win.isMaximized() });
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('close', save);
}
