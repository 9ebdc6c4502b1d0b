import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WindowBounds } from './window-options.ts';

/** Where the office window was and whether it was maximised, kept across restarts. */
export interface WindowState {
  bounds: WindowBounds;
  maximized: boolean;
}

export interface WorkArea {
  x: number;
  y: number;
  width: number;
  height: number;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function readWindowState(file: string): WindowState | null {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const { bounds, maximized } = raw as { bounds?: Record<string, unknown>; maximized?: unknown };
  if (!bounds || !isFiniteNumber(bounds.width) || !isFiniteNumber(bounds.height)) return null;
  const result: WindowBounds = { width: bounds.width, height: bounds.height };
  if (isFiniteNumber(bounds.x) && isFiniteNumber(bounds.y)) {
    result.x = bounds.x;
    result.y = bounds.y;
  }
  return { bounds: result, maximized: maximized === true };
}

/** Written through a temporary file so a crash mid-write leaves the previous state, not a truncated one. */
export function writeWindowState(file: string, state: WindowState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, JSON.stringify(state));
  renameSync(temporary, file);
}

/**
 * A window remembered on a monitor that has since been unplugged would open off-screen, so the position is
 * kept only when the window's centre lies on a current display; the size is capped to the largest display.
 */
export function fitToDisplays(bounds: WindowBounds, workAreas: readonly WorkArea[]): WindowBounds {
  if (workAreas.length === 0) return bounds;
  const maxWidth = Math.max(...workAreas.map((area) => area.width));
  const maxHeight = Math.max(...workAreas.map((area) => area.height));
  const width = Math.min(bounds.width, maxWidth);
  const height = Math.min(bounds.height, maxHeight);
  if (bounds.x === undefined || bounds.y === undefined) return { width, height };
  const centreX = bounds.x + width / 2;
  const centreY = bounds.y + height / 2;
  const visible = workAreas.some(
    (area) => centreX >= area.x && centreX < area.x + area.width && centreY >= area.y && centreY < area.y + area.height,
  );
  return visible ? { x: bounds.x, y: bounds.y, width, height } : { width, height };
}
